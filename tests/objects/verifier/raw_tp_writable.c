#include "repro.h"
/* BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE: args[0] is the tracepoint's writable buffer (an 8-byte load only);
 * narrower loads inside args[0], past its first byte, are scalars */
SEC("raw_tp.w/bpf_test_finish")
__naked int write_buffer(void)
{
	asm volatile ("r2 = *(u64 *)(r1 + 0); r3 = 1; *(u32 *)(r2 + 4) = r3; r0 = *(u64 *)(r2 + 8); r0 = 0; exit;" ::: "memory");
}
SEC("raw_tp.w/bpf_test_finish")
__naked int buffer_negative(void)
{
	asm volatile ("r2 = *(u64 *)(r1 + 0); r0 = *(u32 *)(r2 - 4); r0 = 0; exit;" ::: "memory");
}
SEC("raw_tp.w/bpf_test_finish")
__naked int narrow_arg0_tail(void)
{
	asm volatile ("r2 = *(u32 *)(r1 + 4); r0 = *(u8 *)(r2 + 0); exit;" ::: "memory");
}
SEC("raw_tp.w/bpf_test_finish")
__naked int narrow_arg0_start(void)
{
	asm volatile ("r2 = *(u32 *)(r1 + 0); r0 = 0; exit;" ::: "memory");
}
SEC("raw_tp.w/bpf_test_finish")
__naked int arg1_u16(void)
{
	asm volatile ("r2 = *(u16 *)(r1 + 10); r0 = 0; exit;" ::: "memory");
}
