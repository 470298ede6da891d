#include "repro.h"
/* from verifier_linked_scalars.c (kernel fix for a stale BPF_ADD_CONST delta):
 * the kernel reaches "r0 /= 0" (r8 = 13, not 8) and rejects; BpfSharp once believed r8 == 8 */
SEC("socket")
__naked int stale_delta(void)
{
	asm volatile ("					\
	call %[bpf_get_prandom_u32];			\
	r6 = r0;					\
	r6 += 5;					\
	r6 ^= 0;					\
	r8 = r6;					\
	r8 += 3;					\
	r9 = r6;					\
	if r9 != 10 goto l0_%=;				\
	if r8 == 8 goto l0_%=;				\
	r0 /= 0;					\
l0_%=:	r0 = 0;						\
	exit;						\
"	:: __imm(bpf_get_prandom_u32) : "memory");
}
