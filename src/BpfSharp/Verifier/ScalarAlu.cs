using BpfSharp.Isa;

namespace BpfSharp.Verifier;

/// <summary>
/// Arithmetic on abstract scalars with the Linux verifier's results (adjust_scalar_min_max_vals and the scalar
/// cases of check_alu_op): the result of every operation, in its 32- and 64-bit forms, holds every concrete
/// result of the operands' members, and is exactly what the kernel computes, including when it gives up and
/// makes the result unknown.
/// </summary>
/// <remarks>
/// A BPF_K operand is passed as <see cref="ScalarValue.Known(long)"/> of the sign-extended immediate, as the
/// kernel's fake source register holds it. Pointer arithmetic, ids and precision are the core's.
/// </remarks>
public static class ScalarAlu
{
    /// <summary>
    /// The result of <c>dst op= src</c> (ALU64 when <paramref name="alu64"/>, otherwise ALU with the result
    /// zero-extended). <see cref="AluOperation.Neg"/> ignores <paramref name="src"/>; <see cref="AluOperation.Mov"/>
    /// is <see cref="Move"/> with <paramref name="offset"/> as the sign-extension width. For and/or with a constant
    /// operand the core first asks <see cref="TrySplitSignMask"/> whether the kernel forks the state.
    /// </summary>
    /// <param name="op">The operation; <see cref="AluOperation.End"/> is not accepted (see <see cref="Endian"/>).</param>
    /// <param name="dst">The destination's value before the operation.</param>
    /// <param name="src">The source operand's value.</param>
    /// <param name="alu64">True for the ALU64 class.</param>
    /// <param name="offset">The instruction offset: 1 selects signed div/mod; for mov, 8, 16 or 32 selects movsx.</param>
    public static ScalarValue Compute(AluOperation op, ScalarValue dst, ScalarValue src, bool alu64, short offset = 0)
    {
        if (op == AluOperation.Mov) return Move(src, alu64, offset);
        if (op == AluOperation.End) throw new ArgumentException("byte swaps go through ScalarAlu.Endian", nameof(op));
        if (op == AluOperation.Neg) src = dst;
        if (!IsRangeComputable(op, in src, alu64)) return ScalarValue.Unknown;
        Apply(op, ref dst, in src, alu64);
        if (!alu64) dst.ZeroExtend32To64();
        dst.SyncBounds();
        return dst;
    }

    /// <summary>
    /// The kernel's is_safe_to_compute_dst_reg_range: whether it tracks the result of <paramref name="op"/> at all.
    /// Add, sub, mul, and, or, xor, neg and byte swaps always; shifts only by a known amount below the width;
    /// div and mod never (their result is unknown).
    /// </summary>
    public static bool IsRangeComputable(AluOperation op, in ScalarValue src, bool alu64)
    {
        switch (op)
        {
            case AluOperation.Add or AluOperation.Sub or AluOperation.Neg or AluOperation.And or AluOperation.Xor
                or AluOperation.Or or AluOperation.Mul or AluOperation.End:
                return true;
            case AluOperation.Lsh or AluOperation.Rsh or AluOperation.Arsh:
                bool known = alu64
                    ? src.VarOff.IsConst && src.SMin == src.SMax && src.UMin == src.UMax
                    : src.VarOff.SubregIsConst && src.S32Min == src.S32Max && src.U32Min == src.U32Max;
                // Like the kernel, the 64-bit maximum is compared even for a 32-bit shift.
                return known && src.UMax < (alu64 ? 64UL : 32UL);
            default:
                return false;
        }
    }

    /// <summary>
    /// The result of a register move: a plain copy (ALU64), a copy sign-extended from
    /// <paramref name="signExtendBits"/> (8, 16 or 32; ALU64 movsx, not bounds-synced, like the kernel's), or the
    /// low 32 bits zero-extended, optionally after sign-extending from 8 or 16 bits within them (ALU).
    /// </summary>
    public static ScalarValue Move(ScalarValue src, bool alu64, int signExtendBits = 0)
    {
        if (alu64)
        {
            if (signExtendBits != 0) src.SignExtend(signExtendBits / 8);
            return src;
        }
        if (signExtendBits != 0) src.SignExtendSubreg(signExtendBits / 8);
        src.ZeroExtend32To64();
        src.SyncBounds();
        return src;
    }

