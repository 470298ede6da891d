using BpfSharp.Isa;
using BpfSharp.Verifier;

namespace BpfSharp.Tests.Verifier;

public class ScalarAluTests
{
    private static readonly AluOperation[] Operations =
    [
        AluOperation.Add, AluOperation.Sub, AluOperation.Mul, AluOperation.Div, AluOperation.Mod, AluOperation.Or,
        AluOperation.And, AluOperation.Lsh, AluOperation.Rsh, AluOperation.Neg, AluOperation.Xor, AluOperation.Mov,
        AluOperation.Arsh,
    ];

    private sealed record Case(AluOperation Op, bool Alu64, short Offset, ScalarValue Dst, ulong X, ScalarValue Src, ulong Y);

    private static Case Sample(Random rng)
    {
        var op = Operations[rng.Next(Operations.Length)];
        bool alu64 = rng.Next(2) == 0;
        short offset = op switch
        {
            AluOperation.Div or AluOperation.Mod => (short)rng.Next(2),
            AluOperation.Mov => (short)(alu64 ? new[] { 0, 8, 16, 32 }[rng.Next(4)] : new[] { 0, 8, 16 }[rng.Next(3)]),
            _ => 0,
        };
        var (dst, x) = ScalarSamples.WithMember(rng);
        var (src, y) = ScalarSamples.WithMember(rng);
        // Shifts are mostly by known amounts below the width, where the result is tracked.
        if (op is AluOperation.Lsh or AluOperation.Rsh or AluOperation.Arsh && rng.Next(4) > 0)
        {
            y = (ulong)rng.Next(alu64 ? 64 : 32);
            src = ScalarValue.Known(y);
        }
        else if (rng.Next(4) == 0)
        {
            // A BPF_K operand: the sign-extended immediate.
            y = (ulong)(long)(int)y;
            src = ScalarValue.Known(y);
        }
        return new Case(op, alu64, offset, dst, x, src, y);
    }

    [Fact]
    public void Every_operation_contains_the_concrete_result() =>
        ScalarSamples.Check(Sample, c =>
        {
            ulong expected = ScalarConcrete.Alu(c.Op, c.X, c.Y, c.Alu64, c.Offset);
            var result = ScalarAlu.Compute(c.Op, c.Dst, c.Src, c.Alu64, c.Offset);
            Assert.True(result.Contains(expected), $"{c} gave {result} without {expected:x}");
        }, 40000);

    [Fact]
    public void The_sign_mask_fork_covers_every_member_and_both_halves_stay_sound() =>
        ScalarSamples.Check(rng =>
        {
            // -1 or 0 in 64 or 32 bits, as after "x s>>= 63" or "w s>>= 31".
            bool wide = rng.Next(2) == 0;
            ulong x = rng.Next(2) == 0 ? 0 : wide ? ulong.MaxValue : ((ulong)rng.Next() << 32) | 0xffff_ffff;
            if (!wide && x == 0) x = (ulong)rng.Next() << 32;
            var v = wide ? ScalarValue.SignedRange(-1, 0) : rng.Next(2) == 0 ? ScalarValue.Unknown : ScalarSamples.Containing(rng, x);
            if (!wide)
            {
                v.S32Min = Math.Max(v.S32Min, -1);
                v.S32Max = Math.Min(v.S32Max, 0);
                v.SyncBounds();
            }
            var op = rng.Next(2) == 0 ? AluOperation.And : AluOperation.Or;
            ulong k = (ulong)(long)rng.Next(-1000, 1000);
            return (v, x, op, k, rng.Next(2) == 0);
        }, p =>
        {
            var (v, x, op, k, alu64) = p;
            Assert.True(v.Contains(x));
            bool expectFork = (v.SMin == -1 && v.SMax == 0) || (v.S32Min == -1 && v.S32Max == 0);
            Assert.Equal(expectFork, ScalarAlu.TrySplitSignMask(op, v, ScalarValue.Known(k), out var minusOne, out var zero));
            if (!expectFork) return;
            bool inMinusOne = minusOne.Contains(x), inZero = zero.Contains(x);
            Assert.True(inMinusOne || inZero);
            ulong expected = ScalarConcrete.Alu(op, x, k, alu64, 0);
            var half = inMinusOne ? minusOne : zero;
            Assert.True(ScalarAlu.Compute(op, half, ScalarValue.Known(k), alu64).Contains(expected));
        });

