using BpfSharp.Btf;
using BpfSharp.Isa;

namespace BpfSharp.Loader;

/// <summary>
/// One program of an object, linked the way libbpf links it: its own instructions, then every subprogram it
/// calls appended after it, with calls, map references and global data references relocated. Map references
/// use <see cref="PseudoSource.MapIdx"/> / <see cref="PseudoSource.MapIdxValue"/> with the index of the map in
/// <see cref="Maps"/>; the kernel backend turns them into file descriptors, the runtime into its own maps.
/// </summary>
public sealed class ProgramSpec
{
    /// <summary>The program's name (its function symbol, or the section name when there is none).</summary>
    public required string Name { get; set; }

    /// <summary>The ELF section the program is in.</summary>
    public required string SectionName { get; set; }

    /// <summary>The program type (from the section name, or an override).</summary>
    public ProgramType Type { get; set; }

    /// <summary>The expected attach type, or null when none is set (the kernel then gets 0).</summary>
    public AttachType? ExpectedAttachType { get; set; }

    /// <summary>How the section name was matched, for diagnostics.</summary>
    public SectionMatch Section { get; set; }

    /// <summary>True when <see cref="Type"/> came from a user override rather than the section name.</summary>
    public bool TypeOverridden { get; set; }

    /// <summary>Number of instruction slots of the program's own function in the ELF (an ld_imm64 counts 2).</summary>
    public int InstructionCount { get; set; }

    /// <summary>Index of the program's first instruction inside its section.</summary>
    public int SectionOffset { get; set; }

    /// <summary>The linked, relocated instructions.</summary>
    public Instruction[] Instructions { get; set; } = [];

    /// <summary>The functions making up <see cref="Instructions"/>, the program's own first.</summary>
    public IReadOnlyList<ProgramFunction> Functions { get; set; } = [];

    /// <summary>func_info records, with instruction indexes into <see cref="Instructions"/> (empty without .BTF.ext).</summary>
    public IReadOnlyList<BtfFuncInfo> FuncInfos { get; set; } = [];

    /// <summary>line_info records, with instruction indexes into <see cref="Instructions"/> (empty without .BTF.ext).</summary>
    public IReadOnlyList<BtfLineInfo> LineInfos { get; set; } = [];

    /// <summary>CO-RE relocation records, with indexes into <see cref="Instructions"/> (parsed, not applied yet).</summary>
    public IReadOnlyList<BtfCoreRelocation> CoreRelocations { get; set; } = [];

    /// <summary>
    /// Why the program cannot be loaded as it is (a call to an undefined external function, a relocation that
    /// cannot be resolved, ...). Empty when linking succeeded.
    /// </summary>
    public IReadOnlyList<string> Problems { get; set; } = [];

    /// <summary>The maps the program's map references index into (the object's maps).</summary>
    public IReadOnlyList<MapSpec> Maps { get; set; } = [];

    /// <summary>The object's license string.</summary>
    public string License { get; set; } = "";

    /// <summary>The object's kern_version (from the <c>version</c> section), or null.</summary>
    public uint? KernelVersion { get; set; }

    /// <summary>Number of instruction slots after linking (what the kernel is given).</summary>
    public int LinkedInstructionCount => Instructions.Length;

    /// <summary>The highest ISA version the linked instructions need.</summary>
    public IsaVersion IsaVersion => OpcodeTable.RequiredVersion(Instructions);

    /// <summary>Symbols (map names) for the assembler and disassembler.</summary>
    public IProgramSymbols Symbols => new MapSymbols(Maps.Select(m => m.Name).ToArray());

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({SectionName}, {KernelNames.Of(Type)}, {InstructionCount} insns)";
}
