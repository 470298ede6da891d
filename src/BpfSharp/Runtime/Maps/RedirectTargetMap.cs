using System.Buffers.Binary;
using BpfSharp.Loader;

namespace BpfSharp.Runtime.Maps;

/// <summary>
/// The maps bpf_redirect_map takes — devmap, devmap_hash, cpumap, xskmap — whose entries name a target (an
/// interface, a CPU, an AF_XDP socket). The runtime has no devices, so an entry is only a recorded target: a redirect
/// through a filled slot is reported as such, an empty slot gives the fallback action in the flags, as the kernel's
/// test run does with empty maps. Entries are set from .NET with <see cref="Set"/>.
/// </summary>
public sealed class RedirectTargetMap : BpfMap
{
    private readonly Dictionary<uint, uint> _targets = new();

    /// <summary>Creates the map.</summary>
    public RedirectTargetMap(MapSpec spec) : base(spec)
    {
        if (spec.Type is not (MapType.Devmap or MapType.DevmapHash or MapType.Cpumap or MapType.Xskmap))
            throw new ArgumentException($"not a redirect map: {spec.Type}", nameof(spec));
    }

    /// <summary>Points slot <paramref name="key"/> at <paramref name="target"/> (ifindex, CPU or queue); 0 or -E2BIG.</summary>
    public int Set(uint key, uint target)
    {
        if (Type != MapType.DevmapHash && key >= MaxEntries) return MapErrno.E2BIG;
        if (Type == MapType.DevmapHash && !_targets.ContainsKey(key) && _targets.Count >= MaxEntries) return MapErrno.E2BIG;
        _targets[key] = target;
        return 0;
    }

    /// <summary>The target of a slot, described ("ifindex 3", "cpu 1", "xsk queue 0"), or null when empty.</summary>
    public override object? LookupObject(ReadOnlySpan<byte> key)
    {
        if (key.Length < 4 || !_targets.TryGetValue(BinaryPrimitives.ReadUInt32LittleEndian(key), out uint target)) return null;
        return Type switch
        {
            MapType.Cpumap => $"cpu {target}",
            MapType.Xskmap => $"xsk {target}",
            _ => $"ifindex {target}",
        };
    }

    /// <summary>Programs do not read these maps' bytes in the runtime.</summary>
    public override bool TryLookup(ReadOnlySpan<byte> key, int cpu, out MemorySlice value)
    {
        value = default;
        return false;
    }

    /// <summary>Programs cannot update these maps.</summary>
    public override int Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags, int cpu) => MapErrno.EOPNOTSUPP;

    /// <inheritdoc/>
    public override int Delete(ReadOnlySpan<byte> key) =>
        key.Length >= 4 && _targets.Remove(BinaryPrimitives.ReadUInt32LittleEndian(key)) ? 0 : MapErrno.ENOENT;
}
