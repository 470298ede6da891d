using BpfSharp.Binary;

namespace BpfSharp.Elf;

/// <summary>
/// A little-endian ELF64 relocatable object for the BPF machine, read with bounds checks: section headers,
/// section bytes, the symbol table and every REL/RELA relocation table. Everything is validated when the
/// file is parsed, so later users can index freely; a malformed file raises one <see cref="BpfFormatException"/>
/// naming the file, the section and the offset.
/// </summary>
public sealed class ElfFile
{
    /// <summary>st_shndx of an undefined (extern) symbol.</summary>
    public const int UndefinedSection = 0;
    /// <summary>st_shndx of an absolute symbol.</summary>
    public const int AbsoluteSection = 0xfff1;
    /// <summary>st_shndx of a common symbol.</summary>
    public const int CommonSection = 0xfff2;
    /// <summary>EM_BPF.</summary>
    public const ushort MachineBpf = 247;
    /// <summary>EM_NONE, which LLVM wrote for BPF objects before EM_BPF existed.</summary>
    public const ushort MachineNone = 0;

    private const int HeaderSize = 64, SectionHeaderSize = 64, SymbolSize = 24, RelSize = 16, RelaSize = 24;
    private const int XIndex = 0xffff;

    private readonly Dictionary<int, IReadOnlyList<ElfRelocation>> _relocations;

    private ElfFile(string? fileName, ushort type, ushort machine, ElfSection[] sections, ElfSymbol[] symbols,
        Dictionary<int, IReadOnlyList<ElfRelocation>> relocations, Dictionary<int, int> relocationSections)
    {
        FileName = fileName;
        ObjectType = type;
        Machine = machine;
        Sections = sections;
        Symbols = symbols;
        _relocations = relocations;
        RelocationSectionOf = relocationSections;
    }

    /// <summary>The file name given to <see cref="Parse"/>, used in error messages.</summary>
    public string? FileName { get; }

    /// <summary>e_type (1 = relocatable).</summary>
    public ushort ObjectType { get; }

    /// <summary>e_machine: <see cref="MachineBpf"/>, or <see cref="MachineNone"/> for objects from old LLVM.</summary>
    public ushort Machine { get; }

    /// <summary>All sections, indexed by section number (0 is the null section).</summary>
    public IReadOnlyList<ElfSection> Sections { get; }

    /// <summary>The symbol table (empty when the object has none); index 0 is the null symbol.</summary>
    public IReadOnlyList<ElfSymbol> Symbols { get; }

    /// <summary>For each relocated section index, the index of the REL/RELA section that applies to it.</summary>
    public IReadOnlyDictionary<int, int> RelocationSectionOf { get; }

    /// <summary>The first section named <paramref name="name"/>, or null.</summary>
    public ElfSection? FindSection(string name)
    {
        foreach (var s in Sections)
            if (s.Name == name) return s;
        return null;
    }

    /// <summary>The relocations applying to section <paramref name="sectionIndex"/> (empty when none).</summary>
    public IReadOnlyList<ElfRelocation> RelocationsFor(int sectionIndex) =>
        _relocations.TryGetValue(sectionIndex, out var list) ? list : [];

    /// <summary>Reads an ELF file from disk.</summary>
    public static ElfFile Load(string path) => Parse(File.ReadAllBytes(path), path);

