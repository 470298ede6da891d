using BpfSharp.Loader;

namespace BpfSharp.Runtime.Maps;

/// <summary>
/// BPF_MAP_TYPE_HASH_OF_MAPS: a hash map whose values are maps compatible with the inner template. Maps are
/// stored with <see cref="SetMap"/> and read with <see cref="BpfMap.LookupObject"/>; keys, deletion, iteration
/// and capacity behave as in <see cref="HashMap"/>. Byte-level lookups and updates answer -ENOTSUPP (the kernel
/// exchanges descriptors and ids, which the runtime does not have).
/// </summary>
public sealed class HashOfMapsMap : HashMap
{
    private readonly MapSpec _innerTemplate;

    /// <summary>Creates the map; it needs its inner map template (<see cref="MapSpec.InnerMap"/>).</summary>
    public HashOfMapsMap(MapSpec spec) : base(spec)
    {
        _innerTemplate = spec.InnerMap ?? throw new ArgumentException("a hash of maps needs an inner map template", nameof(spec));
    }

    /// <summary>Stores <paramref name="inner"/> under <paramref name="key"/>: 0, -EINVAL (incompatible), -EEXIST, -ENOENT, -E2BIG.</summary>
    public int SetMap(ReadOnlySpan<byte> key, BpfMap inner, ulong flags = MapFlags.Any)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (key.Length != KeySize) throw new ArgumentException($"map '{Name}' has {KeySize}-byte keys, got {key.Length}", nameof(key));
        if ((flags & MapFlags.Lock) != 0) return MapErrno.EINVAL;
        if (InnerMapCompatibility.WhyIncompatible(_innerTemplate, inner) is not null) return MapErrno.EINVAL;
        return StoreObject(key, inner, flags);
    }

    /// <inheritdoc/>
    public override object? LookupObject(ReadOnlySpan<byte> key) => FindObject(key);

    /// <summary>Programs do not read these maps' bytes: use <see cref="LookupObject"/>.</summary>
    public override bool TryLookup(ReadOnlySpan<byte> key, int cpu, out MemorySlice value)
    {
        value = default;
        return false;
    }

    /// <summary>Programs cannot update maps of maps: -EOPNOTSUPP.</summary>
    public override int Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags, int cpu) => MapErrno.EOPNOTSUPP;

    /// <inheritdoc/>
    protected override int LookupElemCore(ReadOnlySpan<byte> key, Span<byte> value, ulong flags) => MapErrno.ENOTSUPP;

    /// <inheritdoc/>
    protected override int UpdateElemCore(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags) => MapErrno.ENOTSUPP;

    /// <inheritdoc/>
    protected override int LookupAndDeleteElemCore(ReadOnlySpan<byte> key, Span<byte> value, ulong flags) => MapErrno.ENOTSUPP;

    /// <inheritdoc/>
    protected override int LookupBatchCore(ReadOnlySpan<byte> inBatch, Span<byte> outBatch, Span<byte> keys, Span<byte> values,
        ref uint count, ulong elemFlags, ulong flags, bool delete) => MapErrno.ENOTSUPP;

    /// <inheritdoc/>
    protected override int UpdateBatchCore(ReadOnlySpan<byte> keys, ReadOnlySpan<byte> values, ref uint count, ulong elemFlags, ulong flags) =>
        MapErrno.ENOTSUPP;
}