    [Fact]
    public void Byte_swaps_contain_the_concrete_result() =>
        ScalarSamples.Check(rng => (ScalarSamples.WithMember(rng), rng.Next(3), new[] { 16, 32, 64 }[rng.Next(3)]), p =>
        {
            var ((v, x), kind, bits) = p;
            bool alu64 = kind == 2, toBigEndian = kind == 1;
            Assert.True(ScalarAlu.Endian(v, alu64, toBigEndian, bits).Contains(ScalarConcrete.Endian(alu64, toBigEndian, x, bits)));
        }, 10000);

    [Fact]
    public void Truncation_sign_extension_and_zero_extension_contain_the_concrete_result() =>
        ScalarSamples.Check(rng => (ScalarSamples.WithMember(rng), new[] { 1, 2, 4 }[rng.Next(3)]), p =>
        {
            var ((v, x), size) = p;
            var t = v;
            t.Truncate(size);
            Assert.True(t.Contains(x & ((1UL << (8 * size)) - 1)));
            var s = v;
            s.SignExtend(size);
            Assert.True(s.Contains(ScalarConcrete.SignExtend(x, size)));
            var z = v;
            z.ZeroExtend32To64();
            Assert.True(z.Contains((uint)x));
            if (size < 4)
            {
                var w = v;
                w.SignExtendSubreg(size);
                w.ZeroExtend32To64();
                Assert.True(w.Contains((uint)ScalarConcrete.SignExtend(x, size)));
            }
        }, 10000);

    [Fact]
    public void Moves_of_immediates_are_constants()
    {
        Assert.Equal("-5", ScalarAlu.MoveImmediate(-5, alu64: true).Format());
        Assert.Equal("0xfffffffb", ScalarAlu.MoveImmediate(-5, alu64: false).Format());
        Assert.Equal("0x12345678", ScalarAlu.MoveImmediate(0x12345678, alu64: true).Format());
    }

    [Fact]
    public void Division_and_modulo_are_not_tracked()
    {
        var byte_ = ScalarValue.UnsignedRange(0, 255);
        Assert.True(ScalarAlu.Compute(AluOperation.Div, byte_, ScalarValue.Known(3L), true).IsUnknown);
        Assert.True(ScalarAlu.Compute(AluOperation.Mod, ScalarValue.Known(10L), ScalarValue.Known(3L), false).IsUnknown);
        Assert.False(ScalarAlu.IsRangeComputable(AluOperation.Div, ScalarValue.Known(3L), true));
    }

    [Fact]
    public void Shifts_by_unknown_or_oversized_amounts_are_not_tracked()
    {
        var byte_ = ScalarValue.UnsignedRange(0, 255);
        Assert.True(ScalarAlu.Compute(AluOperation.Lsh, byte_, byte_, true).IsUnknown);
        Assert.True(ScalarAlu.Compute(AluOperation.Lsh, byte_, ScalarValue.Known(32L), false).IsUnknown);
        Assert.False(ScalarAlu.Compute(AluOperation.Lsh, byte_, ScalarValue.Known(31L), false).IsUnknown);
        // The kernel compares the 64-bit maximum even for a 32-bit shift.
        Assert.False(ScalarAlu.IsRangeComputable(AluOperation.Rsh, ScalarValue.Known(0x1_0000_0001UL), false));
    }

