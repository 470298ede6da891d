using BpfSharp.Isa;
using BpfSharp.Verifier;

namespace BpfSharp.Tests.Verifier;

public class ScalarBranchTests
{
    private static readonly JumpOperation[] Conditions =
    [
        JumpOperation.Jeq, JumpOperation.Jne, JumpOperation.Jgt, JumpOperation.Jge, JumpOperation.Jlt, JumpOperation.Jle,
        JumpOperation.Jsgt, JumpOperation.Jsge, JumpOperation.Jslt, JumpOperation.Jsle, JumpOperation.Jset,
    ];

    private sealed record Case(JumpOperation Op, bool Is32, ScalarValue Dst, ulong X, ScalarValue Src, ulong Y);

    private static Case Sample(Random rng)
    {
        var op = Conditions[rng.Next(Conditions.Length)];
        var (dst, x) = ScalarSamples.WithMember(rng);
        ScalarValue src;
        ulong y;
        switch (rng.Next(4))
        {
            case 0:
                // A BPF_K comparison.
                y = (ulong)(long)(int)ScalarSamples.Word(rng);
                src = ScalarValue.Known(y);
                break;
            case 1:
                // Near the member, so that both outcomes are common.
                y = x + (ulong)(long)rng.Next(-2, 3);
                src = rng.Next(2) == 0 ? ScalarValue.Known(y) : ScalarSamples.Containing(rng, y);
                break;
            default:
                (src, y) = ScalarSamples.WithMember(rng);
                break;
        }
        return new Case(op, rng.Next(2) == 0, dst, x, src, y);
    }

    [Fact]
    public void A_decided_branch_agrees_with_every_member() =>
        ScalarSamples.Check(Sample, c =>
        {
            int taken = ScalarBranch.BranchTaken(c.Dst, c.Src, c.Op, c.Is32);
            bool holds = ScalarConcrete.Holds(c.Op, c.X, c.Y, c.Is32);
            if (taken == 1) Assert.True(holds, $"{c}: always taken, but not for {c.X:x}, {c.Y:x}");
            if (taken == 0) Assert.False(holds, $"{c}: never taken, but taken for {c.X:x}, {c.Y:x}");
        }, 40000);

    [Fact]
    public void Refining_keeps_every_member_on_the_side_it_takes() =>
        ScalarSamples.Check(Sample, c =>
        {
            bool holds = ScalarConcrete.Holds(c.Op, c.X, c.Y, c.Is32);
            var dst = c.Dst;
            var src = c.Src;
            ScalarBranch.Refine(ref dst, ref src, c.Op, c.Is32, taken: holds);
            Assert.True(dst.Contains(c.X), $"{c}: {(holds ? "jump" : "fall-through")} side lost {c.X:x}: {dst}");
            Assert.True(src.Contains(c.Y), $"{c}: {(holds ? "jump" : "fall-through")} side lost {c.Y:x}: {src}");
            Assert.Null(dst.InvariantViolation());
        }, 40000);

    [Fact]
    public void Refining_both_sides_keeps_members_and_reports_nothing_on_a_live_side() =>
        ScalarSamples.Check(Sample, c =>
        {
            bool holds = ScalarConcrete.Holds(c.Op, c.X, c.Y, c.Is32);
            ScalarValue td = c.Dst, ts = c.Src, fd = c.Dst, fs = c.Src;
            var reports = new List<string>();
            ScalarBranch.RefineBoth(ref td, ref ts, ref fd, ref fs, c.Op, c.Is32, reports);
            var (d, s) = holds ? (td, ts) : (fd, fs);
            Assert.True(d.Contains(c.X) && s.Contains(c.Y));
            Assert.DoesNotContain(reports, r => r.Contains(holds ? "(true_reg" : "(false_reg"));
        }, 20000);

    [Fact]
    public void Comparing_a_register_with_itself_keeps_its_members() =>
        ScalarSamples.Check(rng => (ScalarSamples.WithMember(rng), Conditions[rng.Next(Conditions.Length)], rng.Next(2) == 0), p =>
        {
            var ((v, x), op, is32) = p;
            bool holds = ScalarConcrete.Holds(op, x, x, is32);
            int taken = ScalarBranch.BranchTaken(v, v, op, is32);
            if (taken >= 0) Assert.Equal(taken == 1, holds);
            var r = v;
            ScalarBranch.Refine(ref r, ref r, op, is32, holds);
            Assert.True(r.Contains(x));
        }, 20000);

