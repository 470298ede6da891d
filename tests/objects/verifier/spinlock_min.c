#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct val { int cnt; struct bpf_spin_lock l; };
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, int); __type(value, struct val); } m SEC(".maps");
SEC("tc")
int prog(struct __sk_buff *skb)
{
	int k = 0;
	struct val *v = bpf_map_lookup_elem(&m, &k);
	if (!v) return 0;
	bpf_spin_lock(&v->l);
	v->cnt++;
	bpf_spin_unlock(&v->l);
	return 0;
}
char _license[] SEC("license") = "GPL";
