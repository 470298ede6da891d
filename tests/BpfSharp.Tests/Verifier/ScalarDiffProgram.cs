using System.Text;
using BpfSharp.Isa;
using BpfSharp.Verifier;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// A random straight-line program over scalars whose conditional jumps each lead to an exit stub of their own,
/// so that the kernel's level-2 log shows the state after every instruction and at every jump target without
/// state pruning getting in the way. Registers that may share a link id (after a register move) are never
/// compared by a jump, so the kernel's linked-register propagation stays out of the picture.
/// </summary>
public sealed class ScalarDiffProgram
{
    private static readonly int[] Pool = [0, 1, 2, 3, 4, 5, 7, 8, 9];

    private static readonly long[] Interesting =
    [
        0, 1, -1, 2, 3, 5, 7, 8, 15, 16, 31, 32, 33, 63, 64, 100, 127, 128, 255, 256, 4095, 0x7fff, 0x8000, 0xffff,
        0x10000, 0x7fffffff, int.MinValue, -2, -8, -100, -128, -129, -32768, -65536, 0x12345678, 0x40000000,
    ];

    private static readonly long[] Interesting64 =
    [
        0x100000000, 0xffffffff, long.MinValue, -1, long.MaxValue, 0x123456789abcdef0, 0x80000000, -0x80000000,
        unchecked((long)0xffff_ffff_0000_0000), 0x1_0000_0001, -0x100000000,
    ];

    private static readonly AluOperation[] AluOps =
    [
        AluOperation.Add, AluOperation.Sub, AluOperation.Mul, AluOperation.Div, AluOperation.Mod, AluOperation.Or,
        AluOperation.And, AluOperation.Lsh, AluOperation.Rsh, AluOperation.Neg, AluOperation.Xor, AluOperation.Arsh,
        AluOperation.Add, AluOperation.Sub, AluOperation.And, AluOperation.Or, AluOperation.Rsh, AluOperation.Lsh,
    ];

    private static readonly JumpOperation[] JumpOps =
    [
        JumpOperation.Jeq, JumpOperation.Jne, JumpOperation.Jgt, JumpOperation.Jge, JumpOperation.Jlt, JumpOperation.Jle,
        JumpOperation.Jsgt, JumpOperation.Jsge, JumpOperation.Jslt, JumpOperation.Jsle, JumpOperation.Jset,
    ];

    private static readonly int[] ContextOffsets = [0, 4, 8, 12, 16, 20, 24, 28];

    /// <summary>The body, in order (the first step saves the context pointer).</summary>
    public List<ScalarDiffStep> Steps { get; } = [];

    /// <summary>Number of exit stubs (one per branch).</summary>
    public int StubCount { get; private set; }

    /// <summary>
    /// Makes a program of about <paramref name="length"/> body instructions. With <paramref name="small"/> the
    /// immediates stay small and loads narrow, so that ranges stay tight and branches informative.
    /// </summary>
    public static ScalarDiffProgram Generate(Random rng, int length, bool small = false)
    {
        t_small = small;
        var p = new ScalarDiffProgram();
        var scalar = new bool[10];
        var linked = new bool[10];
        p.Steps.Add(new ScalarDiffStep(ScalarDiffStepKind.SaveContext, 6));
        int initial = rng.Next(3, 7);
        for (int i = 0; i < initial; i++)
        {
            int d = Pool[rng.Next(Pool.Length)];
            p.Steps.Add(rng.Next(4) == 0 ? Constant(rng, d) : Load(rng, d));
            scalar[d] = true;
            linked[d] = false;
        }
        for (int i = 0; i < length; i++)
        {
            int[] live = Pool.Where(r => scalar[r]).ToArray();
            int d = live[rng.Next(live.Length)];
            int roll = rng.Next(100);
            if (roll < 8)
            {
                d = Pool[rng.Next(Pool.Length)];
                p.Steps.Add(rng.Next(3) == 0 ? Constant(rng, d) : Load(rng, d));
                scalar[d] = true;
                linked[d] = false;
            }
            else if (roll < 55)
            {
                p.Steps.Add(Alu(rng, d, live));
            }
            else if (roll < 63)
            {
                int s = live[rng.Next(live.Length)];
                d = Pool[rng.Next(Pool.Length)];
                bool wide = rng.Next(2) == 0;
                short sx = (short)(rng.Next(3) == 0 ? 0 : wide ? new[] { 8, 16, 32 }[rng.Next(3)] : new[] { 8, 16 }[rng.Next(2)]);
                p.Steps.Add(new ScalarDiffStep(ScalarDiffStepKind.Move, d) { Src = s, Wide = wide, Offset = sx });
                scalar[d] = true;
                linked[d] = linked[s] = true;
            }
            else if (roll < 68)
            {
                p.Steps.Add(new ScalarDiffStep(ScalarDiffStepKind.Endian, d) { Swap = rng.Next(3), Size = new[] { 16, 32, 64 }[rng.Next(3)] });
            }
            else
            {
                int[] free = live.Where(r => !linked[r]).ToArray();
                if (free.Length == 0) continue;
                d = free[rng.Next(free.Length)];
                var step = new ScalarDiffStep(ScalarDiffStepKind.Branch, d)
                {
                    JumpOp = JumpOps[rng.Next(JumpOps.Length)], Wide = rng.Next(3) != 0, Stub = p.StubCount++,
                };
                step = rng.Next(2) == 0 ? step with { Src = free[rng.Next(free.Length)] } : step with { Imm = Immediate(rng) };
                p.Steps.Add(step);
            }
        }
        return p;
    }

