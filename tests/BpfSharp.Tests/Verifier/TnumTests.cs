using System.Buffers.Binary;
using System.Numerics;
using BpfSharp.Verifier;

namespace BpfSharp.Tests.Verifier;

public class TnumTests
{
    private static (Tnum A, ulong X, Tnum B, ulong Y) Pair(Random rng)
    {
        var (a, x) = ScalarSamples.TnumWithMember(rng);
        var (b, y) = ScalarSamples.TnumWithMember(rng);
        return (a, x, b, y);
    }

    [Fact]
    public void Arithmetic_and_bitwise_results_contain_the_concrete_results() =>
        ScalarSamples.Check(Pair, p =>
        {
            var (a, x, b, y) = p;
            Assert.True(a.Add(b).Contains(x + y));
            Assert.True(a.Sub(b).Contains(x - y));
            Assert.True(a.Mul(b).Contains(x * y));
            Assert.True(a.And(b).Contains(x & y));
            Assert.True(a.Or(b).Contains(x | y));
            Assert.True(a.Xor(b).Contains(x ^ y));
            Assert.True(a.Neg().Contains(0 - x));
            Assert.True(a.Union(b).Contains(x) && a.Union(b).Contains(y));
            Assert.True(a.Overlaps(Tnum.Const(x)));
        }, 10000);

    [Fact]
    public void Shifts_casts_and_swaps_contain_the_concrete_results() =>
        ScalarSamples.Check(rng => (ScalarSamples.TnumWithMember(rng), rng.Next(64)), p =>
        {
            var ((a, x), k) = p;
            Assert.True(a.LeftShift(k).Contains(x << k));
            Assert.True(a.RightShift(k).Contains(x >> k));
            Assert.True(a.ArithmeticRightShift(k, 64).Contains((ulong)((long)x >> k)));
            Assert.True(a.Subreg().ArithmeticRightShift(k & 31, 32).Contains((uint)((int)x >> (k & 31))));
            foreach (int size in new[] { 1, 2, 4, 8 })
                Assert.True(a.Cast(size).Contains(size == 8 ? x : x & ((1UL << (8 * size)) - 1)));
            Assert.True(a.ByteSwap16().Contains(BinaryPrimitives.ReverseEndianness((ushort)x)));
            Assert.True(a.ByteSwap32().Contains(BinaryPrimitives.ReverseEndianness((uint)x)));
            Assert.True(a.ByteSwap64().Contains(BinaryPrimitives.ReverseEndianness(x)));
            Assert.True(a.Subreg().Contains((uint)x));
            Assert.True(a.ClearSubreg().Contains(x & 0xffff_ffff_0000_0000));
            Assert.True(a.ConstSubreg(7).Contains((x & 0xffff_ffff_0000_0000) | 7));
        }, 10000);

    [Fact]
    public void Intersecting_two_tnums_keeps_their_common_members() =>
        ScalarSamples.Check(rng =>
        {
            ulong x = ScalarSamples.Word(rng);
            return (ScalarSamples.TnumContaining(rng, x), ScalarSamples.TnumContaining(rng, x), x);
        }, p =>
        {
            var (a, b, x) = p;
            var both = a.Intersect(b);
            Assert.True(both.Contains(x));
            Assert.True(a.Contains(both) && b.Contains(both));
            Assert.True(both.In(a));
            Assert.True(a.Overlaps(b));
            Assert.True(a.WithSubreg(b).Contains((x & 0xffff_ffff_0000_0000) | (uint)x));
        });

    [Fact]
    public void A_range_tnum_holds_every_value_of_the_range() =>
        ScalarSamples.Check(rng =>
        {
            ulong a = ScalarSamples.Word(rng), b = ScalarSamples.Word(rng);
            (a, b) = a <= b ? (a, b) : (b, a);
            ulong z = a + (b - a == ulong.MaxValue ? (ulong)rng.NextInt64() : (ulong)(rng.NextDouble() * (b - a + 1)));
            return (a, b, Math.Min(z, b));
        }, p =>
        {
            var (min, max, z) = p;
            var t = Tnum.Range(min, max);
            Assert.True(t.Contains(min) && t.Contains(max) && t.Contains(z));
        });

