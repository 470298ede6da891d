#include "repro.h"
/* sign-extending loads (BPF_MEMSX, cpu v4) from the context are rejected by the kernel */
SEC("xdp")
__naked int ldsx_xdp_data(void)
{
	asm volatile ("r0 = *(s32 *)(r1 + 0); r0 = 2; exit;" ::: "memory");
}
SEC("tc")
__naked int ldsx_skb_data(void)
{
	asm volatile ("r0 = *(s32 *)(r1 + 76); r0 = 0; exit;" ::: "memory");
}
SEC("tc")
__naked int ldsx_skb_len(void)
{
	asm volatile ("r0 = *(s32 *)(r1 + 0); r0 = 0; exit;" ::: "memory");
}
