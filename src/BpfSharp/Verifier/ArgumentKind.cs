namespace BpfSharp.Verifier;

/// <summary>
/// The base type of a helper argument: what the verifier demands of the register (<c>enum bpf_arg_type</c> of
/// <c>include/linux/bpf.h</c>, Linux 6.18, without its flag bits). The numbers are the kernel's, so
/// <c>(uint)kind | (uint)flags</c> is the kernel's <c>arg_type</c> value.
/// </summary>
public enum ArgumentKind : byte
{
    /// <summary>The argument is not used (ARG_DONTCARE).</summary>
    DontCare = 0,
    /// <summary>A map pointer loaded with <c>ld_imm64</c> (ARG_CONST_MAP_PTR).</summary>
    ConstMapPtr = 1,
    /// <summary>A pointer to memory holding a key of the map in the preceding map argument (ARG_PTR_TO_MAP_KEY).</summary>
    PtrToMapKey = 2,
    /// <summary>A pointer to memory holding a value of the map in the preceding map argument (ARG_PTR_TO_MAP_VALUE).</summary>
    PtrToMapValue = 3,
    /// <summary>A pointer to readable or writable memory whose size is the next argument, or fixed (ARG_PTR_TO_MEM).</summary>
    PtrToMem = 4,
    /// <summary>A pointer into a BPF arena (ARG_PTR_TO_ARENA).</summary>
    PtrToArena = 5,
    /// <summary>A size for the preceding memory argument, known to be above zero (ARG_CONST_SIZE).</summary>
    ConstSize = 6,
    /// <summary>A size for the preceding memory argument that may be zero (ARG_CONST_SIZE_OR_ZERO).</summary>
    ConstSizeOrZero = 7,
    /// <summary>The program's context pointer, unmodified (ARG_PTR_TO_CTX).</summary>
    PtrToCtx = 8,
    /// <summary>Any initialized value (ARG_ANYTHING).</summary>
    Anything = 9,
    /// <summary>A pointer to a <c>struct bpf_spin_lock</c> in a map value or allocated object (ARG_PTR_TO_SPIN_LOCK).</summary>
    PtrToSpinLock = 10,
    /// <summary>A socket pointer of any flavour: sock common, socket, tcp sock (ARG_PTR_TO_SOCK_COMMON).</summary>
    PtrToSockCommon = 11,
    /// <summary>A full socket pointer (ARG_PTR_TO_SOCKET).</summary>
    PtrToSocket = 12,
    /// <summary>A BTF-typed kernel pointer of the type the prototype names (ARG_PTR_TO_BTF_ID).</summary>
    PtrToBtfId = 13,
    /// <summary>Memory reserved from a ring buffer (ARG_PTR_TO_RINGBUF_MEM).</summary>
    PtrToRingbufMem = 14,
    /// <summary>An allocation size known at verification time, possibly zero; sizes the returned memory (ARG_CONST_ALLOC_SIZE_OR_ZERO).</summary>
    ConstAllocSizeOrZero = 15,
    /// <summary>A BTF-typed pointer to a <c>struct sock_common</c> or a socket type embedding it (ARG_PTR_TO_BTF_ID_SOCK_COMMON).</summary>
    PtrToBtfIdSockCommon = 16,
    /// <summary>A per-CPU kernel variable from a <c>ksym</c> (ARG_PTR_TO_PERCPU_BTF_ID).</summary>
    PtrToPercpuBtfId = 17,
    /// <summary>A callback: a subprogram address loaded with <c>ld_imm64</c> (ARG_PTR_TO_FUNC).</summary>
    PtrToFunc = 18,
    /// <summary>A pointer into the program's stack (ARG_PTR_TO_STACK).</summary>
    PtrToStack = 19,
    /// <summary>A NUL-terminated string in a read-only map (ARG_PTR_TO_CONST_STR).</summary>
    PtrToConstStr = 20,
    /// <summary>A pointer to a <c>struct bpf_timer</c> in a map value (ARG_PTR_TO_TIMER).</summary>
    PtrToTimer = 21,
    /// <summary>A pointer to a kptr field of a map value, the destination of an exchange (ARG_KPTR_XCHG_DEST).</summary>
    KptrXchgDest = 22,
    /// <summary>A pointer to a <c>struct bpf_dynptr</c> on the stack (ARG_PTR_TO_DYNPTR).</summary>
    PtrToDynptr = 23,
}