    /// <summary>Parses an ELF object held in <paramref name="data"/> (which the result keeps referencing).</summary>
    /// <exception cref="BpfFormatException">The data is not a valid little-endian ELF64 BPF object.</exception>
    public static ElfFile Parse(byte[] data, string? fileName = null)
    {
        var file = new FormatLocation(fileName, null);
        var r = new SpanReader(data, file);
        if (data.Length < 16) throw file.Error($"file of {data.Length} bytes is too short for an ELF header", 0);
        if (data[0] != 0x7f || data[1] != (byte)'E' || data[2] != (byte)'L' || data[3] != (byte)'F')
            throw file.Error("not an ELF file (bad magic)", 0);
        if (data[4] != 2) throw file.Error(data[4] == 1 ? "32-bit ELF is not supported: BPF objects are ELF64" : $"invalid ELF class {data[4]}", 4);
        if (data[5] == 2) throw file.Error("big-endian BPF objects are not supported (compile with -target bpfel or -target bpf on a little-endian host)", 5);
        if (data[5] != 1) throw file.Error($"invalid ELF data encoding {data[5]}", 5);
        if (data.Length < HeaderSize) throw file.Error($"file of {data.Length} bytes is too short for an ELF64 header", data.Length);

        r.Position = 16;
        ushort type = r.ReadUInt16();
        ushort machine = r.ReadUInt16();
        // LLVM emitted EM_NONE for BPF before EM_BPF was assigned; such objects (e.g. old OVS builds) are still BPF.
        if (machine is not (MachineBpf or MachineNone)) throw file.Error($"wrong machine {machine} (expected EM_BPF, 247): not a BPF object", 18);
        r.ReadUInt32();              // e_version
        r.ReadUInt64();              // e_entry
        r.ReadUInt64();              // e_phoff
        ulong shoff = r.ReadUInt64();
        r.ReadUInt32();              // e_flags
        r.ReadUInt16();              // e_ehsize
        r.ReadUInt16();              // e_phentsize
        r.ReadUInt16();              // e_phnum
        ushort shentsize = r.ReadUInt16();
        int shnum = r.ReadUInt16();
        int shstrndx = r.ReadUInt16();

        if (shoff == 0) throw file.Error("the object has no section header table", 40);
        if (shentsize != SectionHeaderSize) throw file.Error($"section header size {shentsize} (expected 64)", 58);
        // Extended numbering: section 0 holds the real count and string-table index.
        var header0 = r.Slice(shoff, SectionHeaderSize, "section header 0");
        if (shnum == 0) shnum = checked((int)Math.Min(System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(header0[32..]), int.MaxValue));
        if (shstrndx == XIndex) shstrndx = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(header0[40..]);
        if (shnum > (data.Length / SectionHeaderSize) + 1) throw file.Error($"section count {shnum} cannot fit in the file", 60);
        var headers = r.Slice(shoff, (ulong)shnum * SectionHeaderSize, "section header table");
        if ((uint)shstrndx >= (uint)shnum) throw file.Error($"section name table index {shstrndx} is out of range ({shnum} sections)", 62);

        var raw = new RawSection[shnum];
        for (int i = 0; i < shnum; i++)
        {
            var h = new SpanReader(headers.Slice(i * SectionHeaderSize, SectionHeaderSize), file.Advance((long)shoff + i * SectionHeaderSize));
            raw[i] = new RawSection(h.ReadUInt32(), h.ReadUInt32(), h.ReadUInt64(), h.ReadUInt64(), h.ReadUInt64(), h.ReadUInt64(),
                h.ReadUInt32(), h.ReadUInt32(), h.ReadUInt64(), h.ReadUInt64(), (long)shoff + i * SectionHeaderSize);
        }

        ReadOnlyMemory<byte> SectionBytes(in RawSection s, string what)
        {
            if ((ElfSectionType)s.Type is ElfSectionType.NoBits or ElfSectionType.Null) return ReadOnlyMemory<byte>.Empty;
            if (s.Offset > (ulong)data.Length || s.Size > (ulong)data.Length - s.Offset)
                throw file.Error($"section '{what}': data (offset 0x{s.Offset:x}, size 0x{s.Size:x}) extends past the end of the file ({data.Length} bytes)",
                    s.HeaderOffset + 24);
            return new ReadOnlyMemory<byte>(data, (int)s.Offset, (int)s.Size);
        }

        var shstr = raw[shstrndx];
        var names = new StringTable(SectionBytes(shstr, $"#{shstrndx}"), new FormatLocation(fileName, $"#{shstrndx} (section names)"));
        var sections = new ElfSection[shnum];
        for (int i = 0; i < shnum; i++)
        {
            var s = raw[i];
            string name = i == 0 ? "" : names.TryGet(s.Name)
                ?? throw file.Error($"section #{i}: name offset {s.Name} is outside the section name table", s.HeaderOffset);
            if (s.Link >= (uint)shnum && (ElfSectionType)s.Type is ElfSectionType.SymTab or ElfSectionType.Rel or ElfSectionType.Rela)
                throw file.Error($"section '{name}': sh_link {s.Link} is not a section index", s.HeaderOffset + 40);
            sections[i] = new ElfSection(i, name, (ElfSectionType)s.Type, s.Flags, s.Offset, s.Size, (int)Math.Min(s.Link, int.MaxValue),
                s.Info, s.Align, s.EntSize, SectionBytes(s, name.Length > 0 ? name : $"#{i}"));
        }

        var symbols = ReadSymbols(sections, fileName);
        var relocations = new Dictionary<int, IReadOnlyList<ElfRelocation>>();
        var relocationSections = new Dictionary<int, int>();
        foreach (var s in sections)
        {
            if (s.Type is not (ElfSectionType.Rel or ElfSectionType.Rela)) continue;
            if (s.Info == 0 || s.Info >= (uint)shnum)
                throw new BpfFormatException($"relocation section applies to section index {s.Info}, which does not exist", fileName, s.Name);
            var list = ReadRelocations(s, symbols.Length, fileName);
            int target = (int)s.Info;
            if (relocations.TryGetValue(target, out var existing))
                list = [.. existing, .. list];
            relocations[target] = list;
            relocationSections[target] = s.Index;
        }
        return new ElfFile(fileName, type, machine, sections, symbols, relocations, relocationSections);
    }