    /// <summary>The value of <c>dst = imm</c>: the sign-extended immediate for ALU64, the zero-extended one for ALU.</summary>
    public static ScalarValue MoveImmediate(int imm, bool alu64) =>
        alu64 ? ScalarValue.Known((long)imm) : ScalarValue.Known((ulong)(uint)imm);

    /// <summary>The result of <c>dst = -dst</c>.</summary>
    public static ScalarValue Neg(ScalarValue dst, bool alu64) => Compute(AluOperation.Neg, dst, dst, alu64);

    /// <summary>
    /// The result of a BPF_END instruction of <paramref name="bits"/> (16, 32 or 64) on a little-endian machine:
    /// <c>bswap</c> (ALU64) and <c>be</c> (ALU, BPF_TO_BE) swap the tnum's bytes (bounds re-derived from it),
    /// <c>le</c> (ALU, BPF_TO_LE) does not; then 16- and 32-bit forms are truncated. No zero extension beyond
    /// that, as in the kernel.
    /// </summary>
    /// <param name="dst">The register's value.</param>
    /// <param name="alu64">True for the ALU64 class (bswap16/32/64).</param>
    /// <param name="toBigEndian">The instruction's source bit (BPF_TO_BE) for the ALU class.</param>
    /// <param name="bits">The immediate: 16, 32 or 64.</param>
    public static ScalarValue Endian(ScalarValue dst, bool alu64, bool toBigEndian, int bits)
    {
        if (alu64 || toBigEndian)
        {
            dst.VarOff = bits switch
            {
                16 => dst.VarOff.ByteSwap16(),
                32 => dst.VarOff.ByteSwap32(),
                _ => dst.VarOff.ByteSwap64(),
            };
            dst.MarkUnbounded();
        }
        if (bits is 16 or 32) dst.Truncate(bits / 8);
        dst.SyncBounds();
        return dst;
    }

    /// <summary>
    /// The kernel's fork for <c>x &amp;= K</c> / <c>x |= K</c> when x is known to be -1 or 0 (e.g. after
    /// <c>x s&gt;&gt;= 63</c>): true when <paramref name="op"/> is and/or with a 64-bit constant
    /// <paramref name="src"/> and <paramref name="dst"/>'s signed 64-bit (else 32-bit) range is exactly [-1, 0].
    /// The core then pushes a state that re-executes the instruction with dst = <paramref name="zero"/> and
    /// continues with dst = <paramref name="minusOne"/> (only the subregister is set in the 32-bit case).
    /// </summary>
    public static bool TrySplitSignMask(AluOperation op, in ScalarValue dst, in ScalarValue src,
        out ScalarValue minusOne, out ScalarValue zero)
    {
        minusOne = zero = dst;
        if (op is not (AluOperation.And or AluOperation.Or) || !src.VarOff.IsConst) return false;
        if (dst.SMin == -1 && dst.SMax == 0)
        {
            minusOne.SetConst(ulong.MaxValue);
            zero.SetConst(0);
            return true;
        }
        if (dst.S32Min == -1 && dst.S32Max == 0)
        {
            minusOne.SetConst32(uint.MaxValue);
            zero.SetConst32(0);
            return true;
        }
        return false;
    }

    // One handler per tracked operation; div and mod never get here (their result is unknown).
    private static void Apply(AluOperation op, ref ScalarValue d, in ScalarValue s, bool alu64)
    {
        switch (op)
        {
            case AluOperation.Add: Add(ref d, in s); break;
            case AluOperation.Sub: Sub(ref d, in s); break;
            case AluOperation.Neg: Negate(ref d); break;
            case AluOperation.Mul: Mul(ref d, in s); break;
            case AluOperation.And: And(ref d, in s); break;
            case AluOperation.Or: Or(ref d, in s); break;
            case AluOperation.Xor: Xor(ref d, in s); break;
            case AluOperation.Lsh: LeftShift(ref d, in s, alu64); break;
            case AluOperation.Rsh: RightShift(ref d, in s, alu64); break;
            case AluOperation.Arsh: ArithmeticRightShift(ref d, in s, alu64); break;
            default: throw new ArgumentOutOfRangeException(nameof(op));
        }
    }