    // The states below are the kernel's, from ScalarKernelLogCases (6.18.44 level-2 logs).
    [Fact]
    public void Results_print_as_the_kernel_printed_them()
    {
        var u8 = Load(1);
        Assert.Equal("scalar(smin=smin32=-2,smax=smax32=253)", ScalarAlu.Compute(AluOperation.Add, u8, ScalarValue.Known(-2L), true).Format());
        var plus5 = ScalarAlu.Compute(AluOperation.Add, u8, ScalarValue.Known(5L), true);
        Assert.Equal("scalar(smin=umin=smin32=umin32=5,smax=umax=smax32=umax32=260,var_off=(0x0; 0x1ff))", plus5.Format());
        Assert.Equal("scalar(smin=umin=smin32=umin32=15,smax=umax=smax32=umax32=780,var_off=(0x0; 0x3ff))",
            ScalarAlu.Compute(AluOperation.Mul, plus5, ScalarValue.Known(3L), true).Format());
        Assert.Equal("scalar(smin=smin32=-255,smax=smax32=0)", ScalarAlu.Neg(u8, alu64: true).Format());
        Assert.Equal("scalar(smin=0,smax=umax=0xffffffff,smin32=-10,smax32=245,var_off=(0x0; 0xffffffff))",
            ScalarAlu.Compute(AluOperation.Sub, u8, ScalarValue.Known(10L), false).Format());

        var shifted = ScalarAlu.Compute(AluOperation.Lsh, Load(4), ScalarValue.Known(32L), true);
        Assert.Equal("scalar(smax=0x7fffffff00000000,umax=0xffffffff00000000,smin32=0,smax32=umax32=0,var_off=(0x0; 0xffffffff00000000))", shifted.Format());
        Assert.Equal("scalar(smin=0xffffffff80000000,smax=0x7fffffff)", ScalarAlu.Compute(AluOperation.Arsh, shifted, ScalarValue.Known(32L), true).Format());
        Assert.Equal("scalar(smin=0,smax=umax=umax32=0xfff00000,smax32=0x7ff00000,var_off=(0x0; 0xfff00000))",
            ScalarAlu.Compute(AluOperation.Lsh, Load(2), ScalarValue.Known(20L), false).Format());

        Assert.Equal("13330", ScalarAlu.Endian(ScalarValue.Known(0x1234L), alu64: false, toBigEndian: true, 16).Format());
        Assert.Equal("22136", ScalarAlu.Endian(ScalarValue.Known(0x12345678L), alu64: false, toBigEndian: false, 16).Format());
        Assert.Equal("scalar(smin=smin32=0,smax=umax=smax32=umax32=0xff00,var_off=(0x0; 0xff00))", ScalarAlu.Endian(u8, alu64: false, toBigEndian: true, 16).Format());
        Assert.Equal("scalar(smax=0x7f00000000000000,umax=0xff00000000000000,smin32=0,smax32=umax32=0,var_off=(0x0; 0xff00000000000000))",
            ScalarAlu.Endian(u8, alu64: false, toBigEndian: true, 64).Format());

        Assert.Equal("scalar(smin=smin32=-128,smax=smax32=127)", ScalarAlu.Move(u8, alu64: true, signExtendBits: 8).Format());
        Assert.Equal("scalar(smin=0xffffffff80000000,smax=0x7fffffff)", ScalarAlu.Move(Load(4), alu64: true, signExtendBits: 32).Format());
        Assert.Equal("scalar(smin=0,smax=umax=0xffffffff,smin32=-32768,smax32=32767,var_off=(0x0; 0xffffffff))",
            ScalarAlu.Move(Load(4), alu64: false, signExtendBits: 16).Format());
        Assert.Equal("0xffffffff", ScalarAlu.Move(ScalarValue.Known(-1L), alu64: false).Format());
    }

    [Fact]
    public void An_arithmetic_shift_by_63_then_and_forks_into_zero_and_minus_one()
    {
        var shifted = ScalarAlu.Compute(AluOperation.Lsh, Load(4), ScalarValue.Known(32L), true);
        var sign = ScalarAlu.Compute(AluOperation.Arsh, shifted, ScalarValue.Known(63L), true);
        Assert.Equal("scalar(smin=smin32=-1,smax=smax32=0)", sign.Format());
        Assert.True(ScalarAlu.TrySplitSignMask(AluOperation.And, sign, ScalarValue.Known(12L), out var minusOne, out var zero));
        Assert.Equal("12", ScalarAlu.Compute(AluOperation.And, minusOne, ScalarValue.Known(12L), true).Format());
        Assert.Equal("0", ScalarAlu.Compute(AluOperation.And, zero, ScalarValue.Known(12L), true).Format());
        Assert.False(ScalarAlu.TrySplitSignMask(AluOperation.Xor, sign, ScalarValue.Known(12L), out _, out _));
        Assert.False(ScalarAlu.TrySplitSignMask(AluOperation.And, sign, Load(1), out _, out _));

        var sign32 = ScalarAlu.Compute(AluOperation.Arsh, Load(4), ScalarValue.Known(31L), false);
        Assert.Equal("scalar(smin=0,smax=umax=0xffffffff,smin32=-1,smax32=0,var_off=(0x0; 0xffffffff))", sign32.Format());
        Assert.True(ScalarAlu.TrySplitSignMask(AluOperation.Or, sign32, ScalarValue.Known(3L), out minusOne, out zero));
        Assert.Equal("0xffffffff", ScalarAlu.Compute(AluOperation.Or, minusOne, ScalarValue.Known(3L), false).Format());
        Assert.Equal("3", ScalarAlu.Compute(AluOperation.Or, zero, ScalarValue.Known(3L), false).Format());
    }

    [Fact]
    public void Compute_rejects_byte_swaps() =>
        Assert.Throws<ArgumentException>(() => ScalarAlu.Compute(AluOperation.End, ScalarValue.Unknown, ScalarValue.Unknown, true));

    // What a zero-extending load of 'size' bytes from the context gives.
    private static ScalarValue Load(int size)
    {
        var v = ScalarValue.Unknown;
        v.Truncate(size);
        return v;
    }
}
