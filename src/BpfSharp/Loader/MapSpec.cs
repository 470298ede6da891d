namespace BpfSharp.Loader;

/// <summary>
/// A map as an object declares it: plain, editable data, nothing created anywhere. The kernel backend and the
/// userspace runtime create real maps from it.
/// </summary>
public sealed class MapSpec
{
    /// <summary>Well-known map flag: the program may only read the map (.rodata).</summary>
    public const uint FlagReadOnlyProgram = 0x80;
    /// <summary>Well-known map flag: the map can be mmap()ed (global data).</summary>
    public const uint FlagMmapable = 0x400;
    /// <summary>Well-known map flag: <see cref="NumaNode"/> is meaningful.</summary>
    public const uint FlagNumaNode = 0x4;

    /// <summary>The map's name: the symbol name, or the section name for global data.</summary>
    public required string Name { get; set; }

    /// <summary>
    /// The name the kernel is given for this map, as libbpf names it: global data maps are
    /// "&lt;first 8 characters of the object name&gt;&lt;section&gt;" (xdp_coun.rodata); every name is cut to 15
    /// characters of [A-Za-z0-9_.], other characters becoming '_'.
    /// </summary>
    /// <param name="objectFileName">The object's file name (its base name without .o is the object name).</param>
    public string KernelName(string? objectFileName)
    {
        string name = Name;
        if (Kind == MapDefinitionKind.GlobalData)
        {
            string obj = Path.GetFileNameWithoutExtension(objectFileName ?? "obj");
            name = obj[..Math.Min(8, obj.Length)] + Name;
        }
        Span<char> buffer = stackalloc char[Math.Min(name.Length, 15)];
        for (int i = 0; i < buffer.Length; i++)
        {
            char c = name[i];
            buffer[i] = char.IsAsciiLetterOrDigit(c) || c is '_' or '.' ? c : '_';
        }
        return new string(buffer);
    }

    /// <summary>The map type.</summary>
    public required MapType Type { get; set; }

    /// <summary>Key size in bytes.</summary>
    public uint KeySize { get; set; }

    /// <summary>Value size in bytes.</summary>
    public uint ValueSize { get; set; }

    /// <summary>Maximum number of entries.</summary>
    public uint MaxEntries { get; set; }

    /// <summary>BPF_F_* map flags.</summary>
    public uint Flags { get; set; }

    /// <summary>NUMA node, when <see cref="FlagNumaNode"/> is set.</summary>
    public uint NumaNode { get; set; }

    /// <summary>map_extra (bloom filter hash count, arena address).</summary>
    public ulong MapExtra { get; set; }

    /// <summary>Pinning requested by the definition.</summary>
    public MapPinning Pinning { get; set; }

    /// <summary>The inner map template of an array/hash of maps, or null.</summary>
    public MapSpec? InnerMap { get; set; }

    /// <summary>The ELF section the definition is in.</summary>
    public required string SectionName { get; set; }

    /// <summary>Where the definition came from.</summary>
    public MapDefinitionKind Kind { get; set; }

    /// <summary>Initial contents of a global data map (.data, .rodata); null when the map starts zeroed.</summary>
    public byte[]? Contents { get; set; }

    /// <summary>True for .rodata sections: the loader fills and freezes the map before loading programs.</summary>
    public bool Freeze { get; set; }

    /// <summary>BTF type id of the key (0 when there is none).</summary>
    public uint BtfKeyTypeId { get; set; }

    /// <summary>BTF type id of the value (0 when there is none); for global data, the DATASEC.</summary>
    public uint BtfValueTypeId { get; set; }

    /// <summary>Entries declared in the object for prog arrays and maps of maps.</summary>
    public IReadOnlyList<MapSlot> InitialSlots { get; set; } = [];

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Name}: {KernelNames.Of(Type)} key {KeySize} value {ValueSize} max {MaxEntries} flags 0x{Flags:x}";
}
