#include "repro.h"
/* Packet pointers must be invalidated after a call to a global function that changes packet data
 * only transitively (it calls another global function that calls bpf_skb_pull_data), or that does a
 * tail call. The kernel rejects both uses below; BpfSharp once accepted them. */
struct { __uint(type, BPF_MAP_TYPE_PROG_ARRAY); __uint(max_entries, 1); __uint(key_size, 4); __uint(value_size, 4); } jmp_table SEC(".maps");
__noinline long pull2(struct __sk_buff *sk, __u32 len) { return bpf_skb_pull_data(sk, len); }
__noinline long pull1(struct __sk_buff *sk, __u32 len) { return pull2(sk, len); }
__noinline int tail(struct __sk_buff *sk) { bpf_tail_call_static(sk, &jmp_table, 0); return 0; }
SEC("tc")
int after_nested_pull(struct __sk_buff *sk)
{
	int *p = (void *)(long)sk->data;

	if ((void *)(p + 1) > (void *)(long)sk->data_end)
		return 2;
	pull1(sk, 0);
	*p = 42;
	return 0;
}
SEC("tc")
int after_tail_call(struct __sk_buff *sk)
{
	int *p = (void *)(long)sk->data;

	if ((void *)(p + 1) > (void *)(long)sk->data_end)
		return 2;
	tail(sk);
	*p = 42;
	return 0;
}