    [Fact]
    public void Kernel_decisions_on_examples()
    {
        var u8 = ScalarValue.UnsignedRange(0, 255);
        Assert.Equal(-1, ScalarBranch.BranchTaken(u8, ScalarValue.Known(200L), JumpOperation.Jgt, false));
        Assert.Equal(0, ScalarBranch.BranchTaken(u8, ScalarValue.Known(255L), JumpOperation.Jgt, false));
        Assert.Equal(1, ScalarBranch.BranchTaken(u8, ScalarValue.Known(-1L), JumpOperation.Jsgt, false));
        Assert.Equal(1, ScalarBranch.BranchTaken(u8, ScalarValue.Known(0x1_0000_0000L), JumpOperation.Jne, false));
        // {1, 3} is never 2: the tnums do not overlap.
        var odd = ScalarValue.FromTnum(new Tnum(1, 2));
        Assert.Equal(0, ScalarBranch.BranchTaken(odd, ScalarValue.Known(2L), JumpOperation.Jeq, false));
        Assert.Equal(1, ScalarBranch.BranchTaken(odd, ScalarValue.Known(1L), JumpOperation.Jset, false));
        Assert.Equal(0, ScalarBranch.BranchTaken(odd, ScalarValue.Known(4L), JumpOperation.Jset, true));
        Assert.Equal(-1, ScalarBranch.BranchTaken(odd, u8, JumpOperation.Jset, false));
        Assert.Equal(JumpOperation.Jslt, ScalarBranch.Flip(JumpOperation.Jsgt));
        Assert.Equal(JumpOperation.Jle, ScalarBranch.Negate(JumpOperation.Jgt));
        Assert.Throws<ArgumentException>(() => ScalarBranch.Negate(JumpOperation.Jset));
    }

    // The states are the kernel's, from ScalarKernelLogCases.
    [Fact]
    public void Refinements_print_as_the_kernel_printed_them()
    {
        var u8 = ScalarValue.UnsignedRange(0, 255);
        var k = ScalarValue.Known(200L);
        ScalarValue jump = u8, fall = u8, kj = k, kf = k;
        ScalarBranch.RefineBoth(ref jump, ref kj, ref fall, ref kf, JumpOperation.Jgt, false);
        Assert.Equal("scalar(smin=umin=smin32=umin32=201,smax=umax=smax32=umax32=255,var_off=(0xc0; 0x3f))", jump.Format());
        Assert.Equal("scalar(smin=smin32=0,smax=umax=smax32=umax32=200,var_off=(0x0; 0xff))", fall.Format());

        // r1 &= 0xf; if r1 < 7 (fall through); if r1 & 8: the fall-through forgets its range first.
        var low = ScalarValue.UnsignedRange(7, 15);
        var eight = ScalarValue.Known(8L);
        var set = low;
        var e2 = eight;
        ScalarBranch.Refine(ref set, ref e2, JumpOperation.Jset, false, taken: true);
        Assert.Equal("scalar(smin=umin=smin32=umin32=8,smax=umax=smax32=umax32=15,var_off=(0x8; 0x7))", set.Format());
        var clear = ScalarValue.FromTnum(new Tnum(0, 0xf));
        clear.UMin = 7;
        clear.SyncBounds();
        ScalarBranch.Refine(ref clear, ref eight, JumpOperation.Jset, false, taken: false);
        Assert.Equal("scalar(smin=smin32=0,smax=umax=smax32=umax32=7,var_off=(0x0; 0x7))", clear.Format());

        // if r1 > r1 with r1 a u32: the kernel refines the register against itself.
        var u32 = ScalarValue.UnsignedRange(0, uint.MaxValue);
        var same = u32;
        ScalarBranch.Refine(ref same, ref same, JumpOperation.Jgt, false, taken: true);
        Assert.Equal("scalar(smin=umin=umin32=1,smax=umax=umax32=0xfffffffe,var_off=(0x0; 0xffffffff))", same.Format());

        // if r1 == 3 with r1 in {1, 3}: the fall-through side is the constant 1.
        var odd = ScalarValue.FromTnum(new Tnum(1, 2));
        var three = ScalarValue.Known(3L);
        ScalarBranch.Refine(ref odd, ref three, JumpOperation.Jeq, false, taken: false);
        Assert.Equal("1", odd.Format());
    }

    [Fact]
    public void A_dead_side_is_repaired_and_reported_as_the_kernel_does()
    {
        // r0 |= 0xfffe on a u16; "if w0 > w0": the jump side is impossible.
        var r0 = ScalarAlu.Compute(AluOperation.Or, ScalarValue.UnsignedRange(0, 0xffff), ScalarValue.Known(0xfffeL), true);
        ScalarValue td = r0, fd = r0;
        var reports = new List<string>();
        ScalarBranch.RefineBoth(ref td, ref td, ref fd, ref fd, JumpOperation.Jgt, true, reports);
        Assert.Equal(["REG INVARIANTS VIOLATION (true_reg1): range bounds violation u64=[0xfffe, 0xffff] s64=[0xfffe, 0xffff] u32=[0xffff, 0xfffe] s32=[0xfffe, 0xffff] var_off=(0xfffe, 0x1)"], reports);
        Assert.Equal("scalar(var_off=(0xfffe; 0x1))", td.Format());
        Assert.Equal("scalar(smin=umin=smin32=umin32=0xfffe,smax=umax=smax32=umax32=0xffff,var_off=(0xfffe; 0x1))", fd.Format());
    }
}
