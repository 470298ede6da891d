using System.Globalization;

namespace BpfSharp.Isa;

/// <summary>
/// Prints instructions in the syntax of the Linux verifier log (<c>r1 = *(u32 *)(r6 +0)</c>,
/// <c>if w1 &gt; 0x5 goto pc+3</c>, <c>call bpf_map_lookup_elem#1</c>, ...). The kernel's forms are kept
/// exactly; where the kernel prints nothing useful (ld_imm64 pseudo sources, kfunc BTF indexes, callx,
/// invalid encodings) the forms are documented in the README and read back by <see cref="Assembler"/>.
/// </summary>
public static class Disassembler
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    // Operator strings by ALU operation (op >> 4), as the verifier log prints them.
    private static readonly string?[] AluOps =
        ["+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=", null, "%=", "^=", "=", "s>>=", null, null, null];

    private static readonly string?[] JumpOps =
        [null, "==", ">", ">=", "&", "!=", "s>", "s>=", null, null, "<", "<=", "s<", "s<=", null, null];

    private static readonly string?[] AtomicNames =
        ["add", null, null, null, "or", "and", null, null, null, null, "xor", null, null, null, null, null];

    /// <summary>Text of one instruction of <paramref name="program"/> (ld_imm64 reads its second slot).</summary>
    public static string Format(ReadOnlySpan<Instruction> program, int index, IProgramSymbols? symbols = null)
    {
        var insn = program[index];
        var info = OpcodeTable.Describe(program, index);
        if (!info.IsValid) return Raw(insn);
        return info.Kind == InstructionKind.LoadImm64
            ? FormatLoadImm64(insn, program[index + 1], symbols)
            : FormatSingle(insn, info.Kind, symbols);
    }

    /// <summary>Text of a single-slot instruction (an ld_imm64 needs <see cref="Format(ReadOnlySpan{Instruction}, int, IProgramSymbols?)"/>).</summary>
    public static string Format(Instruction insn, IProgramSymbols? symbols = null)
    {
        var info = OpcodeTable.Describe(insn);
        if (!info.IsValid || info.Kind == InstructionKind.LoadImm64) return Raw(insn);
        return FormatSingle(insn, info.Kind, symbols);
    }

    /// <summary>The verifier log's form: the opcode in parentheses, then the text, e.g. <c>(61) r1 = *(u32 *)(r6 +0)</c>.</summary>
    public static string FormatWithOpcode(ReadOnlySpan<Instruction> program, int index, IProgramSymbols? symbols = null) =>
        $"({program[index].Opcode:x2}) {Format(program, index, symbols)}";

    /// <summary>
    /// The whole program, one line per instruction, prefixed with the slot index like the verifier log
    /// (<c>0: (b7) r0 = 0</c>). The second slot of an ld_imm64 has no line of its own.
    /// </summary>
    public static IEnumerable<(int Index, string Text)> Lines(Instruction[] program, IProgramSymbols? symbols = null)
    {
        for (int i = 0; i < program.Length; i++)
        {
            yield return (i, FormatWithOpcode(program, i, symbols));
            if (OpcodeTable.Describe(program, i).Kind == InstructionKind.LoadImm64) i++;
        }
    }

    /// <summary>The form for slots that are not valid instructions; <see cref="Assembler"/> reads it back exactly.</summary>
    public static string Raw(Instruction insn) =>
        $".insn code=0x{insn.Opcode:x2} dst={insn.Dst} src={insn.Src} off={insn.Offset.ToString(Inv)} imm={insn.Immediate.ToString(Inv)}";

    /// <summary>Spelling of a memory access size as the verifier prints it.</summary>
    public static string SizeName(MemorySize size, bool signed = false) => size switch
    {
        MemorySize.B => signed ? "s8" : "u8",
        MemorySize.H => signed ? "s16" : "u16",
        MemorySize.W => signed ? "s32" : "u32",
        _ => "u64",
    };

    private static string Off(short off) => off >= 0 ? "+" + off.ToString(Inv) : off.ToString(Inv);

    private static string Mem(MemorySize size, int reg, short off, bool signed = false) =>
        $"({SizeName(size, signed)} *)(r{reg} {Off(off)})";

    private static string FormatSingle(Instruction insn, InstructionKind kind, IProgramSymbols? symbols)
    {
        char w = insn.Class is InstructionClass.Alu or InstructionClass.Jmp32 ? 'w' : 'r';
        int op = (int)insn.AluOp >> 4;
        switch (kind)
        {
            case InstructionKind.Alu:
            {
                string opText = insn.Offset == 1 && insn.AluOp is AluOperation.Div or AluOperation.Mod
                    ? (insn.AluOp == AluOperation.Div ? "s/=" : "s%=")
                    : AluOps[op]!;
                return insn.UsesRegisterSource
                    ? $"{w}{insn.Dst} {opText} {w}{insn.Src}"
                    : $"{w}{insn.Dst} {opText} {insn.Immediate.ToString(Inv)}";
            }
            case InstructionKind.Neg: return $"{w}{insn.Dst} = -{w}{insn.Dst}";
            case InstructionKind.MovSx: return $"{w}{insn.Dst} = (s{insn.Offset}){w}{insn.Src}";
            case InstructionKind.Endian:
                return $"r{insn.Dst} = {((insn.Opcode & 0x08) != 0 ? "be" : "le")}{insn.Immediate} r{insn.Dst}";
            case InstructionKind.ByteSwap: return $"r{insn.Dst} = bswap{insn.Immediate} r{insn.Dst}";
            case InstructionKind.AddrSpaceCast:
                return $"r{insn.Dst} = addr_space_cast(r{insn.Src}, {(uint)insn.Immediate >> 16}, {insn.Immediate & 0xffff})";
            case InstructionKind.LoadAbs: return $"r0 = *({SizeName(insn.MemSize)} *)skb[{insn.Immediate.ToString(Inv)}]";
            case InstructionKind.LoadInd: return $"r0 = *({SizeName(insn.MemSize)} *)skb[r{insn.Src} + {insn.Immediate.ToString(Inv)}]";
            case InstructionKind.Load: return $"r{insn.Dst} = *{Mem(insn.MemSize, insn.Src, insn.Offset)}";
            case InstructionKind.LoadSx: return $"r{insn.Dst} = *{Mem(insn.MemSize, insn.Src, insn.Offset, signed: true)}";
            case InstructionKind.StoreImm: return $"*{Mem(insn.MemSize, insn.Dst, insn.Offset)} = {insn.Immediate.ToString(Inv)}";
            case InstructionKind.StoreReg: return $"*{Mem(insn.MemSize, insn.Dst, insn.Offset)} = r{insn.Src}";
            case InstructionKind.Atomic: return FormatAtomic(insn);
            case InstructionKind.Jump: return $"goto pc{Off(insn.Offset)}";
            case InstructionKind.JumpLong: return $"gotol pc{(insn.Immediate >= 0 ? "+" : "")}{insn.Immediate.ToString(Inv)}";
            case InstructionKind.MayGoto: return $"may_goto pc{Off(insn.Offset)}";
            case InstructionKind.ConditionalJump:
            {
                string cmp = JumpOps[(int)insn.JumpOp >> 4]!;
                string rhs = insn.UsesRegisterSource ? $"{w}{insn.Src}" : $"0x{(uint)insn.Immediate:x}";
                return $"if {w}{insn.Dst} {cmp} {rhs} goto pc{Off(insn.Offset)}";
            }
            case InstructionKind.CallHelper:
                return $"call {HelperFunctions.NameOf(insn.Immediate) ?? "unknown"}#{insn.Immediate.ToString(Inv)}";
            case InstructionKind.CallLocal:
                return $"call pc{(insn.Immediate >= 0 ? "+" : "")}{insn.Immediate.ToString(Inv)}";
            case InstructionKind.CallKfunc:
            {
                string name = symbols?.KfuncName(insn.Immediate) ?? "kernel-function";
                string text = $"call {name}#{insn.Immediate.ToString(Inv)}";
                return insn.Offset != 0 ? $"{text}[fd_idx:{insn.Offset.ToString(Inv)}]" : text;
            }
            case InstructionKind.CallX: return $"callx r{insn.Immediate}";
            case InstructionKind.Exit: return "exit";
            default: return Raw(insn);
        }
    }

    private static string FormatAtomic(Instruction insn)
    {
        string size = SizeName(insn.MemSize);
        string addr = $"(r{insn.Dst} {Off(insn.Offset)})";
        string width = insn.MemSize == MemorySize.DW ? "64" : "";
        int imm = insn.Immediate;
        switch (imm)
        {
            case AtomicOperation.Xchg: return $"r{insn.Src} = atomic{width}_xchg(({size} *){addr}, r{insn.Src})";
            case AtomicOperation.Cmpxchg: return $"r0 = atomic{width}_cmpxchg(({size} *){addr}, r0, r{insn.Src})";
            case AtomicOperation.LoadAcquire: return $"r{insn.Dst} = load_acquire(({size} *)(r{insn.Src} {Off(insn.Offset)}))";
            case AtomicOperation.StoreRelease: return $"store_release(({size} *){addr}, r{insn.Src})";
        }
        string name = AtomicNames[(imm & 0xf0) >> 4]!;
        return (imm & AtomicOperation.Fetch) != 0
            ? $"r{insn.Src} = atomic{width}_fetch_{name}(({size} *){addr}, r{insn.Src})"
            : $"lock *({size} *){addr} {AluOps[(imm & 0xf0) >> 4]} r{insn.Src}";
    }

    private static string FormatLoadImm64(Instruction low, Instruction high, IProgramSymbols? symbols)
    {
        string target = low.Src switch
        {
            PseudoSource.MapFd => $"map[fd:{low.Immediate.ToString(Inv)}]",
            PseudoSource.MapValue => $"map_value[fd:{low.Immediate.ToString(Inv)}]+{((uint)high.Immediate).ToString(Inv)}",
            PseudoSource.MapIdx => $"map[{MapRef(low.Immediate, symbols)}]",
            PseudoSource.MapIdxValue => $"map_value[{MapRef(low.Immediate, symbols)}]+{((uint)high.Immediate).ToString(Inv)}",
            PseudoSource.BtfId => high.Immediate == 0
                ? $"btf_id[{low.Immediate.ToString(Inv)}]"
                : $"btf_id[{low.Immediate.ToString(Inv)}][fd:{high.Immediate.ToString(Inv)}]",
            PseudoSource.Func => $"func[pc{(low.Immediate >= 0 ? "+" : "")}{low.Immediate.ToString(Inv)}]",
            _ => $"0x{Instruction.Imm64(low, high):x}",
        };
        return $"r{low.Dst} = {target} ll";
    }

    private static string MapRef(int index, IProgramSymbols? symbols) =>
        symbols?.MapName(index) is { Length: > 0 } name ? name : $"idx:{index.ToString(Inv)}";
}