    [Fact]
    public void Step_gives_the_next_member() =>
        ScalarSamples.Check(rng =>
        {
            // Few unknown bits, so that the members can be listed.
            ulong mask = 0;
            for (int i = rng.Next(0, 9); i > 0; i--) mask |= 1UL << rng.Next(0, 20);
            ulong value = (ulong)rng.Next(0, 1 << 20) & ~mask;
            return (new Tnum(value, mask), (ulong)rng.Next(0, 1 << 20));
        }, p =>
        {
            var (t, z) = p;
            var members = Enumerable.Range(0, 1 << BitOperations.PopCount(t.Mask))
                .Select(i => t.Value | Deposit((ulong)i, t.Mask)).Order().ToArray();
            ulong expected = z >= t.Max ? t.Max : z < t.Min ? t.Min : members.First(m => m > z);
            Assert.Equal(expected, t.Step(z));
        });

    private static ulong Deposit(ulong bits, ulong mask)
    {
        ulong result = 0;
        for (int i = 0; i < 64 && mask != 0; i++)
        {
            if ((mask & (1UL << i)) == 0) continue;
            if ((bits & 1) != 0) result |= 1UL << i;
            bits >>= 1;
        }
        return result;
    }

    [Fact]
    public void Contains_and_in_are_subset_tests()
    {
        var all = Tnum.Unknown;
        var low = new Tnum(0, 0xff);
        Assert.True(all.Contains(low));
        Assert.False(low.Contains(all));
        Assert.True(low.In(all));
        Assert.True(low.Contains(Tnum.Const(0x42)));
        Assert.False(low.Contains(Tnum.Const(0x142)));
        Assert.False(new Tnum(1, 2).Overlaps(Tnum.Const(2)));
    }

    [Fact]
    public void Range_follows_the_kernel()
    {
        Assert.Equal(new Tnum(0, 0xff), Tnum.Range(0, 255));
        Assert.Equal(new Tnum(0, 0x1ff), Tnum.Range(5, 260));
        Assert.Equal(Tnum.Const(7), Tnum.Range(7, 7));
        Assert.Equal(Tnum.Unknown, Tnum.Range(0, ulong.MaxValue));
        Assert.Equal(Tnum.Unknown, Tnum.Range(1, 0x8000_0000_0000_0000));
        Assert.Equal(new Tnum(0xc0, 0x3f), Tnum.Range(201, 255));
    }

    [Fact]
    public void Multiplication_takes_the_union_at_unknown_bits()
    {
        // x1 * x1 (1 or 3 times 1 or 3): {1, 3, 9}.
        var t = new Tnum(1, 2);
        Assert.Equal(new Tnum(1, 0xe), t.Mul(t));
        Assert.Equal(new Tnum(5, 0xa), t.Mul(Tnum.Const(5)));
        Assert.Equal(Tnum.Const(42), Tnum.Const(6).Mul(Tnum.Const(7)));
    }

    [Theory]
    [InlineData(0UL, 0UL, "0")]
    [InlineData(42UL, 0UL, "42")]
    [InlineData(65535UL, 0UL, "65535")]
    [InlineData(65536UL, 0UL, "0x10000")]
    [InlineData(ulong.MaxValue, 0UL, "-1")]
    [InlineData(0xffff_ffff_ffff_8000UL, 0UL, "-32768")]
    [InlineData(0xffff_ffff_ffff_7fffUL, 0UL, "0xffffffffffff7fff")]
    [InlineData(0UL, 0xffUL, "(0x0; 0xff)")]
    [InlineData(0x80000000UL, 0x7fffffffUL, "(0x80000000; 0x7fffffff)")]
    [InlineData(0UL, ulong.MaxValue, "(0x0; 0xffffffffffffffff)")]
    public void Prints_as_the_verifier_log_does(ulong value, ulong mask, string text) =>
        Assert.Equal(text, new Tnum(value, mask).ToString());

    [Fact]
    public void Is_sixteen_bytes_with_value_semantics()
    {
        Assert.Equal(16, System.Runtime.CompilerServices.Unsafe.SizeOf<Tnum>());
        Assert.Equal(new Tnum(1, 2), new Tnum(1, 2));
        Assert.True(new Tnum(1, 2) != new Tnum(1, 4));
        Assert.True(Tnum.Const(3).IsConst && Tnum.Unknown.IsUnknown && new Tnum(0x1_0000_0000, 0xf_0000_0000).SubregIsConst);
        Assert.True(new Tnum(0, 0xf0).IsAligned(16) && !new Tnum(0, 0xf8).IsAligned(16) && Tnum.Const(3).IsAligned(0));
    }
}