    // ---- add, sub, neg ----------------------------------------------------------------------------------

    private static void Add(ref ScalarValue d, in ScalarValue s)
    {
        if (ScalarOverflow.Add(d.S32Min, s.S32Min, out d.S32Min) | ScalarOverflow.Add(d.S32Max, s.S32Max, out d.S32Max))
            (d.S32Min, d.S32Max) = (int.MinValue, int.MaxValue);
        // If both ends wrap the wrapped range is still exact; if only the top wraps, anything is possible.
        bool lo = ScalarOverflow.Add(d.U32Min, s.U32Min, out d.U32Min), hi = ScalarOverflow.Add(d.U32Max, s.U32Max, out d.U32Max);
        if (!lo && hi) (d.U32Min, d.U32Max) = (0, uint.MaxValue);

        if (ScalarOverflow.Add(d.SMin, s.SMin, out d.SMin) | ScalarOverflow.Add(d.SMax, s.SMax, out d.SMax))
            (d.SMin, d.SMax) = (long.MinValue, long.MaxValue);
        lo = ScalarOverflow.Add(d.UMin, s.UMin, out d.UMin);
        hi = ScalarOverflow.Add(d.UMax, s.UMax, out d.UMax);
        if (!lo && hi) (d.UMin, d.UMax) = (0, ulong.MaxValue);

        d.VarOff = d.VarOff.Add(s.VarOff);
    }

    private static void Sub(ref ScalarValue d, in ScalarValue s)
    {
        SubtractRanges(ref d, in s);
        d.VarOff = d.VarOff.Sub(s.VarOff);
    }

    private static void SubtractRanges(ref ScalarValue d, in ScalarValue s)
    {
        if (ScalarOverflow.Sub(d.S32Min, s.S32Max, out d.S32Min) | ScalarOverflow.Sub(d.S32Max, s.S32Min, out d.S32Max))
            (d.S32Min, d.S32Max) = (int.MinValue, int.MaxValue);
        // Unbounded only when the low end underflows and the high end does not.
        bool lo = ScalarOverflow.Sub(d.U32Min, s.U32Max, out d.U32Min), hi = ScalarOverflow.Sub(d.U32Max, s.U32Min, out d.U32Max);
        if (lo && !hi) (d.U32Min, d.U32Max) = (0, uint.MaxValue);

        if (ScalarOverflow.Sub(d.SMin, s.SMax, out d.SMin) | ScalarOverflow.Sub(d.SMax, s.SMin, out d.SMax))
            (d.SMin, d.SMax) = (long.MinValue, long.MaxValue);
        lo = ScalarOverflow.Sub(d.UMin, s.UMax, out d.UMin);
        hi = ScalarOverflow.Sub(d.UMax, s.UMin, out d.UMax);
        if (lo && !hi) (d.UMin, d.UMax) = (0, ulong.MaxValue);
    }

    // 0 - x with the subtraction's range rules.
    private static void Negate(ref ScalarValue d)
    {
        ScalarValue operand = d;
        d = ScalarValue.Known(0UL);
        SubtractRanges(ref d, in operand);
        d.VarOff = operand.VarOff.Neg();
    }

    // ---- mul ---------------------------------------------------------------------------------------------

