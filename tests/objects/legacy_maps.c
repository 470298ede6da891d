// SPDX-License-Identifier: GPL-2.0
/* Legacy map definitions, as libbpf 0.x objects had them: struct bpf_map_def in a "maps" section (20 bytes)
 * and a program found by its section name. libbpf 1.x refuses such objects; BpfSharp must not.
 * Rebuild with tests/objects/build.sh. */
#include "../../samples/bpf_minimal.h"

struct bpf_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct bpf_map_def SEC("maps") counters = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 16,
};

struct bpf_map_def SEC("maps") flags_map = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u32),
	.max_entries = 8,
	.map_flags = 1, /* BPF_F_NO_PREALLOC */
};

SEC("socket1")
int legacy_prog(struct __sk_buff *skb)
{
	__u32 key = skb->protocol & 15;
	__u64 *count = bpf_map_lookup_elem(&counters, &key);

	if (count)
		__sync_fetch_and_add(count, 1);
	if (bpf_map_lookup_elem(&flags_map, &key))
		return 0;
	return skb->len;
}

char _license[] SEC("license") = "GPL";
__u32 _version SEC("version") = 0x060c00;
