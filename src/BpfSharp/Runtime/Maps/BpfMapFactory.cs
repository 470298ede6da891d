using BpfSharp.Loader;

namespace BpfSharp.Runtime.Maps;

/// <summary>
/// Creates runtime maps from <see cref="MapSpec"/>s, refusing what the kernel refuses at BPF_MAP_CREATE (sizes,
/// flags) with the kernel's errno, and filling initial contents (global data, declared prog array and map-in-map
/// slots). Types the runtime does not emulate get a <see cref="MapCreateException"/> saying so.
/// </summary>
public static class BpfMapFactory
{
    private readonly record struct Kind(uint AllowedFlags, Func<MapSpec, MapCreateOptions, BpfMap> Create);

    private const uint ArrayFlags = MapFlags.NumaNode | MapFlags.Mmapable | MapFlags.AccessMask | MapFlags.PreserveElems | MapFlags.InnerMap;
    private const uint HashFlags = MapFlags.NoPrealloc | MapFlags.NoCommonLru | MapFlags.NumaNode | MapFlags.AccessMask | MapFlags.ZeroSeed;
    private const uint QueueFlags = MapFlags.NumaNode | MapFlags.AccessMask;
    private const uint StorageFlags = MapFlags.NoPrealloc | MapFlags.Clone;

    /// <summary>The most value memory one runtime map may hold; beyond it creation fails with -ENOMEM.</summary>
    public const long MemoryLimit = 1L << 30;

    /// <summary>The largest max_entries of a runtime hash map (its bucket table is allocated at creation).</summary>
    public const uint MaxHashEntries = 1u << 24;

    // The kernel's per-type flag masks (*_CREATE_FLAG_MASK) and the runtime class that emulates the type.
    private static readonly Dictionary<MapType, Kind> Kinds = new()
    {
        [MapType.Array] = new(ArrayFlags, (s, o) => new ArrayMap(s, o)),
        [MapType.PercpuArray] = new(ArrayFlags, (s, o) => new ArrayMap(s, o)),
        [MapType.Hash] = new(HashFlags, (s, o) => new HashMap(s, o)),
        [MapType.PercpuHash] = new(HashFlags, (s, o) => new HashMap(s, o)),
        [MapType.LruHash] = new(HashFlags, (s, o) => new HashMap(s, o)),
        [MapType.LruPercpuHash] = new(HashFlags, (s, o) => new HashMap(s, o)),
        [MapType.HashOfMaps] = new(HashFlags, (s, _) => new HashOfMapsMap(s)),
        [MapType.ProgArray] = new(ArrayFlags, (s, _) => new ObjectArrayMap(s)),
        [MapType.ArrayOfMaps] = new(ArrayFlags, (s, _) => new ObjectArrayMap(s)),
        [MapType.PerfEventArray] = new(ArrayFlags, (s, _) => new PerfEventArrayMap(s)),
        [MapType.Ringbuf] = new(MapFlags.NumaNode, (s, _) => new RingBufferMap(s)),
        [MapType.Queue] = new(QueueFlags, (s, _) => new QueueStackMap(s)),
        [MapType.Stack] = new(QueueFlags, (s, _) => new QueueStackMap(s)),
        [MapType.BloomFilter] = new(MapFlags.NumaNode | MapFlags.ZeroSeed | MapFlags.AccessMask, (s, _) => new BloomFilterMap(s)),
        [MapType.TaskStorage] = new(StorageFlags, (s, _) => new LocalStorageMap(s)),
        [MapType.SkStorage] = new(StorageFlags, (s, _) => new LocalStorageMap(s)),
        [MapType.InodeStorage] = new(StorageFlags, (s, _) => new LocalStorageMap(s)),
        [MapType.CgrpStorage] = new(StorageFlags, (s, _) => new LocalStorageMap(s)),
        [MapType.Devmap] = new(MapFlags.NumaNode | MapFlags.AccessMask, (s, _) => new RedirectTargetMap(s)),
        [MapType.DevmapHash] = new(MapFlags.NumaNode | MapFlags.AccessMask, (s, _) => new RedirectTargetMap(s)),
        [MapType.Cpumap] = new(MapFlags.NumaNode, (s, _) => new RedirectTargetMap(s)),
        [MapType.Xskmap] = new(MapFlags.NumaNode | MapFlags.AccessMask, (s, _) => new RedirectTargetMap(s)),
        [MapType.LpmTrie] = new(MapFlags.NoPrealloc | MapFlags.NumaNode | MapFlags.AccessMask, (s, _) => new LpmTrieMap(s)),
        [MapType.StackTrace] = new(MapFlags.NumaNode | MapFlags.ReadOnly | MapFlags.WriteOnly | MapFlags.StackBuildId, (s, o) => new StackTraceMap(s, o)),
    };

    /// <summary>Whether the runtime emulates <paramref name="type"/>.</summary>
    public static bool Supports(MapType type) => Kinds.ContainsKey(type);

