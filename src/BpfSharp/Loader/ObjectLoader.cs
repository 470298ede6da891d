using BpfSharp.Binary;
using BpfSharp.Btf;
using BpfSharp.Elf;

namespace BpfSharp.Loader;

/// <summary>
/// Reads a BPF object file into an <see cref="ObjectSpec"/>, as libbpf opens an object, and also what libbpf
/// 1.x refuses (legacy map sections, iproute2 map layouts, objects without function symbols). Nothing is
/// loaded anywhere. Malformed input raises <see cref="BpfFormatException"/>; programs that are well formed but
/// cannot be linked (a call to an undefined function) are returned with their <see cref="ProgramSpec.Problems"/>.
/// </summary>
public static class ObjectLoader
{
    /// <summary>Reads and links the object at <paramref name="path"/>.</summary>
    /// <exception cref="BpfFormatException">The file is not a valid BPF object.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ObjectSpec LoadFile(string path, LoadOptions? options = null) => Load(File.ReadAllBytes(path), path, options);

    /// <summary>Reads and links an object held in memory; <paramref name="fileName"/> is used in messages.</summary>
    /// <exception cref="BpfFormatException">The data is not a valid BPF object.</exception>
    public static ObjectSpec Load(byte[] data, string? fileName = null, LoadOptions? options = null)
    {
        options ??= new LoadOptions();
        var elf = ElfFile.Parse(data, fileName);
        var (btf, btfData) = ReadBtf(elf);
        var ext = btf is null ? null : ReadBtfExt(elf, btf);
        string license = ReadLicense(elf);
        uint? version = ReadVersion(elf);

        var maps = new List<MapSpec>();
        var mapsBySymbol = new Dictionary<(int Section, ulong Offset), int>();
        LegacyMapReader.Read(elf, maps, mapsBySymbol);
        if (btf is not null) BtfMapReader.Read(elf, btf, maps, mapsBySymbol);
        var dataMaps = GlobalDataMaps.Read(elf, btf, maps);

        var code = new Dictionary<int, CodeSection>();
        foreach (var section in elf.Sections)
        {
            if (section.IsExecutable && section.Type == ElfSectionType.ProgBits && section.Data.Length > 0)
                code[section.Index] = CodeSection.Read(elf, section);
        }
        var codeIndexes = code.Keys.ToHashSet();
        foreach (var section in code.Values) section.ResolveRelocations(elf, mapsBySymbol, dataMaps, codeIndexes);

        var programs = new List<ProgramSpec>();
        var called = CalledFunctions(code);
        foreach (var section in code.Values.OrderBy(s => s.Section.Index))
        {
            bool isText = section.Section.Name == ".text";
            foreach (var function in section.Functions)
            {
                // libbpf: .text functions are subprograms; one nothing calls is a program of its own.
                if (isText && called.Contains(function)) continue;
                programs.Add(CreateProgram(function, section, code, ext, maps, license, version, options));
            }
        }
        return new ObjectSpec
        {
            FileName = fileName,
            Programs = programs,
            Maps = maps,
            License = license,
            KernelVersion = version,
            Btf = btf,
            BtfData = btfData,
            BtfExt = ext,
        };
    }

    private static ProgramSpec CreateProgram(CodeFunction function, CodeSection section, IReadOnlyDictionary<int, CodeSection> code,
        BtfExt? ext, IReadOnlyList<MapSpec> maps, string license, uint? version, LoadOptions options)
    {
        var match = SectionRules.Resolve(section.Section.Name);
        var program = new ProgramSpec
        {
            Name = function.Name,
            SectionName = section.Section.Name,
            Section = match,
            Type = match.Type,
            ExpectedAttachType = match.ExpectedAttachType,
            InstructionCount = function.Length,
            SectionOffset = function.Start,
            Maps = maps,
            License = license,
            KernelVersion = version,
        };
        if (options.ProgramTypes.TryGetValue(function.Name, out var byName) || options.ProgramTypes.TryGetValue(section.Section.Name, out byName))
        {
            program.Type = byName;
            program.ExpectedAttachType = null;
            program.TypeOverridden = true;
        }
        else if (options.ProgramType is { } type)
        {
            program.Type = type;
            program.ExpectedAttachType = options.AttachType;
            program.TypeOverridden = true;
        }
        new ProgramLinker(code, ext).Link(function, program);
        return program;
    }

    // Functions that some code calls or takes the address of.
    private static HashSet<CodeFunction> CalledFunctions(IReadOnlyDictionary<int, CodeSection> code)
    {
        var called = new HashSet<CodeFunction>();
        foreach (var section in code.Values)
        {
            for (int i = 0; i < section.Instructions.Length; i++)
            {
                var insn = section.Instructions[i];
                (int Section, long Index)? target = null;
                if (section.Relocations.TryGetValue(i, out var reloc))
                {
                    if (reloc.Kind is RelocationKind.Call or RelocationKind.FunctionAddress) target = (reloc.TargetSection, reloc.TargetIndex);
                }
                else if (insn.Opcode == 0x85 && insn.Src == Isa.PseudoSource.LocalCall || insn.IsLoadImm64 && insn.Src == Isa.PseudoSource.Func)
                {
                    target = (section.Section.Index, (long)i + insn.Immediate + 1);
                }
                if (target is { } t && code.TryGetValue(t.Section, out var targetSection) && targetSection.FunctionAt(t.Index) is { } callee
                    && !(callee.Section == section.Section.Index && callee.Contains(section.Section.Index, i)))
                {
                    called.Add(callee);
                }
            }
        }
        return called;
    }

    // The BTF with its DATASECs filled in from the ELF, parsed: what the kernel will be given.
    private static (BtfSpec? Spec, byte[]? Data) ReadBtf(ElfFile elf)
    {
        var section = elf.FindSection(".BTF");
        if (section is null || section.Data.Length == 0) return (null, null);
        var location = new FormatLocation(elf.FileName, section.Name);
        byte[] raw = section.Data.ToArray();
        var spec = BtfSpec.Parse(raw, location);
        byte[] fixedUp = BtfDatasecFixup.Apply(raw, spec, elf);
        return ReferenceEquals(fixedUp, raw) ? (spec, raw) : (BtfSpec.Parse(fixedUp, location), fixedUp);
    }

    private static BtfExt? ReadBtfExt(ElfFile elf, BtfSpec btf)
    {
        var section = elf.FindSection(".BTF.ext");
        return section is null || section.Data.Length == 0 ? null : BtfExt.Parse(section.Data.Span, btf, new FormatLocation(elf.FileName, section.Name));
    }

    private static string ReadLicense(ElfFile elf)
    {
        var span = elf.FindSection("license") is { } section ? section.Data.Span : default;
        int end = span.IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(end >= 0 ? span[..end] : span);
    }

    private static uint? ReadVersion(ElfFile elf)
    {
        var section = elf.FindSection("version");
        if (section is null) return null;
        if (section.Data.Length != 4)
            throw new BpfFormatException($"the version section holds {section.Data.Length} bytes, not a 4-byte kernel version", elf.FileName, section.Name);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(section.Data.Span);
    }
}
