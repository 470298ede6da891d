using System.Runtime.CompilerServices;
using BpfSharp.Verifier;

namespace BpfSharp.Tests.Verifier;

public class ScalarBoundsTests
{
    [Fact]
    public void Is_64_bytes_without_padding()
    {
        Assert.Equal(64, Unsafe.SizeOf<ScalarValue>());
        Assert.Equal(16 + 4 * 8 + 4 * 4, Unsafe.SizeOf<ScalarValue>());
    }

    [Fact]
    public void Syncing_never_loses_a_member() =>
        ScalarSamples.Check(rng =>
        {
            ulong x = ScalarSamples.Word(rng);
            var v = ScalarSamples.Containing(rng, x);
            return (v, x);
        }, p =>
        {
            var (v, x) = p;
            var a = v;
            a.UpdateBoundsFromTnum();
            Assert.True(a.Contains(x));
            a.DeduceBounds();
            Assert.True(a.Contains(x));
            a.TightenTnumFromBounds();
            Assert.True(a.Contains(x));
            var b = v;
            b.SyncBounds();
            Assert.True(b.Contains(x), $"{v} synced to {b} loses {x:x}");
            Assert.Null(b.InvariantViolation());
        }, 20000);

    [Fact]
    public void A_synced_value_with_one_possible_member_is_a_constant()
    {
        // u64 [1, 2] and tnum {1, 3}: only 1 (the kernel prints R1=1 after "if r1 == 3" falls through).
        var v = ScalarValue.FromTnum(new Tnum(1, 2));
        v.UMax = 2;
        v.SyncBounds();
        Assert.True(v.IsConst);
        Assert.Equal("1", v.Format());
    }

    [Fact]
    public void Known_unknown_and_ranges()
    {
        Assert.Equal("scalar()", ScalarValue.Unknown.Format());
        Assert.True(ScalarValue.Unknown.IsUnknown);
        var k = ScalarValue.Known(0x1_0000_0005UL);
        Assert.True(k.IsConst && k.IsConst32 && k.ConstValue == 0x1_0000_0005UL && k.ConstValue32 == 5);
        Assert.True(k.IsConstOperand(true) && k.ConstOperand(true) == 5 && k.ConstOperand(false) == 0x1_0000_0005UL);
        Assert.Equal(33, k.BitWidth);
        var r = ScalarValue.UnsignedRange(10, 20);
        Assert.Equal("scalar(smin=umin=smin32=umin32=10,smax=umax=smax32=umax32=20,var_off=(0x0; 0x1f))", r.Format());
        Assert.Equal("scalar(smin=smin32=-1,smax=smax32=0)", ScalarValue.SignedRange(-1, 0).Format());
        var u = ScalarValue.Unknown;
        u.SetConst32(7);
        Assert.Equal("scalar(smin32=umin32=7,smax32=umax32=7,var_off=(0x7; 0xffffffff00000000))", u.Format());
    }

    [Theory]
    [InlineData(42L, "42")]
    [InlineData(-1L, "-1")]
    [InlineData(32767L, "32767")]
    [InlineData(32768L, "0x8000")]
    [InlineData(-32768L, "-32768")]
    [InlineData(-40000L, "0xffffffffffff63c0")]
    [InlineData(0x12345678L, "0x12345678")]
    [InlineData(long.MinValue, "0x8000000000000000")]
    public void Constants_print_as_signed_numbers(long value, string text) => Assert.Equal(text, ScalarValue.Known(value).Format());

    [Fact]
    public void Ids_deltas_and_precision_are_printed_where_the_kernel_prints_them()
    {
        var v = ScalarValue.UnsignedRange(0, 255);
        Assert.Equal("scalar(id=2,smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff))", v.Format(id: 2));
        Assert.Equal("Pscalar(id=3+5,smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff))", v.Format(id: 3, delta: 5, precise: true));
        Assert.Equal("scalar(id=1-2)", ScalarValue.Unknown.Format(id: 1, delta: -2));
        Assert.Equal("scalar(id=1)", ScalarValue.Unknown.Format(id: 1));
        Assert.Equal("P7", ScalarValue.Known(7L).Format(id: 4, precise: true));
        // The kernel's "r2 = r1; r2 += 5" on a u32 load.
        var u32 = ScalarValue.Unknown;
        u32.Truncate(4);
        Assert.Equal("scalar(id=1+5,smin=umin=5,smax=umax=0x100000004,var_off=(0x0; 0x1ffffffff))",
            ScalarAlu.Compute(BpfSharp.Isa.AluOperation.Add, u32, ScalarValue.Known(5L), true).Format(id: 1, delta: 5));
        Assert.Equal("scalar(id=1-3,smin=-3,smax=0xfffffffc)",
            ScalarAlu.Compute(BpfSharp.Isa.AluOperation.Add, u32, ScalarValue.Known(-3L), true).Format(id: 1, delta: -3));
    }

