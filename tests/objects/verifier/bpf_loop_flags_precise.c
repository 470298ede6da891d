#include "repro.h"
/* bpf_loop: the kernel marks the flags argument R4 precise (after R1 nr_loops); BpfSharp once marked only R1 */
static int cb(__u32 idx, void *ctx) { return 0; }
SEC("raw_tp")
int prog(void *ctx)
{
	bpf_loop(10, cb, 0, 0);
	return 0;
}
