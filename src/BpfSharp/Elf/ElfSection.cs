namespace BpfSharp.Elf;

/// <summary>One section of an ELF object, with its bytes (empty for NOBITS sections such as .bss).</summary>
public sealed class ElfSection
{
    private const ulong FlagWrite = 0x1, FlagAlloc = 0x2, FlagExec = 0x4;

    internal ElfSection(int index, string name, ElfSectionType type, ulong flags, ulong fileOffset, ulong size,
        int link, uint info, ulong alignment, ulong entrySize, ReadOnlyMemory<byte> data)
    {
        Index = index;
        Name = name;
        Type = type;
        Flags = flags;
        FileOffset = fileOffset;
        Size = size;
        Link = link;
        Info = info;
        Alignment = alignment;
        EntrySize = entrySize;
        Data = data;
    }

    /// <summary>The section's index in the section header table.</summary>
    public int Index { get; }

    /// <summary>The section name.</summary>
    public string Name { get; }

    /// <summary>sh_type.</summary>
    public ElfSectionType Type { get; }

    /// <summary>sh_flags.</summary>
    public ulong Flags { get; }

    /// <summary>sh_offset: where the bytes start in the file.</summary>
    public ulong FileOffset { get; }

    /// <summary>sh_size: the size in bytes (also for NOBITS sections, which have no bytes in the file).</summary>
    public ulong Size { get; }

    /// <summary>sh_link.</summary>
    public int Link { get; }

    /// <summary>sh_info (for relocation sections: the section they apply to).</summary>
    public uint Info { get; }

    /// <summary>sh_addralign.</summary>
    public ulong Alignment { get; }

    /// <summary>sh_entsize.</summary>
    public ulong EntrySize { get; }

    /// <summary>The section's bytes; empty for NOBITS.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>True for SHF_EXECINSTR sections: BPF code.</summary>
    public bool IsExecutable => (Flags & FlagExec) != 0;

    /// <summary>True for SHF_ALLOC sections.</summary>
    public bool IsAllocated => (Flags & FlagAlloc) != 0;

    /// <summary>True for SHF_WRITE sections.</summary>
    public bool IsWritable => (Flags & FlagWrite) != 0;

    /// <inheritdoc/>
    public override string ToString() => $"[{Index}] {Name} ({Type}, {Size} bytes)";
}
