#include "repro.h"
/* bpf_tail_call from a static subprogram: 6.18 also explores "the tail call happened" as a
 * return from the subprogram with R0=scalar() */
struct { __uint(type, BPF_MAP_TYPE_PROG_ARRAY); __uint(max_entries, 1); __uint(key_size, 4); __uint(value_size, 4); } jmp_table SEC(".maps");
static __noinline int sub(struct __sk_buff *skb)
{
	bpf_tail_call_static(skb, &jmp_table, 0);
	return 0;
}
SEC("tc")
int entry(struct __sk_buff *skb)
{
	return sub(skb) + 1;
}
