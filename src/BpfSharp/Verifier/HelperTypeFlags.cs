namespace BpfSharp.Verifier;

/// <summary>
/// Flag bits a helper argument or return type carries beside its base type (<c>enum bpf_type_flag</c> of
/// <c>include/linux/bpf.h</c>, Linux 6.18). The bit positions are the kernel's.
/// </summary>
[Flags]
public enum HelperTypeFlags : uint
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary>The pointer may be NULL (PTR_MAYBE_NULL).</summary>
    MaybeNull = 1u << 8,
    /// <summary>The memory is only read; read-only memory is accepted (MEM_RDONLY).</summary>
    ReadOnly = 1u << 9,
    /// <summary>Ring buffer memory (MEM_RINGBUF).</summary>
    Ringbuf = 1u << 10,
    /// <summary>User-space memory (MEM_USER).</summary>
    User = 1u << 11,
    /// <summary>Per-CPU memory (MEM_PERCPU).</summary>
    Percpu = 1u << 12,
    /// <summary>The helper releases the reference the argument holds (OBJ_RELEASE).</summary>
    Release = 1u << 13,
    /// <summary>Untrusted pointer (PTR_UNTRUSTED).</summary>
    Untrusted = 1u << 14,
    /// <summary>The memory may be uninitialized; the helper fills it (MEM_UNINIT).</summary>
    Uninit = 1u << 15,
    /// <summary>Local dynptr (DYNPTR_TYPE_LOCAL).</summary>
    DynptrLocal = 1u << 16,
    /// <summary>Ring buffer dynptr (DYNPTR_TYPE_RINGBUF).</summary>
    DynptrRingbuf = 1u << 17,
    /// <summary>The memory size is fixed by the prototype rather than by a size argument (MEM_FIXED_SIZE).</summary>
    FixedSize = 1u << 18,
    /// <summary>Memory from the BPF allocator (MEM_ALLOC).</summary>
    Alloc = 1u << 19,
    /// <summary>Trusted pointer (PTR_TRUSTED).</summary>
    Trusted = 1u << 20,
    /// <summary>RCU-protected pointer (MEM_RCU).</summary>
    Rcu = 1u << 21,
    /// <summary>Non-owning reference (NON_OWN_REF).</summary>
    NonOwnRef = 1u << 22,
    /// <summary>skb dynptr (DYNPTR_TYPE_SKB).</summary>
    DynptrSkb = 1u << 23,
    /// <summary>xdp dynptr (DYNPTR_TYPE_XDP).</summary>
    DynptrXdp = 1u << 24,
    /// <summary>The memory must be aligned to its size (MEM_ALIGNED).</summary>
    Aligned = 1u << 25,
    /// <summary>The helper writes the memory (MEM_WRITE); without it, memory arguments are read.</summary>
    Write = 1u << 26,
    /// <summary>skb metadata dynptr (DYNPTR_TYPE_SKB_META).</summary>
    DynptrSkbMeta = 1u << 27,
}
