#include "repro.h"
/* 32-bit "w1 += 1" on a scalar with an id keeps the link in the kernel (id=N+1, BPF_ADD_CONST for
 * alu32): a later bound on r2 then also bounds r1 (sync_linked_regs). BpfSharp once dropped the id on
 * alu32, so r1 stays unbounded and the map access fails. */
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, int); __type(value, char[16]); } m SEC(".maps");
SEC("socket")
__naked int linked32(void)
{
	asm volatile ("					\
	r1 = 0;						\
	*(u32 *)(r10 - 4) = r1;				\
	r2 = r10;					\
	r2 += -4;					\
	r1 = %[m] ll;					\
	call %[bpf_map_lookup_elem];			\
	if r0 == 0 goto l0_%=;				\
	r6 = r0;					\
	call %[bpf_get_prandom_u32];			\
	w1 = w0;					\
	w1 &= 0xff;					\
	w2 = w1;					\
	w2 += 1;					\
	if w1 > 14 goto l0_%=;				\
	r6 += r2;					\
	r0 = *(u8 *)(r6 + 0);				\
l0_%=:	r0 = 0;						\
	exit;						\
"	:: __imm(bpf_map_lookup_elem), __imm(bpf_get_prandom_u32), __imm_addr(m) : "memory");
}
