#include "repro.h"
/* BPF_PROG_TYPE_SK_LOOKUP: context fields and helpers */
struct { __uint(type, BPF_MAP_TYPE_SOCKMAP); __uint(max_entries, 1); __type(key, __u32); __type(value, __u64); } socks SEC(".maps");
SEC("sk_lookup")
int lookup(struct bpf_sk_lookup *ctx)
{
	__u32 k = 0;
	struct bpf_sock *sk;
	if (ctx->family != 2 || ctx->local_port != 80)
		return SK_PASS;
	sk = bpf_map_lookup_elem(&socks, &k);
	if (!sk)
		return SK_PASS;
	bpf_sk_assign(ctx, sk, 0);
	bpf_sk_release(sk);
	return SK_PASS;
}
SEC("sk_lookup")
__naked int read_sk_field(void)
{
	asm volatile ("r2 = *(u64 *)(r1 + 0); r0 = 1; exit;" ::: "memory");
}
SEC("sk_lookup")
__naked int read_family(void)
{
	asm volatile ("r2 = *(u32 *)(r1 + 8); r0 = 1; exit;" ::: "memory");
}
