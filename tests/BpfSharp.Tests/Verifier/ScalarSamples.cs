using BpfSharp.Isa;
using BpfSharp.Verifier;
using FsCheck;
using FsCheck.Fluent;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// Random abstract values with a concrete member, for the soundness properties: every operation's result must
/// contain the concrete result of every member. Values lean towards the edges (0, ±1, the 32- and 64-bit sign
/// boundaries, powers of two) where bound arithmetic goes wrong.
/// </summary>
public static class ScalarSamples
{
    /// <summary>FsCheck arbitrary drawing from <paramref name="make"/> with a seeded <see cref="Random"/>.</summary>
    public static Arbitrary<T> Arb<T>(Func<Random, T> make) =>
        Gen.Choose(int.MinValue, int.MaxValue).Select(seed => make(new Random(seed))).ToArbitrary();

    /// <summary>Checks <paramref name="property"/> on <paramref name="count"/> samples.</summary>
    public static void Check<T>(Func<Random, T> make, Action<T> property, int count = 3000) =>
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(count), Prop.ForAll(Arb(make), property));

    private static readonly ulong[] Edges =
    [
        0, 1, 2, 3, 7, 8, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff,
        0x1_0000_0000, 0x1_0000_0001, 0x7fff_ffff_ffff_ffff, 0x8000_0000_0000_0000, 0x8000_0000_0000_0001,
        ulong.MaxValue, ulong.MaxValue - 1, 0xffff_ffff_8000_0000, 0xffff_ffff_7fff_ffff, 0xffff_ffff_0000_0000,
        0xffff_ff00, 0xffff_ffff_ffff_ff80,
    ];

    /// <summary>A 64-bit value: an edge, an edge nudged, a small signed number, a power of two ± a bit, or anything.</summary>
    public static ulong Word(Random rng) => rng.Next(6) switch
    {
        0 => Edges[rng.Next(Edges.Length)],
        1 => Edges[rng.Next(Edges.Length)] + (ulong)(long)rng.Next(-3, 4),
        2 => (ulong)(long)rng.Next(-300, 300),
        3 => (1UL << rng.Next(64)) + (ulong)(long)rng.Next(-2, 3),
        4 => (ulong)rng.NextInt64() ^ ((ulong)rng.Next(2) << 63),
        _ => (uint)rng.Next() | ((ulong)rng.Next(2) << 31),
    };

    /// <summary>A mask of unknown bits: none, low bits, a byte-aligned field, sparse bits, high bits or all.</summary>
    public static ulong Mask(Random rng) => rng.Next(8) switch
    {
        0 => 0,
        1 => ulong.MaxValue,
        2 => (1UL << rng.Next(1, 64)) - 1,
        3 => ((1UL << rng.Next(1, 33)) - 1) << (8 * rng.Next(4)),
        4 => (ulong)rng.NextInt64() & (ulong)rng.NextInt64(),
        5 => ~((1UL << rng.Next(1, 64)) - 1),
        6 => (ulong)rng.NextInt64() ^ ((ulong)rng.Next(2) << 63),
        _ => 1UL << rng.Next(64),
    };

    /// <summary>A tnum holding <paramref name="x"/>.</summary>
    public static Tnum TnumContaining(Random rng, ulong x)
    {
        ulong mask = Mask(rng);
        return new Tnum(x & ~mask, mask);
    }

    /// <summary>A tnum and one of its members.</summary>
    public static (Tnum T, ulong X) TnumWithMember(Random rng)
    {
        ulong x = Word(rng);
        return (TnumContaining(rng, x), x);
    }

    private static ulong Spread(Random rng) => rng.Next(5) switch
    {
        0 => 0,
        1 => (ulong)rng.Next(0, 16),
        2 => (ulong)rng.Next(),
        3 => 1UL << rng.Next(64),
        _ => ulong.MaxValue,
    };

    /// <summary>
    /// An abstract value holding <paramref name="x"/>: random tnum and random ranges around x in all four
    /// domains, usually bounds-synced as the verifier keeps them.
    /// </summary>
    public static ScalarValue Containing(Random rng, ulong x)
    {
        var r = ScalarValue.Unknown;
        if (rng.Next(3) > 0) r.VarOff = TnumContaining(rng, x);
        if (rng.Next(2) == 0)
        {
            ulong below = Spread(rng), above = Spread(rng);
            r.UMin = x >= below ? x - below : 0;
            r.UMax = ulong.MaxValue - x >= above ? x + above : ulong.MaxValue;
        }
        if (rng.Next(2) == 0)
        {
            long s = (long)x;
            ulong below = Spread(rng), above = Spread(rng);
            r.SMin = (ulong)(s - long.MinValue) >= below ? (long)((ulong)s - below) : long.MinValue;
            r.SMax = (ulong)(long.MaxValue - s) >= above ? (long)((ulong)s + above) : long.MaxValue;
        }
        if (rng.Next(2) == 0)
        {
            uint u = (uint)x, below = (uint)Spread(rng), above = (uint)Spread(rng);
            r.U32Min = u >= below ? u - below : 0;
            r.U32Max = uint.MaxValue - u >= above ? u + above : uint.MaxValue;
        }
        if (rng.Next(2) == 0)
        {
            int s = (int)x;
            uint below = (uint)Spread(rng), above = (uint)Spread(rng);
            r.S32Min = (uint)(s - int.MinValue) >= below ? (int)((uint)s - below) : int.MinValue;
            r.S32Max = (uint)(int.MaxValue - s) >= above ? (int)((uint)s + above) : int.MaxValue;
        }
        if (rng.Next(8) == 0) r.SetConst(x);
        if (rng.Next(6) > 0) r.SyncBounds();
        return r;
    }

    /// <summary>An abstract value with a member, made by <see cref="Containing"/> or by a few verifier operations.</summary>
    public static (ScalarValue V, ulong X) WithMember(Random rng)
    {
        ulong x = Word(rng);
        var v = Containing(rng, x);
        if (rng.Next(3) == 0) return Evolve(rng, v, x);
        return (v, x);
    }

    private static readonly AluOperation[] EvolveOps =
    [
        AluOperation.Add, AluOperation.Sub, AluOperation.Mul, AluOperation.Or, AluOperation.And, AluOperation.Xor,
        AluOperation.Lsh, AluOperation.Rsh, AluOperation.Arsh, AluOperation.Neg,
    ];

    private static readonly JumpOperation[] Conditions =
    [
        JumpOperation.Jeq, JumpOperation.Jne, JumpOperation.Jgt, JumpOperation.Jge, JumpOperation.Jlt, JumpOperation.Jle,
        JumpOperation.Jsgt, JumpOperation.Jsge, JumpOperation.Jslt, JumpOperation.Jsle, JumpOperation.Jset,
    ];

    // A few ALU operations with constant operands and branches on the side the member takes, as programs do.
    private static (ScalarValue, ulong) Evolve(Random rng, ScalarValue v, ulong x)
    {
        for (int i = rng.Next(1, 5); i > 0; i--)
        {
            bool wide = rng.Next(3) > 0;
            if (rng.Next(2) == 0)
            {
                var op = EvolveOps[rng.Next(EvolveOps.Length)];
                ulong k = op is AluOperation.Lsh or AluOperation.Rsh or AluOperation.Arsh ? (ulong)rng.Next(wide ? 64 : 32) : Word(rng);
                k = (ulong)(long)(int)k;
                v = ScalarAlu.Compute(op, v, ScalarValue.Known(k), wide);
                x = ScalarConcrete.Alu(op, x, k, wide, 0);
            }
            else
            {
                var op = Conditions[rng.Next(Conditions.Length)];
                ulong k = rng.Next(2) == 0 ? x + (ulong)(long)rng.Next(-3, 4) : Word(rng);
                k = (ulong)(long)(int)k;
                var src = ScalarValue.Known(k);
                ScalarBranch.Refine(ref v, ref src, op, !wide, ScalarConcrete.Holds(op, x, k, !wide));
            }
        }
        return (v, x);
    }
}
