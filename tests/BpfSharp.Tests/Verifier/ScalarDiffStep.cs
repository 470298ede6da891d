using BpfSharp.Isa;

namespace BpfSharp.Tests.Verifier;

/// <summary>One instruction of a scalar differential program, with what the simulator needs to execute it.</summary>
public sealed record ScalarDiffStep(ScalarDiffStepKind Kind, int Dst)
{
    /// <summary>Source register, or -1 for an immediate.</summary>
    public int Src { get; init; } = -1;
    /// <summary>The immediate (or the 64-bit constant of ld_imm64).</summary>
    public long Imm { get; init; }
    /// <summary>ALU64 (or JMP) rather than ALU (JMP32).</summary>
    public bool Wide { get; init; } = true;
    /// <summary>ALU operation.</summary>
    public AluOperation AluOp { get; init; }
    /// <summary>Instruction offset (sdiv/smod 1, movsx width).</summary>
    public short Offset { get; init; }
    /// <summary>Jump operation.</summary>
    public JumpOperation JumpOp { get; init; }
    /// <summary>Load width in bytes or byte-swap width in bits.</summary>
    public int Size { get; init; }
    /// <summary>Sign-extending load.</summary>
    public bool Signed { get; init; }
    /// <summary>Byte swap: 0 le, 1 be, 2 bswap.</summary>
    public int Swap { get; init; }
    /// <summary>Index of the branch's exit stub.</summary>
    public int Stub { get; init; }
    private string R(int reg) => (Wide ? "r" : "w") + reg;

    /// <summary>The instruction in the assembler's syntax.</summary>
    public string Text => Kind switch
    {
        ScalarDiffStepKind.SaveContext => "r6 = r1",
        ScalarDiffStepKind.LoadContext => $"r{Dst} = *({(Signed ? "s" : "u")}{Size * 8} *)(r6 +{Imm})",
        ScalarDiffStepKind.MoveImmediate => $"{R(Dst)} = {Imm}",
        ScalarDiffStepKind.LoadImmediate64 => $"r{Dst} = 0x{(ulong)Imm:x} ll",
        ScalarDiffStepKind.Alu when AluOp == AluOperation.Neg => $"{R(Dst)} = -{R(Dst)}",
        ScalarDiffStepKind.Alu => $"{R(Dst)} {AluText()} {(Src < 0 ? Imm.ToString(System.Globalization.CultureInfo.InvariantCulture) : R(Src))}",
        ScalarDiffStepKind.Move => $"{R(Dst)} = {(Offset != 0 ? $"(s{Offset})" : "")}{R(Src)}",
        ScalarDiffStepKind.Endian => $"r{Dst} = {Swap switch { 0 => "le", 1 => "be", _ => "bswap" }}{Size} r{Dst}",
        ScalarDiffStepKind.Branch => $"if {R(Dst)} {JumpText()} {(Src < 0 ? Imm.ToString(System.Globalization.CultureInfo.InvariantCulture) : R(Src))} goto stub{Stub}",
        _ => throw new InvalidOperationException(),
    };

    private string AluText() => AluOp switch
    {
        AluOperation.Add => "+=", AluOperation.Sub => "-=", AluOperation.Mul => "*=",
        AluOperation.Div => Offset == 1 ? "s/=" : "/=", AluOperation.Mod => Offset == 1 ? "s%=" : "%=",
        AluOperation.Or => "|=", AluOperation.And => "&=", AluOperation.Xor => "^=",
        AluOperation.Lsh => "<<=", AluOperation.Rsh => ">>=", AluOperation.Arsh => "s>>=",
        _ => throw new InvalidOperationException(),
    };

    private string JumpText() => JumpOp switch
    {
        JumpOperation.Jeq => "==", JumpOperation.Jne => "!=", JumpOperation.Jgt => ">", JumpOperation.Jge => ">=",
        JumpOperation.Jlt => "<", JumpOperation.Jle => "<=", JumpOperation.Jsgt => "s>", JumpOperation.Jsge => "s>=",
        JumpOperation.Jslt => "s<", JumpOperation.Jsle => "s<=", JumpOperation.Jset => "&",
        _ => throw new InvalidOperationException(),
    };
}
