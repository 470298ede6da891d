using System.Buffers.Binary;
using BpfSharp.Loader;

namespace BpfSharp.Runtime.Maps;

/// <summary>
/// BPF_MAP_TYPE_PROG_ARRAY and BPF_MAP_TYPE_ARRAY_OF_MAPS: arrays whose slots hold objects (a program for tail
/// calls, a map) instead of bytes. Objects are stored with <see cref="Set"/> and read with
/// <see cref="BpfMap.LookupObject"/> (a tail call or a program's lookup of an array of maps goes through it).
/// The kernel exchanges descriptors and ids with user space; the runtime has neither, so the byte-level
/// lookup and update answer -ENOTSUPP.
/// </summary>
public sealed class ObjectArrayMap : BpfMap
{
    private readonly object?[] _slots;
    private readonly MapSpec? _innerTemplate;

    /// <summary>Creates the map; an array of maps needs its inner map template (<see cref="MapSpec.InnerMap"/>).</summary>
    public ObjectArrayMap(MapSpec spec) : base(spec)
    {
        if (spec.Type is not (MapType.ProgArray or MapType.ArrayOfMaps)) throw new ArgumentException($"not an object array: {spec.Type}", nameof(spec));
        if (spec.Type == MapType.ArrayOfMaps && spec.InnerMap is null) throw new ArgumentException("an array of maps needs an inner map template", nameof(spec));
        _innerTemplate = spec.InnerMap;
        _slots = new object?[spec.MaxEntries];
    }

    /// <summary>
    /// Stores <paramref name="target"/> at <paramref name="index"/> (a program for a prog array, a
    /// <see cref="BpfMap"/> compatible with the inner template for an array of maps). 0, -E2BIG (index),
    /// -EINVAL (flags other than BPF_ANY, or an incompatible map).
    /// </summary>
    public int Set(uint index, object target, ulong flags = MapFlags.Any)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (flags != MapFlags.Any) return MapErrno.EINVAL;
        if (index >= MaxEntries) return MapErrno.E2BIG;
        if (WhyRefused(target) is not null) return MapErrno.EINVAL;
        _slots[index] = target;
        return 0;
    }

    /// <summary>Why <paramref name="target"/> cannot be stored here, or null when it can.</summary>
    public string? WhyRefused(object target) => Type switch
    {
        MapType.ArrayOfMaps when target is not BpfMap => $"an array of maps holds maps, not {target.GetType().Name}",
        MapType.ArrayOfMaps => InnerMapCompatibility.WhyIncompatible(_innerTemplate!, (BpfMap)target),
        _ when target is BpfMap => "a prog array holds programs, not maps",
        _ => null,
    };

    /// <inheritdoc/>
    public override object? LookupObject(ReadOnlySpan<byte> key)
    {
        uint index = BinaryPrimitives.ReadUInt32LittleEndian(key);
        return index < MaxEntries ? _slots[index] : null;
    }

    /// <summary>Programs do not read these maps' bytes: use <see cref="LookupObject"/>.</summary>
    public override bool TryLookup(ReadOnlySpan<byte> key, int cpu, out MemorySlice value)
    {
        value = default;
        return false;
    }

    /// <summary>Programs cannot update these maps: -EOPNOTSUPP.</summary>
    public override int Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags, int cpu) => MapErrno.EOPNOTSUPP;

    /// <inheritdoc/>
    public override int Delete(ReadOnlySpan<byte> key) => ClearSlot(_slots, key);

    /// <inheritdoc/>
    protected override int GetNextKeyCore(ReadOnlySpan<byte> key, Span<byte> nextKey) => NextIndexKey(key, nextKey);
}
