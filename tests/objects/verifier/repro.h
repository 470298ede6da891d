/* extcorpus reproducers: naked BPF functions in the kernel verifier log's syntax */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#define __naked __attribute__((naked))
#define __imm(name) [name]"i"(name)
#define __imm_addr(name) [name]"i"(&name)
char _license[] SEC("license") = "GPL";