    [Fact]
    public void A_covering_value_holds_every_member_of_the_covered_one() =>
        ScalarSamples.Check(rng =>
        {
            var (cur, x) = ScalarSamples.WithMember(rng);
            var old = rng.Next(3) == 0 ? ScalarSamples.WithMember(rng).V : cur;
            if (rng.Next(2) == 0) old.UMax = Math.Max(old.UMax, old.UMax + (ulong)rng.Next(100));
            if (rng.Next(2) == 0) old.VarOff = new Tnum(old.VarOff.Value & ~1UL, old.VarOff.Mask | 1);
            return (old, cur, x);
        }, p =>
        {
            var (old, cur, x) = p;
            if (old.Covers(cur)) Assert.True(old.Contains(x));
            Assert.True(cur.Covers(cur));
        });

    [Fact]
    public void Equal_bounds_merge_but_negatives_do_not_merge_with_positives()
    {
        // From the kernel's log: a sign-extending 32-bit load, refined by "w1 s< 0" on the jump side.
        var v = ScalarValue.Unknown;
        v.SignExtend(4);
        Assert.Equal("scalar(smin=0xffffffff80000000,smax=0x7fffffff)", v.Format());
        var zero = ScalarValue.Known(0L);
        ScalarBranch.Refine(ref v, ref zero, BpfSharp.Isa.JumpOperation.Jslt, is32: true, taken: true);
        Assert.Equal("scalar(smin=0xffffffff80000000,smax=smax32=-1,umin=0xffffffff80000000,umin32=0x80000000,var_off=(0xffffffff80000000; 0x7fffffff))", v.Format());
    }

    [Fact]
    public void The_sanity_report_is_the_kernels()
    {
        // The kernel's own report for "if w0 > w0" on r0 in [0xfffe, 0xffff] (ScalarKernelLogCases).
        var v = ScalarValue.FromTnum(new Tnum(0xfffe, 1));
        v.U32Min = 0xffff;
        v.U32Max = 0xfffe;
        Assert.Equal("range bounds violation", v.InvariantViolation());
        Assert.Equal("REG INVARIANTS VIOLATION (true_reg1): range bounds violation u64=[0xfffe, 0xffff] s64=[0xfffe, 0xffff] " +
                     "u32=[0xffff, 0xfffe] s32=[0xfffe, 0xffff] var_off=(0xfffe, 0x1)", v.RepairInvariants("true_reg1"));
        Assert.Equal("scalar(var_off=(0xfffe; 0x1))", v.Format());
        Assert.Null(ScalarValue.Known(3L).InvariantViolation());
        var c = ScalarValue.Known(3L);
        c.UMax = 4;
        Assert.Equal("const tnum out of sync with range bounds", c.InvariantViolation());
        var s = ScalarValue.Unknown;
        s.VarOff = new Tnum(0, 0xffff_ffff_0000_0000);
        Assert.Equal("const subreg tnum out of sync with range bounds", s.InvariantViolation());
    }

    [Fact]
    public void Helper_return_ranges_intersect_both_widths()
    {
        var v = ScalarValue.Unknown;
        v.RestrictS32Range(-4095, 0x7fff);
        Assert.True(v.Contains(unchecked((ulong)-4095L)) && v.Contains(0x7fff) && !v.Contains(0x8000) && !v.Contains(0xffff_ffff_0000_0000));
        // bpf_get_smp_processor_id on a machine with two possible CPUs, as the kernel printed it.
        var cpu = ScalarValue.Unknown;
        cpu.RestrictS32Range(0, 1);
        Assert.Equal("scalar(smin=smin32=0,smax=umax=smax32=umax32=1,var_off=(0x0; 0x1))", cpu.Format());
    }
}
