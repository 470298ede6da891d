using BpfSharp.Isa;
using BpfSharp.Loader;
using BpfSharp.Runtime.Maps;

namespace BpfSharp.Runtime;

/// <summary>
/// A program ready for the interpreter: its instructions decoded once into a flat array (absolute jump targets,
/// joined 64-bit immediates, register numbers checked), its map table, and its execution statistics. Malformed
/// slots are not rejected up front (an unverified program may carry junk it never reaches); they stop the run
/// with a clear error when control gets there.
/// </summary>
public sealed class RuntimeProgram
{
    /// <summary>The opcode a slot that must not run is decoded to (0x00 is no instruction of the ISA).</summary>
    internal const byte InvalidOpcode = 0x00;

    private static readonly bool[] ValidOpcodes = BuildValidOpcodes();

    internal readonly DecodedInstruction[] Code;
    internal readonly string?[] Errors;
    private readonly BpfMap?[] _maps;

    /// <summary>Decodes <paramref name="instructions"/>; ld_imm64 map references (fd or index) index into <paramref name="maps"/>.</summary>
    public RuntimeProgram(ReadOnlySpan<Instruction> instructions, IReadOnlyList<BpfMap?>? maps = null, string name = "prog")
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        Instructions = instructions.ToArray();
        _maps = maps?.ToArray() ?? [];
        Code = new DecodedInstruction[Instructions.Length + 1];
        Errors = new string?[Instructions.Length + 1];
        Decode();
    }

    /// <summary>
    /// A program of an object: its linked instructions, with <paramref name="maps"/> the runtime maps in the order
    /// of <see cref="ProgramSpec.Maps"/> (null where a map has no runtime counterpart: using it is a runtime error).
    /// </summary>
    public static RuntimeProgram FromSpec(ProgramSpec spec, IReadOnlyList<BpfMap?> maps)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(maps);
        if (maps.Count != spec.Maps.Count)
            throw new ArgumentException($"{spec.Name} references {spec.Maps.Count} maps, {maps.Count} given", nameof(maps));
        return new RuntimeProgram(spec.Instructions, maps, spec.Name) { Type = spec.Type };
    }

    /// <summary>The program's name.</summary>
    public string Name { get; }

    /// <summary>The program type, when known (for helpers whose behaviour depends on it).</summary>
    public ProgramType Type { get; init; }

    /// <summary>The instructions as given.</summary>
    public Instruction[] Instructions { get; }

    /// <summary>The map table ld_imm64 map references index into.</summary>
    public IReadOnlyList<BpfMap?> Maps => _maps;

    /// <summary>How many times the program ran to its end (exit of the outermost frame).</summary>
    public long RunCount { get; internal set; }

    /// <summary>Total wall time of those runs in nanoseconds.</summary>
    public long TotalNanoseconds { get; internal set; }

    /// <summary>Per-instruction execution counts, once <see cref="EnableProfiling"/> was called; else null.</summary>
    public long[]? InstructionCounts { get; private set; }

    /// <summary>Starts counting how often each instruction runs (costs one array increment per instruction).</summary>
    public void EnableProfiling() => InstructionCounts ??= new long[Instructions.Length + 1];

    /// <summary>The map at <paramref name="index"/> of the map table, or null.</summary>
    internal BpfMap? MapAt(long index) => (ulong)index < (ulong)_maps.Length ? _maps[index] : null;

    private Dictionary<int, CodeAddress>? _codeAddresses;

    /// <summary>The one <see cref="CodeAddress"/> object for instruction <paramref name="index"/> (so its handle is stable).</summary>
    internal CodeAddress CodeAddressAt(int index)
    {
        _codeAddresses ??= new();
        if (!_codeAddresses.TryGetValue(index, out var address)) _codeAddresses.Add(index, address = new CodeAddress(this, index));
        return address;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Instructions.Length} insns)";

    private void Decode()
    {
        var insns = Instructions;
        int n = insns.Length;
        Errors[n] = n == 0 ? "the program is empty" : "fell off the end of the program (no exit)";
        for (int i = 0; i < n; i++)
        {
            var insn = insns[i];
            var d = new DecodedInstruction
            {
                Opcode = insn.Opcode, Dst = insn.Dst, Src = insn.Src, Target = insn.Offset, Imm = insn.Immediate,
                Size = (byte)Instruction.Bytes(insn.MemSize),
            };
            string? error = ValidOpcodes[insn.Opcode] ? Check(insns, i, ref d) : $"invalid opcode 0x{insn.Opcode:x2}";
            if (error is not null)
            {
                Errors[i] = error;
                d.Opcode = InvalidOpcode;
            }
            Code[i] = d;
            if (error is null && insn.IsLoadImm64)
            {
                i++;
                Errors[i] = $"jump into the middle of the ld_imm64 at {i - 1}";
                Code[i] = new DecodedInstruction { Opcode = InvalidOpcode };
            }
        }
    }

    private static string? Check(Instruction[] insns, int i, ref DecodedInstruction d)
    {
        var insn = insns[i];
        int n = insns.Length;
        byte op = insn.Opcode;
        string? Reg(int r) => r > 10 ? $"invalid register r{r}" : null;
        string? Writable(int r) => r > 10 ? $"invalid register r{r}" : r == 10 ? "frame pointer r10 is read-only" : null;
        string? Jump(long target, ref DecodedInstruction dd)
        {
            if (target < 0 || target > n) return $"jump out of range to {target}";
            dd.Target = (int)target;
            return null;
        }

        switch (insn.Class)
        {
            case InstructionClass.Alu:
            case InstructionClass.Alu64:
            {
                bool is64 = insn.Class == InstructionClass.Alu64;
                var aluOp = insn.AluOp;
                if (Writable(insn.Dst) is { } e) return e;
                if (aluOp == AluOperation.End)
                    return insn.Immediate is 16 or 32 or 64 ? null : $"invalid byte swap width {insn.Immediate}";
                if (insn.UsesRegisterSource && Reg(insn.Src) is { } s) return s;
                if (aluOp is AluOperation.Div or AluOperation.Mod && insn.Offset is not (0 or 1))
                    return $"invalid offset {insn.Offset} of a division (0 or 1)";
                if (aluOp == AluOperation.Mov && insn.Offset != 0 &&
                    !(insn.UsesRegisterSource && (insn.Offset is 8 or 16 || (is64 && insn.Offset == 32))))
                    return $"invalid movsx offset {insn.Offset}";
                return null;
            }
            case InstructionClass.Jmp:
            case InstructionClass.Jmp32:
                switch (op)
                {
                    case 0x05: return Jump(i + 1L + insn.Offset, ref d);
                    case 0x06: return Jump(i + 1L + insn.Immediate, ref d);
                    case 0x95: return null;
                    case 0x8d:
                        // callx: the register is in dst (the conformance suite, uBPF) or, as LLVM first encoded it, in imm.
                        if (insn.Immediate == 0) return Reg(insn.Dst);
                        if ((uint)insn.Immediate > 10) return $"invalid callx register {insn.Immediate}";
                        d.Dst = (byte)insn.Immediate;
                        return null;
                    case 0xe5: return insn.Src == 0 ? Jump(i + 1L + insn.Offset, ref d) : $"unsupported conditional pseudo jump (src {insn.Src})";
                    case 0x85:
                        return insn.Src switch
                        {
                            PseudoSource.Helper or PseudoSource.KfuncCall => null,
                            PseudoSource.LocalCall => i + 1L + insn.Immediate is var t && t >= 0 && t < n ? Jump(t, ref d) : $"call to {i + 1L + insn.Immediate} is out of range",
                            _ => $"invalid call source {insn.Src}",
                        };
                }
                if (Reg(insn.Dst) is { } jd) return jd;
                if (insn.UsesRegisterSource && Reg(insn.Src) is { } js) return js;
                return Jump(i + 1L + insn.Offset, ref d);
            case InstructionClass.Ld:
                if (op == 0x18)
                {
                    if (i + 1 >= n || insns[i + 1].Opcode != 0) return "incomplete ld_imm64 (second slot missing)";
                    if (Writable(insn.Dst) is { } le) return le;
                    if (insn.Src > PseudoSource.MapIdxValue) return $"invalid ld_imm64 source {insn.Src}";
                    ulong imm = Instruction.Imm64(insn, insns[i + 1]);
                    switch (insn.Src)
                    {
                        case PseudoSource.MapValue or PseudoSource.MapIdxValue:
                            d.Imm = (uint)insn.Immediate;
                            d.Target = insns[i + 1].Immediate;
                            break;
                        case PseudoSource.MapFd or PseudoSource.MapIdx:
                            d.Imm = (uint)insn.Immediate;
                            break;
                        case PseudoSource.Func:
                            long target = i + 1L + insn.Immediate;
                            if (target < 0 || target >= n) return $"function address {target} is out of range";
                            d.Target = (int)target;
                            break;
                        default:
                            d.Imm = (long)imm;
                            break;
                    }
                    return null;
                }
                // Legacy packet loads: LD_ABS and LD_IND.
                return insn.MemMode == MemoryMode.Ind ? Reg(insn.Src) : null;
            case InstructionClass.Ldx:
                return Writable(insn.Dst) ?? Reg(insn.Src);
            case InstructionClass.St:
                return Reg(insn.Dst);
            default: // Stx
                if (Reg(insn.Dst) is { } sd) return sd;
                if (Reg(insn.Src) is { } ss) return ss;
                if (insn.MemMode != MemoryMode.Atomic) return null;
                int a = insn.Immediate;
                bool narrow = insn.MemSize is MemorySize.B or MemorySize.H;
                switch (a)
                {
                    case AtomicOperation.LoadAcquire: return Writable(insn.Dst);
                    case AtomicOperation.StoreRelease: return null;
                    case AtomicOperation.Add or AtomicOperation.Or or AtomicOperation.And or AtomicOperation.Xor when !narrow: return null;
                    case AtomicOperation.Add | AtomicOperation.Fetch or AtomicOperation.Or | AtomicOperation.Fetch
                        or AtomicOperation.And | AtomicOperation.Fetch or AtomicOperation.Xor | AtomicOperation.Fetch
                        or AtomicOperation.Xchg when !narrow:
                        return Writable(insn.Src);
                    case AtomicOperation.Cmpxchg when !narrow: return null;
                    default: return $"invalid atomic operation 0x{a:x} of size {Instruction.Bytes(insn.MemSize)}";
                }
        }
    }

    private static bool[] BuildValidOpcodes()
    {
        var valid = new bool[256];
        // ALU and ALU64: every operation in both source forms; neg only with K; byte swaps: to-le/to-be (ALU),
        // bswap (ALU64, K only).
        foreach (int cls in new[] { 0x04, 0x07 })
            for (int aluOp = 0x00; aluOp <= 0xc0; aluOp += 0x10)
            {
                valid[cls | aluOp] = true;
                if (aluOp != 0x80) valid[cls | aluOp | 0x08] = true;
            }
        valid[0xd4] = valid[0xdc] = valid[0xd7] = true;
        // JMP and JMP32 conditional jumps, both source forms.
        foreach (int cls in new[] { 0x05, 0x06 })
            foreach (int jmpOp in new[] { 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xb0, 0xc0, 0xd0 })
            {
                valid[cls | jmpOp] = true;
                valid[cls | jmpOp | 0x08] = true;
            }
        // ja, gotol (ja32), call, callx, exit, may_goto.
        foreach (int op in new[] { 0x05, 0x06, 0x85, 0x8d, 0x95, 0xe5 }) valid[op] = true;
        // ld_imm64; LD_ABS and LD_IND of W, H, B.
        foreach (int op in new[] { 0x18, 0x20, 0x28, 0x30, 0x40, 0x48, 0x50 }) valid[op] = true;
        // LDX (and sign-extending LDX of W, H, B), ST, STX of every size; atomics of every size (B/H only for
        // load-acquire/store-release, checked with the immediate).
        foreach (int size in new[] { 0x00, 0x08, 0x10, 0x18 })
        {
            valid[0x61 | size] = valid[0x62 | size] = valid[0x63 | size] = valid[0xc3 | size] = true;
            if (size != 0x18) valid[0x81 | size] = true;
        }
        return valid;
    }
}