    private static void Mul(ref ScalarValue d, in ScalarValue s)
    {
        d.VarOff = d.VarOff.Mul(s.VarOff);

        if (ScalarOverflow.Mul(d.U32Max, s.U32Max, out d.U32Max) || ScalarOverflow.Mul(d.U32Min, s.U32Min, out d.U32Min))
            (d.U32Min, d.U32Max) = (0, uint.MaxValue);
        if (ScalarOverflow.Mul(d.S32Min, s.S32Min, out int p0) || ScalarOverflow.Mul(d.S32Min, s.S32Max, out int p1)
            || ScalarOverflow.Mul(d.S32Max, s.S32Min, out int p2) || ScalarOverflow.Mul(d.S32Max, s.S32Max, out int p3))
            (d.S32Min, d.S32Max) = (int.MinValue, int.MaxValue);
        else
            (d.S32Min, d.S32Max) = (Math.Min(Math.Min(p0, p1), Math.Min(p2, p3)), Math.Max(Math.Max(p0, p1), Math.Max(p2, p3)));

        if (ScalarOverflow.Mul(d.UMax, s.UMax, out d.UMax) || ScalarOverflow.Mul(d.UMin, s.UMin, out d.UMin))
            (d.UMin, d.UMax) = (0, ulong.MaxValue);
        if (ScalarOverflow.Mul(d.SMin, s.SMin, out long q0) || ScalarOverflow.Mul(d.SMin, s.SMax, out long q1)
            || ScalarOverflow.Mul(d.SMax, s.SMin, out long q2) || ScalarOverflow.Mul(d.SMax, s.SMax, out long q3))
            (d.SMin, d.SMax) = (long.MinValue, long.MaxValue);
        else
            (d.SMin, d.SMax) = (Math.Min(Math.Min(q0, q1), Math.Min(q2, q3)), Math.Max(Math.Max(q0, q1), Math.Max(q2, q3)));
    }

    // ---- bitwise -----------------------------------------------------------------------------------------

    // The three bitwise operations share their shape: tnum first, then unsigned bounds from the tnum and
    // the operands, signed bounds only where the unsigned range does not cross the sign bit.
    private static void And(ref ScalarValue d, in ScalarValue s)
    {
        d.VarOff = d.VarOff.And(s.VarOff);
        if (!BothKnown32(ref d, in s))
        {
            d.U32Min = (uint)d.VarOff.Value;
            d.U32Max = Math.Min(d.U32Max, s.U32Max);
            SignedFromUnsigned32(ref d);
        }
        if (!BothKnown64(ref d, in s))
        {
            d.UMin = d.VarOff.Value;
            d.UMax = Math.Min(d.UMax, s.UMax);
            SignedFromUnsigned64(ref d);
        }
    }

    private static void Or(ref ScalarValue d, in ScalarValue s)
    {
        d.VarOff = d.VarOff.Or(s.VarOff);
        if (!BothKnown32(ref d, in s))
        {
            d.U32Min = Math.Max(d.U32Min, s.U32Min);
            d.U32Max = (uint)d.VarOff.Max;
            SignedFromUnsigned32(ref d);
        }
        if (!BothKnown64(ref d, in s))
        {
            d.UMin = Math.Max(d.UMin, s.UMin);
            d.UMax = d.VarOff.Max;
            SignedFromUnsigned64(ref d);
        }
    }

    private static void Xor(ref ScalarValue d, in ScalarValue s)
    {
        d.VarOff = d.VarOff.Xor(s.VarOff);
        if (!BothKnown32(ref d, in s))
        {
            d.U32Min = (uint)d.VarOff.Value;
            d.U32Max = (uint)d.VarOff.Max;
            SignedFromUnsigned32(ref d);
        }
        if (!BothKnown64(ref d, in s))
        {
            d.UMin = d.VarOff.Value;
            d.UMax = d.VarOff.Max;
            SignedFromUnsigned64(ref d);
        }
    }

    // With both subregisters known the (already computed) tnum gives the 32-bit result.
    private static bool BothKnown32(ref ScalarValue d, in ScalarValue s)
    {
        if (!s.VarOff.SubregIsConst || !d.VarOff.SubregIsConst) return false;
        d.SetConst32((uint)d.VarOff.Value);
        return true;
    }

    private static bool BothKnown64(ref ScalarValue d, in ScalarValue s)
    {
        if (!s.VarOff.IsConst || !d.VarOff.IsConst) return false;
        d.SetConst(d.VarOff.Value);
        return true;
    }

    private static void SignedFromUnsigned32(ref ScalarValue d)
    {
        if ((int)d.U32Min <= (int)d.U32Max) (d.S32Min, d.S32Max) = ((int)d.U32Min, (int)d.U32Max);
        else (d.S32Min, d.S32Max) = (int.MinValue, int.MaxValue);
    }

