#include "repro.h"
/* bpf_get_retval is available to every cgroup hook, including cgroup_device and cgroup_sysctl */
SEC("cgroup/dev")
int dev(void *ctx) { return bpf_get_retval() ? 0 : 1; }
SEC("cgroup/sysctl")
int sysctl(void *ctx) { return bpf_get_retval() ? 0 : 1; }
