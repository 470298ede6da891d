using BpfSharp.Loader;

namespace BpfSharp.Verifier;

/// <summary>A map as the verifier sees it: type, sizes, flags and, for frozen read-only maps, contents.</summary>
internal sealed class VerifierMap
{
    public const uint FlagReadOnlyProg = 0x80;
    public const uint FlagWriteOnlyProg = 0x100;

    public required string Name { get; init; }
    public required MapType Type { get; init; }
    public uint KeySize { get; init; }
    public uint ValueSize { get; init; }
    public uint MaxEntries { get; init; }
    public uint Flags { get; init; }
    /// <summary>Index of the inner map's template in the verification's map table, or -1.</summary>
    public int InnerIndex { get; set; } = -1;
    /// <summary>Contents of a frozen read-only map (.rodata): loads from it are constants.</summary>
    public byte[]? FrozenContents { get; init; }
    /// <summary>Offset of a struct bpf_spin_lock in the value, or -1.</summary>
    public int SpinLockOffset { get; init; } = -1;
    /// <summary>Offset of a struct bpf_timer in the value, or -1.</summary>
    public int TimerOffset { get; init; } = -1;
    /// <summary>Whether the map has BTF for its key and value.</summary>
    public bool HasBtf { get; init; }

    public bool ReadOnlyProg => (Flags & FlagReadOnlyProg) != 0;

    /// <summary>The name the kernel keeps (at most 15 characters).</summary>
    public string KernelName => Name.Length > 15 ? Name[..15] : Name;

    /// <summary>
    /// Builds the verifier's map table for a program: its maps (named as the kernel names them, so logs match),
    /// then the inner-map templates they use (nameless, like the kernel's inner map metadata).
    /// </summary>
    public static VerifierMap[] TableFor(IReadOnlyList<MapSpec> maps, string? objectFileName = null, Btf.BtfSpec? btf = null)
    {
        var table = new List<VerifierMap>(maps.Count);
        foreach (var m in maps) table.Add(From(m, m.KernelName(objectFileName), btf));
        for (int i = 0; i < maps.Count; i++)
        {
            if (maps[i].InnerMap is { } inner && maps[i].Type is MapType.ArrayOfMaps or MapType.HashOfMaps)
            {
                table[i].InnerIndex = table.Count;
                table.Add(From(inner, "", btf));
            }
        }
        return table.ToArray();
    }

    public static VerifierMap From(MapSpec m, string name, Btf.BtfSpec? btf = null)
    {
        var fields = btf is not null && m.BtfValueTypeId != 0 ? MapValueFields.Find(btf, m.BtfValueTypeId) : MapValueFields.None;
        uint valueSize = m.ValueSize;
        uint keySize = m.KeySize;
        // The kernel's view after the loader's fix-ups: ring buffers have no key or value size.
        if (m.Type == MapType.Ringbuf) keySize = valueSize = 0;
        bool frozen = (m.Flags & FlagReadOnlyProg) != 0 && (m.Freeze || m.SectionName.StartsWith(".rodata", StringComparison.Ordinal));
        byte[]? contents = null;
        if (frozen)
        {
            contents = new byte[valueSize];
            m.Contents?.AsSpan(0, Math.Min(m.Contents.Length, (int)valueSize)).CopyTo(contents);
        }
        return new VerifierMap
        {
            Name = name,
            Type = m.Type,
            KeySize = keySize,
            ValueSize = valueSize,
            MaxEntries = m.MaxEntries,
            Flags = m.Flags,
            FrozenContents = contents,
            HasBtf = m.BtfValueTypeId != 0,
            SpinLockOffset = fields.SpinLockOffset,
            TimerOffset = fields.TimerOffset,
        };
    }
}