    private static void SignedFromUnsigned64(ref ScalarValue d)
    {
        if ((long)d.UMin <= (long)d.UMax) (d.SMin, d.SMax) = ((long)d.UMin, (long)d.UMax);
        else (d.SMin, d.SMax) = (long.MinValue, long.MaxValue);
        d.UpdateBoundsFromTnum();
    }

    // ---- shifts (the amount is a known constant below the width) ------------------------------------------

    private static void LeftShift(ref ScalarValue d, in ScalarValue s, bool alu64)
    {
        if (alu64)
        {
            int amount = (int)s.UMin;
            // <<32 keeps the sign of the subregister's bounds: the compiler's "<<32 s>>32" sign extension idiom.
            if (s.UMin == 32 && s.UMax == 32) (d.SMin, d.SMax) = ((long)d.S32Min << 32, (long)d.S32Max << 32);
            else (d.SMin, d.SMax) = (long.MinValue, long.MaxValue);
            if (d.UMax > 1UL << (63 - (int)s.UMax)) (d.UMin, d.UMax) = (0, ulong.MaxValue);
            else (d.UMin, d.UMax) = (d.UMin << amount, d.UMax << (int)s.UMax);
            LeftShiftBounds32(ref d, s.UMin, s.UMax);
            d.VarOff = d.VarOff.LeftShift(amount);
            d.UpdateBoundsFromTnum();
        }
        else
        {
            Tnum low = d.VarOff.Subreg();
            LeftShiftBounds32(ref d, s.U32Min, s.U32Max);
            d.VarOff = low.LeftShift((int)s.U32Min).Subreg();
            d.MarkUnbounded64();
            ScalarBounds.Update32FromTnum(ref d);
        }
    }

    private static void LeftShiftBounds32(ref ScalarValue d, ulong min, ulong max)
    {
        (d.S32Min, d.S32Max) = (int.MinValue, int.MaxValue);
        // If the top bit may be shifted out nothing is known.
        if (max > 31 || d.U32Max > 1UL << (31 - (int)max)) (d.U32Min, d.U32Max) = (0, uint.MaxValue);
        else (d.U32Min, d.U32Max) = (d.U32Min << (int)min, d.U32Max << (int)max);
    }

    // Signed bounds are dropped: the unsigned bounds and the tnum give them back.
    private static void RightShift(ref ScalarValue d, in ScalarValue s, bool alu64)
    {
        if (alu64)
        {
            (d.SMin, d.SMax) = (long.MinValue, long.MaxValue);
            d.VarOff = d.VarOff.RightShift((int)s.UMin);
            (d.UMin, d.UMax) = (d.UMin >> (int)s.UMax, d.UMax >> (int)s.UMin);
            d.MarkUnbounded32();
            d.UpdateBoundsFromTnum();
        }
        else
        {
            (d.S32Min, d.S32Max) = (int.MinValue, int.MaxValue);
            d.VarOff = d.VarOff.Subreg().RightShift((int)s.U32Min);
            (d.U32Min, d.U32Max) = (d.U32Min >> (int)s.U32Max, d.U32Max >> (int)s.U32Min);
            d.MarkUnbounded64();
            ScalarBounds.Update32FromTnum(ref d);
        }
    }

    // Unsigned bounds are dropped: the signed bounds shift exactly and the tnum gives the rest.
    private static void ArithmeticRightShift(ref ScalarValue d, in ScalarValue s, bool alu64)
    {
        if (alu64)
        {
            int amount = (int)s.UMin;
            (d.SMin, d.SMax) = (d.SMin >> amount, d.SMax >> amount);
            d.VarOff = d.VarOff.ArithmeticRightShift(amount, 64);
            (d.UMin, d.UMax) = (0, ulong.MaxValue);
            d.MarkUnbounded32();
            d.UpdateBoundsFromTnum();
        }
        else
        {
            int amount = (int)s.U32Min;
            (d.S32Min, d.S32Max) = (d.S32Min >> amount, d.S32Max >> amount);
            d.VarOff = d.VarOff.Subreg().ArithmeticRightShift(amount, 32);
            (d.U32Min, d.U32Max) = (0, uint.MaxValue);
            d.MarkUnbounded64();
            ScalarBounds.Update32FromTnum(ref d);
        }
    }
}
