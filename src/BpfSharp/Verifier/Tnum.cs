using System.Numerics;
using System.Runtime.InteropServices;

namespace BpfSharp.Verifier;

/// <summary>
/// A tracked number ("tnum"): per-bit knowledge of a 64-bit value. A bit whose <see cref="Mask"/> bit is 1 is
/// unknown; the other bits equal the matching <see cref="Value"/> bits. The set of members is every x with
/// <c>(x &amp; ~Mask) == Value</c>. Operations give the Linux verifier's results bit for bit, so the bounds
/// derived from them (and the log text) match the kernel's.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Tnum : IEquatable<Tnum>
{
    /// <summary>The known bits (always 0 where <see cref="Mask"/> is 1).</summary>
    public readonly ulong Value;

    /// <summary>The unknown bits.</summary>
    public readonly ulong Mask;

    /// <summary>Creates a tnum from its fields as given (callers keep <c>value &amp; mask == 0</c>).</summary>
    public Tnum(ulong value, ulong mask)
    {
        Value = value;
        Mask = mask;
    }

    /// <summary>Every bit unknown.</summary>
    public static Tnum Unknown => new(0, ulong.MaxValue);

    /// <summary>The single value <paramref name="value"/>.</summary>
    public static Tnum Const(ulong value) => new(value, 0);

    /// <summary>
    /// The smallest tnum holding every value of [min, max] by the kernel's rule: the bits below the highest bit
    /// where min and max differ become unknown.
    /// </summary>
    public static Tnum Range(ulong min, ulong max)
    {
        int bits = 64 - BitOperations.LeadingZeroCount(min ^ max);
        if (bits > 63) return Unknown;
        ulong delta = (1UL << bits) - 1;
        return new(min & ~delta, delta);
    }

    /// <summary>True when every bit is known.</summary>
    public bool IsConst => Mask == 0;

    /// <summary>True when every bit is unknown.</summary>
    public bool IsUnknown => Mask == ulong.MaxValue;

    /// <summary>True when the low 32 bits are all known.</summary>
    public bool SubregIsConst => (uint)Mask == 0;

    /// <summary>The smallest member.</summary>
    public ulong Min => Value;

    /// <summary>The largest member.</summary>
    public ulong Max => Value | Mask;

    /// <summary>True when this tnum is exactly the constant <paramref name="value"/>.</summary>
    public bool EqualsConst(ulong value) => Mask == 0 && Value == value;

    /// <summary>True when <paramref name="x"/> is a member.</summary>
    public bool Contains(ulong x) => (x & ~Mask) == Value;

    /// <summary>True when every member of <paramref name="inner"/> is a member of this tnum (the kernel's tnum_in).</summary>
    public bool Contains(Tnum inner) => (inner.Mask & ~Mask) == 0 && (inner.Value & ~Mask) == Value;

    /// <summary>True when this tnum is a subset of <paramref name="outer"/> (tnum_in with the arguments swapped).</summary>
    public bool In(Tnum outer) => outer.Contains(this);

    /// <summary>True when some value is a member of both tnums: they agree on every bit both know.</summary>
    public bool Overlaps(Tnum other)
    {
        ulong known = ~Mask & ~other.Mask;
        return (Value & known) == (other.Value & known);
    }

    /// <summary>True when every member is a multiple of <paramref name="size"/> (a power of two; 0 counts as aligned).</summary>
    public bool IsAligned(ulong size) => size == 0 || ((Value | Mask) & (size - 1)) == 0;

    /// <summary>
    /// The smallest member greater than <paramref name="z"/> when Min &lt;= z &lt; Max; Max when z &gt;= Max and Min
    /// when z &lt; Min (the kernel's tnum_step).
    /// </summary>
    public ulong Step(ulong z)
    {
        ulong max = Value | Mask;
        if (z >= max) return max;
        if (z < Value) return Value;
        // Members are Value + s for submasks s of Mask; find the smallest submask above d = z - Value by
        // letting +1 ripple through every non-mask position (and below d's highest non-mask one).
        ulong d = z - Value;
        int high = 64 - BitOperations.LeadingZeroCount(d & ~Mask);
        ulong carry = high == 64 ? ulong.MaxValue : (1UL << high) - 1;
        ulong filled = d | carry | ~Mask;
        return Value | ((filled + 1) & Mask);
    }

    /// <summary>Members of either operand's sum.</summary>
    public Tnum Add(Tnum b)
    {
        ulong sm = Mask + b.Mask, sv = Value + b.Value;
        ulong carries = (sm + sv) ^ sv;
        ulong mu = carries | Mask | b.Mask;
        return new(sv & ~mu, mu);
    }

    /// <summary>Members of the difference.</summary>
    public Tnum Sub(Tnum b)
    {
        ulong dv = Value - b.Value;
        ulong mu = ((dv + Mask) ^ (dv - b.Mask)) | Mask | b.Mask;
        return new(dv & ~mu, mu);
    }

    /// <summary>Two's complement negation (0 - this).</summary>
    public Tnum Neg() => Const(0).Sub(this);

    /// <summary>Bitwise and.</summary>
    public Tnum And(Tnum b)
    {
        ulong v = Value & b.Value;
        return new(v, (Value | Mask) & (b.Value | b.Mask) & ~v);
    }

    /// <summary>Bitwise or.</summary>
    public Tnum Or(Tnum b)
    {
        ulong v = Value | b.Value;
        return new(v, (Mask | b.Mask) & ~v);
    }

    /// <summary>Bitwise exclusive or.</summary>
    public Tnum Xor(Tnum b)
    {
        ulong mu = Mask | b.Mask;
        return new((Value ^ b.Value) & ~mu, mu);
    }

    /// <summary>
    /// Long multiplication over the bits of this operand: a known 1 adds the (shifted) other operand, an unknown
    /// bit takes the union of adding and not adding it.
    /// </summary>
    public Tnum Mul(Tnum b)
    {
        var acc = Const(0);
        var a = this;
        while ((a.Value | a.Mask) != 0)
        {
            if ((a.Value & 1) != 0) acc = acc.Add(b);
            else if ((a.Mask & 1) != 0) acc = acc.Union(acc.Add(b));
            a = a.RightShift(1);
            b = b.LeftShift(1);
        }
        return acc;
    }

    /// <summary>
    /// Members of both operands, assuming they overlap; where they disagree on a known bit the result has it set
    /// (the kernel's tnum_intersect).
    /// </summary>
    public Tnum Intersect(Tnum b)
    {
        ulong v = Value | b.Value, mu = Mask & b.Mask;
        return new(v & ~mu, mu);
    }

    /// <summary>Members of either operand (bits that differ become unknown).</summary>
    public Tnum Union(Tnum b)
    {
        ulong mu = (Value ^ b.Value) | Mask | b.Mask;
        return new(Value & b.Value & ~mu, mu);
    }

    /// <summary>Logical left shift by <paramref name="shift"/> (0-63).</summary>
    public Tnum LeftShift(int shift) => new(Value << shift, Mask << shift);

    /// <summary>Logical right shift by <paramref name="shift"/> (0-63).</summary>
    public Tnum RightShift(int shift) => new(Value >> shift, Mask >> shift);

    /// <summary>
    /// Arithmetic right shift by <paramref name="shift"/> of the low <paramref name="width"/> (32 or 64) bits;
    /// a 32-bit result is zero-extended.
    /// </summary>
    public Tnum ArithmeticRightShift(int shift, int width) => width == 32
        ? new((uint)((int)Value >> shift), (uint)((int)Mask >> shift))
        : new((ulong)((long)Value >> shift), (ulong)((long)Mask >> shift));

    /// <summary>The low <paramref name="size"/> bytes (1-8); higher bits become known zeros.</summary>
    public Tnum Cast(int size)
    {
        ulong keep = size >= 8 ? ulong.MaxValue : (1UL << (size * 8)) - 1;
        return new(Value & keep, Mask & keep);
    }

    /// <summary>The low 32 bits, zero-extended.</summary>
    public Tnum Subreg() => Cast(4);

    /// <summary>The high 32 bits, with the low 32 bits known zero.</summary>
    public Tnum ClearSubreg() => new(Value & 0xffff_ffff_0000_0000, Mask & 0xffff_ffff_0000_0000);

    /// <summary>This tnum's high 32 bits with <paramref name="subreg"/>'s low 32 bits.</summary>
    public Tnum WithSubreg(Tnum subreg) => ClearSubreg().Or(subreg.Subreg());

    /// <summary>This tnum's high 32 bits with the low 32 bits known to be <paramref name="value"/>.</summary>
    public Tnum ConstSubreg(uint value) => WithSubreg(Const(value));

    /// <summary>The low 16 bits with their two bytes swapped; higher bits known zero.</summary>
    public Tnum ByteSwap16() => new(BinarySwap16(Value), BinarySwap16(Mask));

    /// <summary>The low 32 bits with their bytes reversed; higher bits known zero.</summary>
    public Tnum ByteSwap32() => new(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((uint)Value),
        System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((uint)Mask));

    /// <summary>All eight bytes reversed.</summary>
    public Tnum ByteSwap64() => new(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(Value),
        System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(Mask));

    private static ulong BinarySwap16(ulong x) => System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((ushort)x);

    /// <summary>Sum.</summary>
    public static Tnum operator +(Tnum a, Tnum b) => a.Add(b);

    /// <summary>Difference.</summary>
    public static Tnum operator -(Tnum a, Tnum b) => a.Sub(b);

    /// <summary>Negation.</summary>
    public static Tnum operator -(Tnum a) => a.Neg();

    /// <summary>Product.</summary>
    public static Tnum operator *(Tnum a, Tnum b) => a.Mul(b);

    /// <summary>Bitwise and.</summary>
    public static Tnum operator &(Tnum a, Tnum b) => a.And(b);

    /// <summary>Bitwise or.</summary>
    public static Tnum operator |(Tnum a, Tnum b) => a.Or(b);

    /// <summary>Bitwise exclusive or.</summary>
    public static Tnum operator ^(Tnum a, Tnum b) => a.Xor(b);

    /// <summary>Logical left shift.</summary>
    public static Tnum operator <<(Tnum a, int shift) => a.LeftShift(shift);

    /// <summary>Logical right shift.</summary>
    public static Tnum operator >>(Tnum a, int shift) => a.RightShift(shift);

    /// <summary>Field-wise equality.</summary>
    public bool Equals(Tnum other) => Value == other.Value && Mask == other.Mask;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Tnum other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Value, Mask);

    /// <summary>Field-wise equality.</summary>
    public static bool operator ==(Tnum left, Tnum right) => left.Equals(right);

    /// <summary>Field-wise inequality.</summary>
    public static bool operator !=(Tnum left, Tnum right) => !left.Equals(right);

    /// <summary>The verifier log's spelling (tnum_strn): a constant as a number, otherwise <c>(0x0; 0xff)</c>.</summary>
    public override string ToString()
    {
        if (Mask != 0) return $"({ScalarFormat.Hex(Value)}; {ScalarFormat.Hex(Mask)})";
        if (Value <= ScalarFormat.MaxUnsignedDecimal) return Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ScalarFormat.Signed((long)Value);
    }
}