    private static ElfSymbol[] ReadSymbols(ElfSection[] sections, string? fileName)
    {
        ElfSection? symtab = null;
        foreach (var s in sections)
        {
            if (s.Type != ElfSectionType.SymTab) continue;
            if (symtab is not null) throw new BpfFormatException("more than one symbol table", fileName, s.Name);
            symtab = s;
        }
        if (symtab is null) return [];
        if (symtab.EntrySize != SymbolSize)
            throw new BpfFormatException($"symbol table entry size {symtab.EntrySize} (expected {SymbolSize})", fileName, symtab.Name);
        if (symtab.Data.Length % SymbolSize != 0)
            throw new BpfFormatException($"symbol table size {symtab.Data.Length} is not a multiple of {SymbolSize}", fileName, symtab.Name);
        var strtabSection = sections[symtab.Link];
        if (strtabSection.Type != ElfSectionType.StrTab)
            throw new BpfFormatException($"symbol table's string table (section {symtab.Link}) is not a string table", fileName, symtab.Name);
        var strings = new StringTable(strtabSection.Data, new FormatLocation(fileName, strtabSection.Name));

        int count = symtab.Data.Length / SymbolSize;
        var result = new ElfSymbol[count];
        var r = new SpanReader(symtab.Data.Span, new FormatLocation(fileName, symtab.Name));
        for (int i = 0; i < count; i++)
        {
            int entry = r.Position;
            uint nameOffset = r.ReadUInt32();
            byte info = r.ReadByte();
            byte other = r.ReadByte();
            ushort shndx = r.ReadUInt16();
            ulong value = r.ReadUInt64();
            ulong size = r.ReadUInt64();
            string name = strings.TryGet(nameOffset)
                ?? throw new BpfFormatException($"symbol {i} name offset {nameOffset} is outside {strtabSection.Name}", fileName, symtab.Name, entry);
            if (shndx != UndefinedSection && shndx < 0xff00 && shndx >= sections.Length)
                throw new BpfFormatException($"symbol {i} '{name}' is in section {shndx}, which does not exist", fileName, symtab.Name, entry + 6);
            if (shndx == XIndex)
                throw new BpfFormatException($"symbol {i} '{name}' uses extended section indexes, which BPF objects never need", fileName, symtab.Name, entry + 6);
            result[i] = new ElfSymbol(i, name, value, size, (ElfSymbolType)(info & 0xf), (ElfSymbolBinding)(info >> 4), (byte)(other & 0x3), shndx);
        }
        return result;
    }

    private static ElfRelocation[] ReadRelocations(ElfSection section, int symbolCount, string? fileName)
    {
        bool rela = section.Type == ElfSectionType.Rela;
        int entrySize = rela ? RelaSize : RelSize;
        if (section.EntrySize != 0 && section.EntrySize != (ulong)entrySize)
            throw new BpfFormatException($"relocation entry size {section.EntrySize} (expected {entrySize})", fileName, section.Name);
        if (section.Data.Length % entrySize != 0)
            throw new BpfFormatException($"relocation table size {section.Data.Length} is not a multiple of {entrySize}", fileName, section.Name);
        var r = new SpanReader(section.Data.Span, new FormatLocation(fileName, section.Name));
        var list = new ElfRelocation[section.Data.Length / entrySize];
        for (int i = 0; i < list.Length; i++)
        {
            int entry = r.Position;
            ulong offset = r.ReadUInt64();
            ulong info = r.ReadUInt64();
            long addend = rela ? r.ReadInt64() : 0;
            ulong symbol = info >> 32;
            if (symbol >= (ulong)symbolCount)
                throw new BpfFormatException($"relocation {i} refers to symbol {symbol}, which does not exist ({symbolCount} symbols)", fileName, section.Name, entry + 12);
            list[i] = new ElfRelocation(offset, (int)symbol, (uint)info, addend, entry);
        }
        return list;
    }

    private readonly record struct RawSection(uint Name, uint Type, ulong Flags, ulong Addr, ulong Offset, ulong Size,
        uint Link, uint Info, ulong Align, ulong EntSize, long HeaderOffset);
}