    /// <summary>
    /// Creates the map. <paramref name="resolveSlot"/> finds the program or map an initial slot
    /// (<see cref="MapSpec.InitialSlots"/>) names; it is needed only when the spec has slots.
    /// </summary>
    /// <exception cref="MapCreateException">The kernel would refuse the map, or the runtime does not support its type.</exception>
    public static BpfMap Create(MapSpec spec, MapCreateOptions? options = null, Func<string, object?>? resolveSlot = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        options ??= MapCreateOptions.Default;
        if (options.CpuCount < 1) throw new ArgumentOutOfRangeException(nameof(options), $"CpuCount must be at least 1 (it is {options.CpuCount})");
        if (!Kinds.TryGetValue(spec.Type, out var kind))
            throw new MapCreateException(spec.Name, MapErrno.ENOTSUPP, $"map type {KernelNames.Of(spec.Type)} is not supported by the runtime");
        if (WhyRefused(spec, kind.AllowedFlags, options) is { } refusal)
            throw new MapCreateException(spec.Name, refusal.Errno, refusal.Reason);
        var map = kind.Create(spec, options);
        Fill(map, spec, resolveSlot);
        return map;
    }

    private static (int Errno, string Reason)? WhyRefused(MapSpec spec, uint allowedFlags, MapCreateOptions options)
    {
        uint flags = spec.Flags;
        if ((flags & ~allowedFlags) != 0)
            return (MapErrno.EINVAL, $"flags 0x{flags & ~allowedFlags:x} are not accepted by {KernelNames.Of(spec.Type)}");
        if ((flags & (MapFlags.ReadOnly | MapFlags.WriteOnly)) == (MapFlags.ReadOnly | MapFlags.WriteOnly))
            return (MapErrno.EINVAL, "BPF_F_RDONLY and BPF_F_WRONLY together");
        if ((flags & (MapFlags.ReadOnlyProgram | MapFlags.WriteOnlyProgram)) == (MapFlags.ReadOnlyProgram | MapFlags.WriteOnlyProgram))
            return (MapErrno.EINVAL, "BPF_F_RDONLY_PROG and BPF_F_WRONLY_PROG together");
        bool lru = spec.Type is MapType.LruHash or MapType.LruPercpuHash;
        // The kernel answers this before it looks at sizes.
        if (lru && (flags & MapFlags.NoPrealloc) != 0) return (MapErrno.ENOTSUPP, "LRU hash maps are always preallocated (BPF_F_NO_PREALLOC)");
        if (MapCreationRules.WhyRefused(spec.Type, spec.KeySize, spec.ValueSize, spec.MaxEntries) is { } sizes)
            return (MapErrno.EINVAL, sizes);
        bool perCpu = spec.Type is MapType.PercpuArray or MapType.PercpuHash or MapType.LruPercpuHash;
        // Per-CPU values and per-CPU LRU lists live on every node.
        if ((perCpu || (lru && (flags & MapFlags.NoCommonLru) != 0)) && (flags & MapFlags.NumaNode) != 0)
            return (MapErrno.EINVAL, "per-CPU maps and per-CPU LRU lists cannot be bound to a NUMA node");
        if (spec.Type is MapType.ProgArray or MapType.ArrayOfMaps or MapType.PerfEventArray
            && (flags & (MapFlags.ReadOnlyProgram | MapFlags.WriteOnlyProgram)) != 0)
            return (MapErrno.EINVAL, "descriptor arrays take no BPF_F_RDONLY_PROG/BPF_F_WRONLY_PROG");
        switch (spec.Type)
        {
            case MapType.Array or MapType.PercpuArray or MapType.ProgArray or MapType.ArrayOfMaps:
                if ((flags & MapFlags.Mmapable) != 0 && spec.Type != MapType.Array) return (MapErrno.EINVAL, "only BPF_MAP_TYPE_ARRAY can be BPF_F_MMAPABLE");
                if ((flags & MapFlags.PreserveElems) != 0) return (MapErrno.EINVAL, "BPF_F_PRESERVE_ELEMS is for perf event arrays only");
                if (spec.Type != MapType.Array && (flags & MapFlags.InnerMap) != 0)
                    return (MapErrno.EINVAL, "only BPF_MAP_TYPE_ARRAY takes BPF_F_INNER_MAP");
                break;
            case MapType.PerfEventArray:
                if ((flags & (MapFlags.Mmapable | MapFlags.InnerMap)) != 0) return (MapErrno.EINVAL, "BPF_F_MMAPABLE and BPF_F_INNER_MAP are not accepted by perf event arrays");
                break;
            case MapType.Ringbuf:
                if (spec.MaxEntries > MemoryLimit / 2) return (MapErrno.ENOMEM, $"a {spec.MaxEntries}-byte ring is beyond the runtime's limit");
                break;
            case MapType.Queue or MapType.Stack or MapType.BloomFilter:
                if (spec.Type == MapType.BloomFilter && (spec.MapExtra & ~0xfUL) != 0) return (MapErrno.EINVAL, $"map_extra 0x{spec.MapExtra:x} has bits beyond the hash count (0xf)");
                if (spec.Type == MapType.BloomFilter && BloomFilterMap.BitCountFor(spec.MaxEntries, (int)(spec.MapExtra & 0xf) is 0 ? BloomFilterMap.DefaultHashCount : (int)(spec.MapExtra & 0xf)) > 1UL << 30)
                    return (MapErrno.ENOMEM, "the bloom filter's bit set is beyond the runtime's limit of 2^30 bits");
                if ((long)spec.MaxEntries * spec.ValueSize > MemoryLimit) return (MapErrno.ENOMEM, "the values are beyond the runtime's limit");
                break;
            case MapType.TaskStorage or MapType.SkStorage or MapType.InodeStorage or MapType.CgrpStorage:
                if ((flags & MapFlags.NoPrealloc) == 0) return (MapErrno.EINVAL, "local storage maps need BPF_F_NO_PREALLOC");
                if (spec.MaxEntries != 0) return (MapErrno.EINVAL, $"local storage maps take max_entries 0 (it is {spec.MaxEntries})");
                if (spec.KeySize != 4) return (MapErrno.EINVAL, $"the key size must be 4 (it is {spec.KeySize})");
                if (spec.ValueSize == 0) return (MapErrno.EINVAL, "the value size must be non-zero");
                break;
            case MapType.StackTrace:
                if (StackTraceMap.WhyRefused(spec) is { } stack) return stack;
                break;
            case MapType.LpmTrie:
                if (LpmTrieMap.WhyRefused(spec) is { } trie) return trie;
                break;
            case MapType.Hash or MapType.PercpuHash or MapType.LruHash or MapType.LruPercpuHash or MapType.HashOfMaps:
                if (!lru && (flags & MapFlags.NoCommonLru) != 0) return (MapErrno.EINVAL, "BPF_F_NO_COMMON_LRU is for LRU hash maps only");
                if (spec.MaxEntries > MaxHashEntries) return (MapErrno.ENOMEM, $"max_entries {spec.MaxEntries} is beyond the runtime's limit of {MaxHashEntries} for hash maps");
                break;
        }
        if (spec.Type is MapType.ArrayOfMaps or MapType.HashOfMaps)
        {
            if (spec.InnerMap is null) return (MapErrno.EINVAL, "a map of maps needs an inner map");
            if (spec.InnerMap.Type is MapType.ArrayOfMaps or MapType.HashOfMaps or MapType.ProgArray)
                return (MapErrno.EINVAL, $"{KernelNames.Of(spec.InnerMap.Type)} cannot be an inner map");
        }
        long cpus = spec.Type is MapType.PercpuArray or MapType.PercpuHash or MapType.LruPercpuHash ? options.CpuCount : 1;
        long bytes = cpus * spec.MaxEntries * (long)((spec.ValueSize + 7) & ~7u);
        if (spec.Type is MapType.Array or MapType.PercpuArray && bytes > MemoryLimit)
            return (MapErrno.ENOMEM, $"{bytes} bytes of values are beyond the runtime's limit of {MemoryLimit}");
        if (spec.Type is MapType.Array or MapType.PercpuArray or MapType.ProgArray or MapType.ArrayOfMaps or MapType.PerfEventArray && spec.MaxEntries > MemoryLimit / 8)
            return (MapErrno.ENOMEM, $"max_entries {spec.MaxEntries} is beyond the runtime's limit");
        if (spec.Contents is { } contents && contents.Length > spec.ValueSize)
            return (MapErrno.EINVAL, $"initial contents of {contents.Length} bytes do not fit the {spec.ValueSize}-byte value");
        return null;
    }

    private static void Fill(BpfMap map, MapSpec spec, Func<string, object?>? resolveSlot)
    {
        if (spec.Contents is { Length: > 0 } contents)
        {
            if (map is not ArrayMap { IsPerCpu: false } array)
                throw new MapCreateException(spec.Name, MapErrno.EINVAL, $"initial contents are for array maps, not {KernelNames.Of(spec.Type)}");
            contents.CopyTo(array.ValueMemory(0).Span);
        }
        foreach (var slot in spec.InitialSlots)
        {
            object? target = resolveSlot?.Invoke(slot.Target)
                ?? throw new MapCreateException(spec.Name, MapErrno.EINVAL, $"initial slot [{slot.Index}] names '{slot.Target}', which was not found");
            int result = map switch
            {
                ObjectArrayMap objects => objects.Set(slot.Index, target),
                HashOfMapsMap hash when target is BpfMap inner && hash.KeySize == 4 => hash.SetMap(BitConverter.GetBytes(slot.Index), inner),
                _ => MapErrno.EINVAL,
            };
            if (result != 0)
                throw new MapCreateException(spec.Name, result, $"initial slot [{slot.Index}] = '{slot.Target}' was refused");
        }
    }
}
