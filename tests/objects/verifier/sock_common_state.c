#include "repro.h"
/* read bpf_sock.state (off 72) through the sock_common pointer skb->sk */
SEC("cgroup/skb")
__naked int sk_state(void)
{
	asm volatile ("					\
	r1 = *(u64 *)(r1 + 168);			\
	if r1 == 0 goto l0_%=;				\
	r0 = *(u32 *)(r1 + 72);				\
l0_%=:	r0 = 1;						\
	exit;						\
"	::: "memory");
}
