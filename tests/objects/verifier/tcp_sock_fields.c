#include "repro.h"
/* bpf_tcp_sock fields: bytes_acked (off 88, u64), dsack_dups (off 96, u32) are readable; off 96 size 8 is not */
#define TCP_SOCK_PROG(name, insn)				\
SEC("cgroup/skb")						\
__naked int name(void)						\
{								\
	asm volatile ("						\
	r1 = *(u64 *)(r1 + 168);				\
	if r1 == 0 goto l0_%=;					\
	call %[bpf_tcp_sock];					\
	if r0 == 0 goto l0_%=;					\
	" insn "						\
l0_%=:	r0 = 1;							\
	exit;							\
"	:: __imm(bpf_tcp_sock) : "memory");			\
}
TCP_SOCK_PROG(tp_bytes_acked_u64, "r0 = *(u64 *)(r0 + 88);")
TCP_SOCK_PROG(tp_dsack_dups_u32, "r0 = *(u32 *)(r0 + 96);")
TCP_SOCK_PROG(tp_off96_u64, "r0 = *(u64 *)(r0 + 96);")
/* narrow loads of struct bpf_sock fields through a full socket (bpf_sk_fullsock) */
#define SOCK_PROG(name, insn)					\
SEC("cgroup/skb")						\
__naked int name(void)						\
{								\
	asm volatile ("						\
	r1 = *(u64 *)(r1 + 168);				\
	if r1 == 0 goto l0_%=;					\
	call %[bpf_sk_fullsock];				\
	if r0 == 0 goto l0_%=;					\
	" insn "						\
l0_%=:	r0 = 1;							\
	exit;							\
"	:: __imm(bpf_sk_fullsock) : "memory");			\
}
SOCK_PROG(sk_type_u8, "r0 = *(u8 *)(r0 + 8);")
SOCK_PROG(sk_protocol_u8, "r0 = *(u8 *)(r0 + 12);")
SOCK_PROG(sk_dst_port_u16, "r0 = *(u16 *)(r0 + 48);")
SOCK_PROG(sk_dst_ip6_byte1, "r0 = *(u8 *)(r0 + 57);")
SOCK_PROG(sk_state_u8, "r0 = *(u8 *)(r0 + 72);")
SOCK_PROG(sk_type_u32, "r0 = *(u32 *)(r0 + 8);")
TCP_SOCK_PROG(tp_bytes_received_u64, "r0 = *(u64 *)(r0 + 80);")
TCP_SOCK_PROG(tp_icsk_retransmits_u32, "r0 = *(u32 *)(r0 + 108);")
TCP_SOCK_PROG(tp_delivered_u32, "r0 = *(u32 *)(r0 + 100);")
