namespace BpfSharp.Isa;

/// <summary>
/// Properties of all 256 opcodes, as data: what each one is, which fields it uses (the others are reserved
/// and must be zero), and the ISA version it needs. <see cref="Describe(Instruction)"/> then reads the variant fields
/// (sdiv/smod and movsx offsets, atomic and endian immediates, pseudo sources) that the opcode alone does not
/// decide.
/// </summary>
public static class OpcodeTable
{
    [Flags]
    private enum Fields : byte
    {
        None = 0,
        Dst = 1,
        Src = 2,
        Offset = 4,
        Imm = 8,
        /// <summary>The source field is a pseudo-source selector, not a register.</summary>
        PseudoSrc = 16,
        /// <summary>The destination field holds a register but the immediate names another register (callx).</summary>
        ImmRegister = 32,
    }

    private readonly record struct Entry(InstructionKind Kind, IsaVersion Version, Fields Used);

    private static readonly Entry[] Entries = Build();

    /// <summary>The base kind of an opcode, before variant fields are read (Invalid for unknown opcodes).</summary>
    public static InstructionKind KindOf(byte opcode) => Entries[opcode].Kind;

    /// <summary>Decodes one instruction: its kind and required ISA version, or why it is invalid.</summary>
    public static InstructionInfo Describe(Instruction insn)
    {
        var entry = Entries[insn.Opcode];
        if (entry.Kind == InstructionKind.Invalid) return InstructionInfo.Bad($"unknown opcode {insn.Opcode:x2}");

        var used = entry.Used;
        if ((used & Fields.Dst) == 0 && insn.Dst != 0) return InstructionInfo.Bad($"reserved dst field is {insn.Dst}");
        if ((used & (Fields.Src | Fields.PseudoSrc)) == 0 && insn.Src != 0) return InstructionInfo.Bad($"reserved src field is {insn.Src}");
        if ((used & Fields.Offset) == 0 && insn.Offset != 0 && !OffsetIsVariant(insn)) return InstructionInfo.Bad($"reserved offset field is {insn.Offset}");
        if ((used & Fields.Imm) == 0 && insn.Immediate != 0) return InstructionInfo.Bad($"reserved imm field is {insn.Immediate}");
        if ((used & Fields.Dst) != 0 && insn.Dst > 10) return InstructionInfo.Bad($"invalid dst register r{insn.Dst}");
        if ((used & Fields.Src) != 0 && insn.Src > 10) return InstructionInfo.Bad($"invalid src register r{insn.Src}");

        return entry.Kind switch
        {
            InstructionKind.Alu => DescribeAlu(insn, entry),
            InstructionKind.Endian or InstructionKind.ByteSwap => insn.Immediate is 16 or 32 or 64
                ? new InstructionInfo(entry.Kind, entry.Version, null)
                : InstructionInfo.Bad($"invalid byte swap width {insn.Immediate}"),
            InstructionKind.LoadImm64 => insn.Src <= PseudoSource.MapIdxValue
                ? new InstructionInfo(entry.Kind, entry.Version, null)
                : InstructionInfo.Bad($"invalid ld_imm64 source {insn.Src}"),
            InstructionKind.Atomic => DescribeAtomic(insn),
            InstructionKind.CallHelper => insn.Src switch
            {
                PseudoSource.Helper when insn.Offset == 0 => new(InstructionKind.CallHelper, IsaVersion.V1, null),
                PseudoSource.LocalCall when insn.Offset == 0 => new(InstructionKind.CallLocal, IsaVersion.V1, null),
                PseudoSource.KfuncCall => new(InstructionKind.CallKfunc, IsaVersion.V1, null),
                PseudoSource.Helper or PseudoSource.LocalCall => InstructionInfo.Bad($"reserved offset field is {insn.Offset}"),
                _ => InstructionInfo.Bad($"invalid call source {insn.Src}"),
            },
            InstructionKind.CallX => (uint)insn.Immediate <= 10
                ? new InstructionInfo(entry.Kind, entry.Version, null)
                : InstructionInfo.Bad($"invalid callx register {insn.Immediate}"),
            _ => new InstructionInfo(entry.Kind, entry.Version, null),
        };
    }

