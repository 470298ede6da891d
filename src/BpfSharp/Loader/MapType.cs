namespace BpfSharp.Loader;

/// <summary>
/// The kernel's map types (<c>enum bpf_map_type</c> in <c>include/uapi/linux/bpf.h</c>, Linux 6.18).
/// Values are part of the syscall ABI, so every member carries its number explicitly.
/// </summary>
public enum MapType : uint
{
    /// <summary>No type; rejected by the kernel (BPF_MAP_TYPE_UNSPEC).</summary>
    Unspec = 0,
    /// <summary>Hash table (BPF_MAP_TYPE_HASH).</summary>
    Hash = 1,
    /// <summary>Array indexed by u32 (BPF_MAP_TYPE_ARRAY).</summary>
    Array = 2,
    /// <summary>Program array for tail calls (BPF_MAP_TYPE_PROG_ARRAY).</summary>
    ProgArray = 3,
    /// <summary>Per-CPU perf event ring references (BPF_MAP_TYPE_PERF_EVENT_ARRAY).</summary>
    PerfEventArray = 4,
    /// <summary>Hash table with per-CPU values (BPF_MAP_TYPE_PERCPU_HASH).</summary>
    PercpuHash = 5,
    /// <summary>Array with per-CPU values (BPF_MAP_TYPE_PERCPU_ARRAY).</summary>
    PercpuArray = 6,
    /// <summary>Stack trace store (BPF_MAP_TYPE_STACK_TRACE).</summary>
    StackTrace = 7,
    /// <summary>Array of cgroup references (BPF_MAP_TYPE_CGROUP_ARRAY).</summary>
    CgroupArray = 8,
    /// <summary>Hash table with LRU eviction (BPF_MAP_TYPE_LRU_HASH).</summary>
    LruHash = 9,
    /// <summary>Per-CPU hash table with LRU eviction (BPF_MAP_TYPE_LRU_PERCPU_HASH).</summary>
    LruPercpuHash = 10,
    /// <summary>Longest-prefix-match trie (BPF_MAP_TYPE_LPM_TRIE).</summary>
    LpmTrie = 11,
    /// <summary>Array whose values are maps (BPF_MAP_TYPE_ARRAY_OF_MAPS).</summary>
    ArrayOfMaps = 12,
    /// <summary>Hash table whose values are maps (BPF_MAP_TYPE_HASH_OF_MAPS).</summary>
    HashOfMaps = 13,
    /// <summary>Network device redirect array (BPF_MAP_TYPE_DEVMAP).</summary>
    Devmap = 14,
    /// <summary>Socket array (BPF_MAP_TYPE_SOCKMAP).</summary>
    Sockmap = 15,
    /// <summary>CPU redirect array (BPF_MAP_TYPE_CPUMAP).</summary>
    Cpumap = 16,
    /// <summary>AF_XDP socket array (BPF_MAP_TYPE_XSKMAP).</summary>
    Xskmap = 17,
    /// <summary>Socket hash (BPF_MAP_TYPE_SOCKHASH).</summary>
    Sockhash = 18,
    /// <summary>Deprecated per-cgroup storage (BPF_MAP_TYPE_CGROUP_STORAGE).</summary>
    CgroupStorage = 19,
    /// <summary>SO_REUSEPORT socket array (BPF_MAP_TYPE_REUSEPORT_SOCKARRAY).</summary>
    ReuseportSockarray = 20,
    /// <summary>Deprecated per-cgroup per-CPU storage (BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE).</summary>
    PercpuCgroupStorage = 21,
    /// <summary>FIFO queue (BPF_MAP_TYPE_QUEUE).</summary>
    Queue = 22,
    /// <summary>LIFO stack (BPF_MAP_TYPE_STACK).</summary>
    Stack = 23,
    /// <summary>Per-socket local storage (BPF_MAP_TYPE_SK_STORAGE).</summary>
    SkStorage = 24,
    /// <summary>Network device redirect hash (BPF_MAP_TYPE_DEVMAP_HASH).</summary>
    DevmapHash = 25,
    /// <summary>Kernel struct_ops instance (BPF_MAP_TYPE_STRUCT_OPS).</summary>
    StructOps = 26,
    /// <summary>Multi-producer ring buffer to user space (BPF_MAP_TYPE_RINGBUF).</summary>
    Ringbuf = 27,
    /// <summary>Per-inode local storage (BPF_MAP_TYPE_INODE_STORAGE).</summary>
    InodeStorage = 28,
    /// <summary>Per-task local storage (BPF_MAP_TYPE_TASK_STORAGE).</summary>
    TaskStorage = 29,
    /// <summary>Bloom filter (BPF_MAP_TYPE_BLOOM_FILTER).</summary>
    BloomFilter = 30,
    /// <summary>Ring buffer from user space (BPF_MAP_TYPE_USER_RINGBUF).</summary>
    UserRingbuf = 31,
    /// <summary>Per-cgroup local storage (BPF_MAP_TYPE_CGRP_STORAGE).</summary>
    CgrpStorage = 32,
    /// <summary>Memory arena shared with user space (BPF_MAP_TYPE_ARENA).</summary>
    Arena = 33,
}
