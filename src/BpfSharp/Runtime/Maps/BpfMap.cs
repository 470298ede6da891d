using BpfSharp.Loader;

namespace BpfSharp.Runtime.Maps;

/// <summary>
/// A map of the userspace runtime: the contract the interpreter and the helpers use. Concrete map types
/// (array, hash, LRU, ringbuf, ...) derive from it and add their .NET API. Results follow the kernel's
/// conventions: 0 or a negative errno.
/// </summary>
public abstract class BpfMap
{
    /// <summary>Creates the map from its specification.</summary>
    protected BpfMap(MapSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Name = spec.Name;
        Type = spec.Type;
        KeySize = spec.KeySize;
        ValueSize = spec.ValueSize;
        MaxEntries = spec.MaxEntries;
        Flags = spec.Flags;
    }

    /// <summary>The map's name in its object.</summary>
    public string Name { get; }

    /// <summary>Its kernel map type.</summary>
    public MapType Type { get; }

    /// <summary>Key size in bytes.</summary>
    public uint KeySize { get; }

    /// <summary>Value size in bytes (per CPU for per-CPU maps).</summary>
    public uint ValueSize { get; }

    /// <summary>Capacity.</summary>
    public uint MaxEntries { get; }

    /// <summary>Creation flags (BPF_F_*).</summary>
    public uint Flags { get; }

    /// <summary>
    /// What a program's bpf_map_lookup_elem sees: the value memory of <paramref name="cpu"/> for the key, which
    /// stays valid (not reused for another element) while the program runs; false when there is none.
    /// </summary>
    public abstract bool TryLookup(ReadOnlySpan<byte> key, int cpu, out MemorySlice value);

    /// <summary>A program's bpf_map_update_elem: 0 or a negative errno (-EEXIST, -ENOENT, -E2BIG, -EINVAL, ...).</summary>
    public abstract int Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags, int cpu);

    /// <summary>A program's bpf_map_delete_elem: 0 or a negative errno.</summary>
    public abstract int Delete(ReadOnlySpan<byte> key);

    /// <summary>
    /// For maps that hold objects rather than bytes (prog array: a program; array/hash of maps: a map): the object
    /// at <paramref name="key"/>, or null. Other maps hold none.
    /// </summary>
    public virtual object? LookupObject(ReadOnlySpan<byte> key) => null;

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({KernelNames.Of(Type)}, key {KeySize}, value {ValueSize}, max {MaxEntries})";
}