    /// <summary>
    /// Decodes the instruction at <paramref name="index"/> of a program, also checking what only the stream can
    /// tell: an ld_imm64 needs a second slot whose opcode, registers and offset are zero.
    /// </summary>
    public static InstructionInfo Describe(ReadOnlySpan<Instruction> program, int index)
    {
        var info = Describe(program[index]);
        if (info.Kind != InstructionKind.LoadImm64) return info;
        if (index + 1 >= program.Length) return InstructionInfo.Bad("ld_imm64 is missing its second slot");
        var next = program[index + 1];
        if (next.Opcode != 0 || next.Dst != 0 || next.Src != 0 || next.Offset != 0)
            return InstructionInfo.Bad("ld_imm64 second slot has non-zero reserved fields");
        // Only plain constants, map values and module BTF ids give the second immediate a meaning.
        if (next.Immediate != 0 && program[index].Src is PseudoSource.MapFd or PseudoSource.MapIdx or PseudoSource.Func)
            return InstructionInfo.Bad("ld_imm64 second slot immediate must be 0 for this source");
        return info;
    }

    /// <summary>The highest ISA version any valid instruction of <paramref name="program"/> needs (V1 when empty).</summary>
    public static IsaVersion RequiredVersion(ReadOnlySpan<Instruction> program)
    {
        var max = IsaVersion.V1;
        for (int i = 0; i < program.Length; i++)
        {
            var info = Describe(program[i]);
            if (info.IsValid && info.Version > max) max = info.Version;
            if (info.Kind == InstructionKind.LoadImm64) i++;
        }
        return max;
    }

    // Offsets that select a variant rather than being reserved: sdiv/smod (1), movsx (8/16/32), addr_space_cast (1).
    private static bool OffsetIsVariant(Instruction insn) =>
        (insn.Class is InstructionClass.Alu or InstructionClass.Alu64) &&
        insn.AluOp is AluOperation.Div or AluOperation.Mod or AluOperation.Mov;

    private static InstructionInfo DescribeAlu(Instruction insn, Entry entry)
    {
        bool alu64 = insn.Class == InstructionClass.Alu64;
        switch (insn.AluOp)
        {
            case AluOperation.Div or AluOperation.Mod:
                return insn.Offset switch
                {
                    0 => new(InstructionKind.Alu, entry.Version, null),
                    1 => new(InstructionKind.Alu, IsaVersion.V4, null),
                    _ => InstructionInfo.Bad($"invalid signed division offset {insn.Offset}"),
                };
            case AluOperation.Mov when insn.UsesRegisterSource:
                if (insn.Immediate != 0 && !(alu64 && insn.Offset == 1))
                    return InstructionInfo.Bad($"reserved imm field is {insn.Immediate}");
                return insn.Offset switch
                {
                    0 => new(InstructionKind.Alu, entry.Version, null),
                    8 or 16 => new(InstructionKind.MovSx, IsaVersion.V4, null),
                    32 when alu64 => new(InstructionKind.MovSx, IsaVersion.V4, null),
                    1 when alu64 => new(InstructionKind.AddrSpaceCast, IsaVersion.V4, null),
                    _ => InstructionInfo.Bad($"invalid mov offset {insn.Offset}"),
                };
            default:
                return insn.Offset == 0
                    ? new InstructionInfo(InstructionKind.Alu, entry.Version, null)
                    : InstructionInfo.Bad($"reserved offset field is {insn.Offset}");
        }
    }

    private static InstructionInfo DescribeAtomic(Instruction insn)
    {
        int op = insn.Immediate;
        bool wordSized = insn.MemSize is MemorySize.W or MemorySize.DW;
        switch (op)
        {
            case AtomicOperation.Add when wordSized:
                return new(InstructionKind.Atomic, IsaVersion.V1, null);
            case AtomicOperation.Or or AtomicOperation.And or AtomicOperation.Xor
                or (AtomicOperation.Add | AtomicOperation.Fetch) or (AtomicOperation.Or | AtomicOperation.Fetch)
                or (AtomicOperation.And | AtomicOperation.Fetch) or (AtomicOperation.Xor | AtomicOperation.Fetch)
                or AtomicOperation.Xchg or AtomicOperation.Cmpxchg when wordSized:
                return new(InstructionKind.Atomic, IsaVersion.V3, null);
            case AtomicOperation.LoadAcquire or AtomicOperation.StoreRelease:
                return new(InstructionKind.Atomic, IsaVersion.V4, null);
            default:
                return InstructionInfo.Bad($"invalid atomic operation 0x{op:x} for {Instruction.Bytes(insn.MemSize)}-byte access");
        }
    }

