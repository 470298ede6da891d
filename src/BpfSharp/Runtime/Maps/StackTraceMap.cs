using System.Buffers.Binary;
using System.Runtime.InteropServices;
using BpfSharp.Loader;

namespace BpfSharp.Runtime.Maps;

/// <summary>
/// BPF_MAP_TYPE_STACK_TRACE: stacks stored by id. bpf_get_stackid hashes the frames into
/// roundup_pow_of_two(max_entries) buckets; the bucket index is the id. An equal stack already there gives its
/// id; a different stack in the bucket gives -EEXIST unless BPF_F_REUSE_STACKID replaces it;
/// BPF_F_FAST_STACK_CMP trusts a hash match without comparing. Values are u64 IPs (value_size / 8 frames), or with
/// BPF_F_STACK_BUILD_ID 32-byte <see cref="StackBuildId"/> entries resolved by a <see cref="BuildIdResolver"/>
/// (user stacks only; kernel frames stay IPs as in the kernel). The runtime has no real stack: the helper passes
/// the frames the simulated program is called with.
/// </summary>
public sealed class StackTraceMap : BpfMap
{
    /// <summary>sysctl kernel.perf_event_max_stack's default: the most frames a value may hold.</summary>
    public const int MaxStackDepth = 127;

    private readonly StackTraceBucket?[] _buckets;
    private readonly BuildIdResolver? _resolver;

    /// <summary>Creates the map; sizes are assumed valid (see <see cref="WhyRefused"/>).</summary>
    public StackTraceMap(MapSpec spec, MapCreateOptions? options = null) : base(spec)
    {
        IsBuildIdMode = (spec.Flags & MapFlags.StackBuildId) != 0;
        MaxDepth = (int)(spec.ValueSize / (IsBuildIdMode ? StackBuildId.Size : 8u));
        _buckets = new StackTraceBucket?[HashMap.BucketCountFor(spec.MaxEntries)];
        if (IsBuildIdMode) _resolver = options?.BuildIds ?? BuildIdResolver.ForCurrentProcess();
    }

    /// <summary>Why the kernel refuses this stack trace map at creation, or null.</summary>
    public static (int Errno, string Reason)? WhyRefused(MapSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        bool buildId = (spec.Flags & MapFlags.StackBuildId) != 0;
        uint entry = buildId ? StackBuildId.Size : 8u;
        if (spec.ValueSize == 0 || spec.ValueSize % entry != 0)
            return (MapErrno.EINVAL, $"the value size must be a multiple of {entry} (it is {spec.ValueSize})");
        if (spec.ValueSize / entry > MaxStackDepth) return (MapErrno.EINVAL, $"{spec.ValueSize / entry} frames are beyond perf_event_max_stack ({MaxStackDepth})");
        if (spec.MaxEntries > 1u << 31) return (MapErrno.E2BIG, $"max_entries {spec.MaxEntries} is too large");
        if (spec.MaxEntries > 1u << 24) return (MapErrno.ENOMEM, $"max_entries {spec.MaxEntries} is beyond the runtime's limit");
        return null;
    }

    /// <summary>Whether the map stores build IDs and offsets (BPF_F_STACK_BUILD_ID).</summary>
    public bool IsBuildIdMode { get; }

    /// <summary>Frames a value holds.</summary>
    public int MaxDepth { get; }

    /// <summary>The resolver of build-ID mode (null otherwise).</summary>
    public BuildIdResolver? Resolver => _resolver;

