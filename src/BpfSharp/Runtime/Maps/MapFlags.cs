namespace BpfSharp.Runtime.Maps;

/// <summary>The flag values of include/uapi/linux/bpf.h that map operations and map creation take.</summary>
public static class MapFlags
{
    /// <summary>BPF_ANY: create or update.</summary>
    public const ulong Any = 0;
    /// <summary>BPF_NOEXIST: create only.</summary>
    public const ulong NoExist = 1;
    /// <summary>BPF_EXIST: update only (queue/stack push: overwrite the oldest when full).</summary>
    public const ulong Exist = 2;
    /// <summary>BPF_F_LOCK: copy the value under its bpf_spin_lock.</summary>
    public const ulong Lock = 4;

    /// <summary>BPF_F_NO_PREALLOC (creation).</summary>
    public const uint NoPrealloc = 1 << 0;
    /// <summary>BPF_F_NO_COMMON_LRU: per-CPU LRU lists (creation).</summary>
    public const uint NoCommonLru = 1 << 1;
    /// <summary>BPF_F_NUMA_NODE (creation).</summary>
    public const uint NumaNode = 1 << 2;
    /// <summary>BPF_F_RDONLY: read-only for user space (creation).</summary>
    public const uint ReadOnly = 1 << 3;
    /// <summary>BPF_F_WRONLY: write-only for user space (creation).</summary>
    public const uint WriteOnly = 1 << 4;
    /// <summary>BPF_F_STACK_BUILD_ID: stack trace maps store build IDs and offsets (creation).</summary>
    public const uint StackBuildId = 1 << 5;
    /// <summary>BPF_F_ZERO_SEED: hash with seed 0 (creation).</summary>
    public const uint ZeroSeed = 1 << 6;
    /// <summary>BPF_F_RDONLY_PROG: read-only for programs (creation).</summary>
    public const uint ReadOnlyProgram = 1 << 7;
    /// <summary>BPF_F_WRONLY_PROG: write-only for programs (creation).</summary>
    public const uint WriteOnlyProgram = 1 << 8;
    /// <summary>BPF_F_CLONE: local storage is cloned with the socket (creation).</summary>
    public const uint Clone = 1 << 9;
    /// <summary>BPF_F_MMAPABLE: the array can be mmap()ed (creation).</summary>
    public const uint Mmapable = 1 << 10;
    /// <summary>BPF_F_PRESERVE_ELEMS: perf event array keeps its events when the map file closes (creation).</summary>
    public const uint PreserveElems = 1 << 11;
    /// <summary>BPF_F_INNER_MAP: an inner map whose max_entries may differ (creation).</summary>
    public const uint InnerMap = 1 << 12;
    /// <summary>BPF_F_ACCESS_MASK: the four access flags.</summary>
    public const uint AccessMask = ReadOnly | WriteOnly | ReadOnlyProgram | WriteOnlyProgram;

    /// <summary>BPF_LOCAL_STORAGE_GET_F_CREATE: a storage get creates the element.</summary>
    public const ulong StorageGetCreate = 1;

    /// <summary>BPF_RB_NO_WAKEUP (ringbuf submit/discard/output).</summary>
    public const ulong RingbufNoWakeup = 1;
    /// <summary>BPF_RB_FORCE_WAKEUP (ringbuf submit/discard/output).</summary>
    public const ulong RingbufForceWakeup = 2;

    /// <summary>BPF_F_SKIP_FIELD_MASK: frames to skip in bpf_get_stackid.</summary>
    public const ulong StackSkipMask = 0xff;
    /// <summary>BPF_F_USER_STACK: the user stack rather than the kernel's.</summary>
    public const ulong UserStack = 1 << 8;
    /// <summary>BPF_F_FAST_STACK_CMP: a hash match is enough (no compare).</summary>
    public const ulong FastStackCompare = 1 << 9;
    /// <summary>BPF_F_REUSE_STACKID: a colliding stack replaces the bucket's.</summary>
    public const ulong ReuseStackId = 1 << 10;

    /// <summary>BPF_F_INDEX_MASK of bpf_perf_event_output.</summary>
    public const ulong PerfIndexMask = 0xffffffff;
    /// <summary>BPF_F_CURRENT_CPU of bpf_perf_event_output.</summary>
    public const ulong PerfCurrentCpu = 0xffffffff;
    /// <summary>BPF_F_CTXLEN_MASK of bpf_perf_event_output (context bytes to append; skb/xdp only).</summary>
    public const ulong PerfContextLengthMask = 0xfffffUL << 32;
}
