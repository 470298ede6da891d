// SPDX-License-Identifier: GPL-2.0
/* The stress program of the verifier state-list slab cache patch (seed 000 of this project): 1000 conditional
 * branches on one value, so that the verifier explores and prunes many states. The kernel reports about 9.5k
 * instructions processed and about 750 states for it.
 *
 * Built like the patch author built it, with clang's default CPU (v1): 64-bit compares, which give those
 * counts (with -mcpu=v3 clang emits 32-bit compares and the verifier processes about 6k instructions).
 * Rebuild: clang -O2 -g -target bpf -mcpu=v1 -c samples/verifier_state_stress.c -o samples/verifier_state_stress.o
 */
#include "bpf_minimal.h"

SEC("socket")
int verifier_state_stress(struct __sk_buff *skb)
{
	__u32 x = skb->len;

#define COND1(n) if (x == n) x++;
#define COND10(n) COND1(n) COND1(n+1) COND1(n+2) COND1(n+3) COND1(n+4) \
		  COND1(n+5) COND1(n+6) COND1(n+7) COND1(n+8) COND1(n+9)
#define COND100(n) COND10(n) COND10(n+10) COND10(n+20) COND10(n+30) COND10(n+40) \
		   COND10(n+50) COND10(n+60) COND10(n+70) COND10(n+80) COND10(n+90)

	/* Expand 1000 conditional branches to trigger state explosion */
	COND100(0) COND100(100) COND100(200) COND100(300) COND100(400)
	COND100(500) COND100(600) COND100(700) COND100(800) COND100(900)
	return x;
}

char _license[] SEC("license") = "GPL";