    /// <summary>
    /// bpf_get_stackid: stores <paramref name="frames"/> (innermost first) after skipping flags &amp; 0xff frames, at
    /// most <see cref="MaxDepth"/> of them, and returns the id; -EINVAL (flags), -EFAULT (nothing left after the
    /// skip), -EEXIST (the bucket holds another stack and BPF_F_REUSE_STACKID is not set).
    /// </summary>
    public long GetStackId(ReadOnlySpan<ulong> frames, ulong flags)
    {
        if ((flags & ~(MapFlags.StackSkipMask | MapFlags.UserStack | MapFlags.FastStackCompare | MapFlags.ReuseStackId)) != 0) return MapErrno.EINVAL;
        int skip = (int)(flags & MapFlags.StackSkipMask);
        if (frames.Length <= skip) return MapErrno.EFAULT;
        var trace = frames[skip..];
        if (trace.Length > MaxDepth) trace = trace[..MaxDepth];
        uint hash = KeyHash.Of(MemoryMarshal.AsBytes(trace));
        int id = (int)(hash & (uint)(_buckets.Length - 1));
        var bucket = _buckets[id];
        bool hashMatches = bucket is not null && bucket.Hash == hash;
        if (hashMatches && (flags & MapFlags.FastStackCompare) != 0) return id;
        StackBuildId[]? entries = null;
        bool same;
        if (IsBuildIdMode)
        {
            entries = (flags & MapFlags.UserStack) != 0 ? _resolver!.ResolveStack(trace) : ResolveKernel(trace);
            same = hashMatches && bucket!.Count == trace.Length && bucket.Entries!.Zip(entries).All(p => p.First.SameAs(p.Second));
        }
        else
            same = hashMatches && bucket!.Count == trace.Length && trace.SequenceEqual(bucket.Ips);
        if (same) return id;
        if (bucket is not null && (flags & MapFlags.ReuseStackId) == 0) return MapErrno.EEXIST;
        _buckets[id] = new StackTraceBucket(hash, trace.ToArray(), entries);
        return id;
    }

    /// <summary>The stack stored under <paramref name="id"/> (IPs), or null.</summary>
    public ulong[]? Stack(uint id) => id < _buckets.Length ? _buckets[id]?.Ips : null;

    /// <summary>The build-ID entries stored under <paramref name="id"/>, or null.</summary>
    public StackBuildId[]? BuildIdStack(uint id) => id < _buckets.Length ? _buckets[id]?.Entries : null;

    /// <summary>Programs cannot look stacks up (the kernel answers -EOPNOTSUPP).</summary>
    public override bool TryLookup(ReadOnlySpan<byte> key, int cpu, out MemorySlice value)
    {
        value = default;
        return false;
    }

    /// <summary>-EINVAL: stacks are stored by bpf_get_stackid only.</summary>
    public override int Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags, int cpu) => MapErrno.EINVAL;

    /// <summary>Removes a stack: 0, -E2BIG (id beyond the buckets), -ENOENT.</summary>
    public override int Delete(ReadOnlySpan<byte> key)
    {
        uint id = BinaryPrimitives.ReadUInt32LittleEndian(key);
        if (id >= _buckets.Length) return MapErrno.E2BIG;
        if (_buckets[id] is null) return MapErrno.ENOENT;
        _buckets[id] = null;
        return 0;
    }

    /// <inheritdoc/>
    protected override int LookupElemCore(ReadOnlySpan<byte> key, Span<byte> value, ulong flags)
    {
        uint id = BinaryPrimitives.ReadUInt32LittleEndian(key);
        if (id >= _buckets.Length || _buckets[id] is not { } bucket) return MapErrno.ENOENT;
        value.Clear();
        if (bucket.Entries is { } entries)
            for (int i = 0; i < entries.Length; i++) entries[i].WriteTo(value[(i * StackBuildId.Size)..]);
        else
            MemoryMarshal.AsBytes(bucket.Ips.AsSpan()).CopyTo(value);
        return 0;
    }

    /// <inheritdoc/>
    protected override int UpdateElemCore(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags) => MapErrno.EINVAL;

    /// <inheritdoc/>
    protected override int GetNextKeyCore(ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        uint id = 0;
        if (!key.IsEmpty)
        {
            uint current = BinaryPrimitives.ReadUInt32LittleEndian(key);
            // A missing id restarts from the first, as the kernel does.
            if (current < _buckets.Length && _buckets[current] is not null) id = current + 1;
        }
        while (id < _buckets.Length && _buckets[id] is null) id++;
        if (id >= _buckets.Length) return MapErrno.ENOENT;
        BinaryPrimitives.WriteUInt32LittleEndian(nextKey, id);
        return 0;
    }

    private static StackBuildId[] ResolveKernel(ReadOnlySpan<ulong> trace)
    {
        var entries = new StackBuildId[trace.Length];
        for (int i = 0; i < trace.Length; i++) entries[i] = StackBuildId.FromIp(trace[i]);
        return entries;
    }
}
