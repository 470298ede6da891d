#include "repro.h"
/* bpf_map_lookup_elem() on a SOCKMAP/SOCKHASH returns an acquired socket reference that must be
 * released with bpf_sk_release() (kernel); BpfSharp once returned an unreferenced pointer */
struct { __uint(type, BPF_MAP_TYPE_SOCKMAP); __uint(max_entries, 1); __type(key, __u32); __type(value, __u64); } sockmap SEC(".maps");
SEC("sk_skb")
__naked int release_ok(void)
{
	asm volatile ("					\
	r1 = 0;						\
	*(u32 *)(r10 - 4) = r1;				\
	r2 = r10;					\
	r2 += -4;					\
	r1 = %[sockmap] ll;				\
	call %[bpf_map_lookup_elem];			\
	if r0 != 0 goto l0_%=;				\
	exit;						\
l0_%=:	r1 = r0;					\
	call %[bpf_sk_release];				\
	r0 = 0;						\
	exit;						\
"	:: __imm(bpf_map_lookup_elem), __imm(bpf_sk_release), __imm_addr(sockmap) : "memory");
}
SEC("sk_skb")
__naked int leak(void)
{
	asm volatile ("					\
	r1 = 0;						\
	*(u32 *)(r10 - 4) = r1;				\
	r2 = r10;					\
	r2 += -4;					\
	r1 = %[sockmap] ll;				\
	call %[bpf_map_lookup_elem];			\
	r0 = 0;						\
	exit;						\
"	:: __imm(bpf_map_lookup_elem), __imm_addr(sockmap) : "memory");
}