    private static ScalarDiffStep Load(Random rng, int d)
    {
        bool signed = rng.Next(4) == 0;
        int size = t_small ? new[] { 1, 1, 2, 4 }[rng.Next(4)] : new[] { 1, 2, 4, 4 }[rng.Next(4)];
        int offset = size == 4 ? ContextOffsets[rng.Next(ContextOffsets.Length)] : 0;
        return new ScalarDiffStep(ScalarDiffStepKind.LoadContext, d) { Size = size, Signed = signed, Imm = offset };
    }

    private static ScalarDiffStep Constant(Random rng, int d) => rng.Next(3) == 0
        ? new ScalarDiffStep(ScalarDiffStepKind.LoadImmediate64, d) { Imm = rng.Next(2) == 0 ? Interesting64[rng.Next(Interesting64.Length)] : rng.NextInt64(long.MinValue, long.MaxValue) }
        : new ScalarDiffStep(ScalarDiffStepKind.MoveImmediate, d) { Imm = Immediate(rng), Wide = rng.Next(2) == 0 };

    [ThreadStatic] private static bool t_small;

    private static long Immediate(Random rng) => t_small ? rng.Next(-8, 40) : rng.Next(4) switch
    {
        0 => rng.Next(int.MinValue, int.MaxValue),
        1 => rng.Next(-20, 300),
        _ => Interesting[rng.Next(Interesting.Length)],
    };

    private static ScalarDiffStep Alu(Random rng, int d, int[] live)
    {
        var op = AluOps[rng.Next(AluOps.Length)];
        bool wide = rng.Next(3) != 0;
        var step = new ScalarDiffStep(ScalarDiffStepKind.Alu, d) { AluOp = op, Wide = wide };
        if (op is AluOperation.Div or AluOperation.Mod && rng.Next(3) == 0) step = step with { Offset = 1 };
        if (op == AluOperation.Neg) return step;
        if (rng.Next(2) == 0) return step with { Src = live[rng.Next(live.Length)] };
        long imm = op switch
        {
            AluOperation.Lsh or AluOperation.Rsh or AluOperation.Arsh => rng.Next(wide ? 64 : 32),
            _ => Immediate(rng),
        };
        if (op is AluOperation.Div or AluOperation.Mod && imm == 0) imm = 3;
        return step with { Imm = imm };
    }

    /// <summary>The program in the assembler's syntax.</summary>
    public string ToAssembly()
    {
        var sb = new StringBuilder();
        foreach (var s in Steps) sb.Append(s.Text).Append('\n');
        sb.Append("r0 = 0\nexit\n");
        for (int i = 0; i < StubCount; i++) sb.Append($"stub{i}: r0 = 0\nexit\n");
        return sb.ToString();
    }
}
