// SPDX-License-Identifier: GPL-2.0
/* Linker test object: subprograms shared by two programs, nested calls, a global function, a callback
 * passed by address (bpf_loop), global data of every kind, a prog array and a map of maps with initial
 * values, and a map pinned by name. Rebuild with tests/objects/build.sh. */
#include "../../samples/bpf_minimal.h"

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
};

struct inner inner_a SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner);
} outer SEC(".maps") = {
	.values = { [1] = &inner_a },
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} pinned_hash SEC(".maps");

int tail_target(struct __sk_buff *skb);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, int (struct __sk_buff *));
} jump_table SEC(".maps") = {
	.values = { [2] = (void *)&tail_target },
};

__u64 hits = 1;                 /* .data */
const volatile __u32 limit = 7; /* .rodata */
__u32 scratch;                  /* .bss */

static __noinline __u32 leaf(__u32 x)
{
	return x * 3 + limit;
}

static __noinline __u32 middle(__u32 x)
{
	/* The read of hits after the second call needs relocating too: a regression test for the linker. */
	return leaf(x) + leaf(x + 1) + (__u32)hits;
}

__noinline int global_helper(__u32 x)
{
	return x + 1;
}

static int loop_body(__u32 index, void *ctx)
{
	scratch += index;
	return 0;
}

SEC("xdp")
int first(struct xdp_md *ctx)
{
	__u32 key = middle(ctx->rx_queue_index);
	__u64 *v = bpf_map_lookup_elem(&pinned_hash, &key);

	hits++;
	if (v)
		*v += global_helper(key);
	return XDP_PASS;
}

SEC("tc")
int second(struct __sk_buff *skb)
{
	char msg[] = "len %d";

	bpf_loop(4, loop_body, 0, 0);
	bpf_trace_printk(msg, sizeof(msg), skb->len);
	bpf_tail_call(skb, &jump_table, 2);
	return leaf(skb->mark) > 10 ? TC_ACT_SHOT : TC_ACT_OK;
}

SEC("tc")
int tail_target(struct __sk_buff *skb)
{
	return TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";
