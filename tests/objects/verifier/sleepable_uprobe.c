#include "repro.h"
/* sleepable program types: uprobe.s sections and BPF_PROG_TYPE_SYSCALL may call sleepable helpers */
SEC("uprobe.s")
int up(void *ctx)
{
	char buf[8];
	bpf_copy_from_user(buf, sizeof(buf), (void *)0x1000);
	return 0;
}
SEC("syscall")
int sys(void *ctx)
{
	char buf[8];
	bpf_copy_from_user(buf, sizeof(buf), (void *)0x1000);
	return 0;
}
