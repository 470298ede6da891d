// SPDX-License-Identifier: GPL-2.0
/* BpfSharp's sample object: counts packets per IP protocol at XDP and at tc ingress, and drops one protocol
 * chosen by the loader (.rodata). It has a BTF map, global data (.rodata, .bss), a subprogram shared by both
 * programs (bpf-to-bpf calls) and line info, so `bpfsharp list` and `bpfsharp disasm` have something to show.
 *
 * Rebuild: clang -O2 -g -target bpf -mcpu=v3 -c samples/xdp_counter.c -o samples/xdp_counter.o
 */
#include "bpf_minimal.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} proto_count SEC(".maps");

/* Set by the loader before loading; 0 drops nothing. */
const volatile __u32 drop_protocol = 0;

__u64 packets_seen = 0;

struct ethhdr {
	__u8 h_dest[6];
	__u8 h_source[6];
	__be16 h_proto;
};

struct iphdr {
	__u8 ihl_version;
	__u8 tos;
	__be16 tot_len;
	__be16 id;
	__be16 frag_off;
	__u8 ttl;
	__u8 protocol;
	__u16 check;
	__be32 saddr;
	__be32 daddr;
};

/* The IPv4 protocol of an Ethernet frame, or 0 when it is not IPv4 or too short. */
static __noinline __u32 ip_protocol(void *data, void *data_end)
{
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);

	if ((void *)(ip + 1) > data_end)
		return 0;
	if (eth->h_proto != __builtin_bswap16(0x0800))
		return 0;
	return ip->protocol;
}

static __noinline int count(__u32 protocol)
{
	__u64 *slot = bpf_map_lookup_elem(&proto_count, &protocol);

	if (slot)
		__sync_fetch_and_add(slot, 1);
	__sync_fetch_and_add(&packets_seen, 1);
	return protocol != 0 && protocol == drop_protocol;
}

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;

	return count(ip_protocol(data, data_end)) ? XDP_DROP : XDP_PASS;
}

SEC("tc")
int tc_count(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;

	return count(ip_protocol(data, data_end)) ? TC_ACT_SHOT : TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";