    private static Entry[] Build()
    {
        var t = new Entry[256];
        void Set(int opcode, InstructionKind kind, Fields used, IsaVersion version = IsaVersion.V1) =>
            t[opcode] = new Entry(kind, version, used);

        // ALU and ALU64: every binary operation with an immediate (K) or register (X) source.
        foreach (var cls in new[] { InstructionClass.Alu, InstructionClass.Alu64 })
        {
            foreach (var op in new[] { AluOperation.Add, AluOperation.Sub, AluOperation.Mul, AluOperation.Div, AluOperation.Or,
                                       AluOperation.And, AluOperation.Lsh, AluOperation.Rsh, AluOperation.Mod, AluOperation.Xor,
                                       AluOperation.Mov, AluOperation.Arsh })
            {
                Set((int)cls | (int)op, InstructionKind.Alu, Fields.Dst | Fields.Imm);
                Set((int)cls | (int)op | 0x08, InstructionKind.Alu, Fields.Dst | Fields.Src);
            }
            Set((int)cls | (int)AluOperation.Neg, InstructionKind.Neg, Fields.Dst);
        }
        Set(0xd4, InstructionKind.Endian, Fields.Dst | Fields.Imm);                       // le
        Set(0xdc, InstructionKind.Endian, Fields.Dst | Fields.Imm);                       // be
        Set(0xd7, InstructionKind.ByteSwap, Fields.Dst | Fields.Imm, IsaVersion.V4);      // bswap

        // LD: ld_imm64 and the legacy packet loads (no 8-byte form).
        Set(0x18, InstructionKind.LoadImm64, Fields.Dst | Fields.Imm | Fields.PseudoSrc);
        foreach (var size in new[] { MemorySize.W, MemorySize.H, MemorySize.B })
        {
            Set((int)MemoryMode.Abs | (int)size, InstructionKind.LoadAbs, Fields.Imm);
            Set((int)MemoryMode.Ind | (int)size, InstructionKind.LoadInd, Fields.Src | Fields.Imm);
            Set((int)InstructionClass.Ldx | (int)MemoryMode.MemSx | (int)size, InstructionKind.LoadSx, Fields.Dst | Fields.Src | Fields.Offset, IsaVersion.V4);
        }
        foreach (var size in new[] { MemorySize.W, MemorySize.H, MemorySize.B, MemorySize.DW })
        {
            Set((int)InstructionClass.Ldx | (int)MemoryMode.Mem | (int)size, InstructionKind.Load, Fields.Dst | Fields.Src | Fields.Offset);
            Set((int)InstructionClass.St | (int)MemoryMode.Mem | (int)size, InstructionKind.StoreImm, Fields.Dst | Fields.Offset | Fields.Imm);
            Set((int)InstructionClass.Stx | (int)MemoryMode.Mem | (int)size, InstructionKind.StoreReg, Fields.Dst | Fields.Src | Fields.Offset);
            // The version of an atomic depends on its operation; Describe refines it.
            Set((int)InstructionClass.Stx | (int)MemoryMode.Atomic | (int)size, InstructionKind.Atomic, Fields.Dst | Fields.Src | Fields.Offset | Fields.Imm);
        }

        // JMP and JMP32 conditional jumps.
        foreach (var cls in new[] { InstructionClass.Jmp, InstructionClass.Jmp32 })
        {
            foreach (var op in new[] { JumpOperation.Jeq, JumpOperation.Jgt, JumpOperation.Jge, JumpOperation.Jset, JumpOperation.Jne,
                                       JumpOperation.Jsgt, JumpOperation.Jsge, JumpOperation.Jlt, JumpOperation.Jle,
                                       JumpOperation.Jslt, JumpOperation.Jsle })
            {
                var version = cls == InstructionClass.Jmp32 ? IsaVersion.V3
                    : op is JumpOperation.Jlt or JumpOperation.Jle or JumpOperation.Jslt or JumpOperation.Jsle ? IsaVersion.V2
                    : IsaVersion.V1;
                Set((int)cls | (int)op, InstructionKind.ConditionalJump, Fields.Dst | Fields.Offset | Fields.Imm, version);
                Set((int)cls | (int)op | 0x08, InstructionKind.ConditionalJump, Fields.Dst | Fields.Src | Fields.Offset, version);
            }
        }
        Set(0x05, InstructionKind.Jump, Fields.Offset);
        Set(0x06, InstructionKind.JumpLong, Fields.Imm, IsaVersion.V4);
        // Call kinds are refined from the pseudo source in Describe; kfunc calls use the offset (BTF fd index).
        Set(0x85, InstructionKind.CallHelper, Fields.Imm | Fields.PseudoSrc | Fields.Offset);
        // callx: LLVM and the conformance suite put the register number in the immediate.
        Set(0x8d, InstructionKind.CallX, Fields.Imm | Fields.ImmRegister);
        Set(0x95, InstructionKind.Exit, Fields.None);
        Set(0xe5, InstructionKind.MayGoto, Fields.Offset, IsaVersion.V4);
        return t;
    }
}
