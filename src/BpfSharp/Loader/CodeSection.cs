using BpfSharp.Binary;
using BpfSharp.Elf;
using BpfSharp.Isa;

namespace BpfSharp.Loader;

/// <summary>
/// An executable section: its instructions, the functions in it, and its relocations resolved against the
/// object's maps, data and code.
/// </summary>
internal sealed class CodeSection
{
    private CodeSection(ElfSection section, Instruction[] instructions, CodeFunction[] functions)
    {
        Section = section;
        Instructions = instructions;
        Functions = functions;
    }

    public ElfSection Section { get; }

    public Instruction[] Instructions { get; }

    /// <summary>Functions sorted by start.</summary>
    public CodeFunction[] Functions { get; }

    public Dictionary<int, InstructionRelocation> Relocations { get; } = [];

    public static CodeSection Read(ElfFile elf, ElfSection section)
    {
        var insns = Instruction.ReadAll(section.Data.Span, new FormatLocation(elf.FileName, section.Name));
        return new CodeSection(section, insns, FindFunctions(elf, section, insns.Length));
    }

    /// <summary>The function containing instruction <paramref name="index"/>, if any.</summary>
    public CodeFunction? FunctionAt(long index)
    {
        int lo = 0, hi = Functions.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            var f = Functions[mid];
            if (index < f.Start) hi = mid - 1;
            else if (index >= f.Start + f.Length) lo = mid + 1;
            else return f;
        }
        return null;
    }

    /// <summary>
    /// Function symbols mark where programs and subprograms start. Modern clang emits STT_FUNC symbols; older
    /// clang emitted global STT_NOTYPE symbols; some loaders' objects (OVS) name their programs with local
    /// STT_NOTYPE symbols among LLVM's basic-block labels. Without any, the whole section is one function.
    /// </summary>
    private static CodeFunction[] FindFunctions(ElfFile elf, ElfSection section, int count)
    {
        var inSection = elf.Symbols.Where(s => s.SectionIndex == section.Index && s.Name.Length > 0).ToList();
        var chosen = inSection.Where(s => s.Type == ElfSymbolType.Func).ToList();
        if (chosen.Count == 0)
            chosen = inSection.Where(s => s.Type == ElfSymbolType.NoType && s.Binding != ElfSymbolBinding.Local).ToList();
        if (chosen.Count == 0)
            chosen = inSection.Where(s => s.Type == ElfSymbolType.NoType && !IsCompilerLabel(s.Name)).ToList();
        if (chosen.Count == 0) return [new CodeFunction(section.Name, section.Index, 0, count)];

        var location = new FormatLocation(elf.FileName, section.Name);
        var starts = new List<ElfSymbol>();
        foreach (var sym in chosen.OrderBy(s => s.Value).ThenBy(s => s.Index))
        {
            if (sym.Value % Instruction.Size != 0 || sym.Value >= (ulong)count * Instruction.Size)
                throw location.Error($"function '{sym.Name}' starts at 0x{sym.Value:x}, which is not an instruction of the section", (long)Math.Min(sym.Value, (ulong)section.Data.Length));
            if (starts.Count == 0 || starts[^1].Value != sym.Value) starts.Add(sym);
        }
        var result = new CodeFunction[starts.Count];
        for (int i = 0; i < starts.Count; i++)
        {
            var sym = starts[i];
            int start = (int)(sym.Value / Instruction.Size);
            int end = i + 1 < starts.Count ? (int)(starts[i + 1].Value / Instruction.Size) : count;
            if (sym.Size > 0)
            {
                if (sym.Size % Instruction.Size != 0 || sym.Value + sym.Size > (ulong)count * Instruction.Size)
                    throw location.Error($"function '{sym.Name}' has size {sym.Size}, which does not fit the section's instructions", (long)sym.Value);
                end = Math.Min(end, start + (int)(sym.Size / Instruction.Size));
            }
            result[i] = new CodeFunction(sym.Name, section.Index, start, end - start);
        }
        return result;
    }

    // LLVM's BPF backend names basic blocks "LBB<f>_<n>" and temporaries "Ltmp<n>" (no leading dot).
    private static bool IsCompilerLabel(string name) =>
        name.StartsWith("LBB", StringComparison.Ordinal) || name.StartsWith("Ltmp", StringComparison.Ordinal) || name.StartsWith(".L", StringComparison.Ordinal);

    /// <summary>Resolves this section's relocations.</summary>
    public void ResolveRelocations(ElfFile elf, IReadOnlyDictionary<(int Section, ulong Offset), int> mapsBySymbol,
        IReadOnlyDictionary<int, int> dataMaps, IReadOnlySet<int> codeSections)
    {
        if (!elf.RelocationSectionOf.TryGetValue(Section.Index, out int relSection)) return;
        var relName = elf.Sections[relSection].Name;
        foreach (var rel in elf.RelocationsFor(Section.Index))
        {
            if (rel.Offset % Instruction.Size != 0 || rel.Offset >= (ulong)Instructions.Length * Instruction.Size)
                throw new BpfFormatException($"relocation offset 0x{rel.Offset:x} is not an instruction of section '{Section.Name}'", elf.FileName, relName, rel.EntryOffset);
            int index = (int)(rel.Offset / Instruction.Size);
            var insn = Instructions[index];
            var sym = elf.Symbols[rel.SymbolIndex];
            Relocations[index] = Resolve(elf, index, insn, sym, mapsBySymbol, dataMaps, codeSections, relName, rel.EntryOffset);
        }
    }

    private InstructionRelocation Resolve(ElfFile elf, int index, Instruction insn, ElfSymbol sym,
        IReadOnlyDictionary<(int Section, ulong Offset), int> mapsBySymbol, IReadOnlyDictionary<int, int> dataMaps,
        IReadOnlySet<int> codeSections, string relName, long entryOffset)
    {
        string symName = sym.Name.Length > 0 ? sym.Name : (uint)sym.SectionIndex < (uint)elf.Sections.Count ? elf.Sections[sym.SectionIndex].Name : "?";
        if (insn.Opcode == 0x85)
        {
            if (sym.IsUndefined)
                return Unresolved($"call to undefined external function '{symName}'");
            if (!codeSections.Contains(sym.SectionIndex))
                return Unresolved($"call relocation against '{symName}', which is not in an executable section");
            if (sym.Value % Instruction.Size != 0)
                return Unresolved($"call relocation against '{symName}' at a misaligned offset 0x{sym.Value:x}");
            // Global functions: imm is -1 and the symbol is the target; static ones: section symbol plus imm.
            long target = (long)(sym.Value / Instruction.Size) + insn.Immediate + 1;
            return new InstructionRelocation(RelocationKind.Call, TargetSection: sym.SectionIndex, TargetIndex: (int)Math.Clamp(target, -1, int.MaxValue));
        }
        if (insn.Opcode != 0x18)
            throw new BpfFormatException($"relocation against '{symName}' applies to instruction {index} of '{Section.Name}', which is neither ld_imm64 nor call (opcode 0x{insn.Opcode:x2})", elf.FileName, relName, entryOffset);
        if (index + 1 >= Instructions.Length)
            return Unresolved($"relocated ld_imm64 at instruction {index} has no second slot");

        if (sym.IsUndefined)
            return Unresolved($"reference to undefined external symbol '{symName}' (kernel and kconfig externs are resolved against a running kernel)");
        ulong offset = sym.Value + (sym.Type == ElfSymbolType.Section ? (ulong)(uint)insn.Immediate : 0);
        if (mapsBySymbol.TryGetValue((sym.SectionIndex, offset), out int map))
            return new InstructionRelocation(RelocationKind.Map, MapIndex: map);
        if (dataMaps.TryGetValue(sym.SectionIndex, out int dataMap))
        {
            long valueOffset = (long)sym.Value + insn.Immediate;
            return valueOffset is >= 0 and <= uint.MaxValue
                ? new InstructionRelocation(RelocationKind.MapValue, MapIndex: dataMap, Offset: (uint)valueOffset)
                : Unresolved($"reference to '{symName}' at offset {valueOffset}, outside its section");
        }
        if (codeSections.Contains(sym.SectionIndex))
        {
            long bytes = (long)sym.Value + insn.Immediate;
            return bytes % Instruction.Size == 0 && bytes >= 0
                ? new InstructionRelocation(RelocationKind.FunctionAddress, TargetSection: sym.SectionIndex, TargetIndex: (int)Math.Min(bytes / Instruction.Size, int.MaxValue))
                : Unresolved($"function address of '{symName}' at a misaligned offset {bytes}");
        }
        string where = (uint)sym.SectionIndex < (uint)elf.Sections.Count ? elf.Sections[sym.SectionIndex].Name : sym.SectionIndex.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Unresolved($"reference to '{symName}' in section '{where}', which holds no map, data or code");
    }

    private static InstructionRelocation Unresolved(string problem) => new(RelocationKind.Unresolved, Problem: problem);
}
