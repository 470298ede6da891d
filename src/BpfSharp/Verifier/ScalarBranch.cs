using BpfSharp.Isa;

namespace BpfSharp.Verifier;

/// <summary>
/// Conditional jumps between two scalars, as the Linux verifier decides them: whether a branch is always or
/// never taken (is_scalar_branch_taken), and what each side learns about both operands (regs_refine_cond_op
/// followed by reg_bounds_sync, as reg_set_min_max does).
/// </summary>
/// <remarks>
/// A BPF_K operand is <see cref="ScalarValue.Known(long)"/> of the sign-extended immediate. For 32-bit jumps
/// only the subregister bounds and tnum bits take part. <see cref="Refine"/> reads and writes through its two
/// references in the kernel's order, so passing the same register twice (<c>if r1 &gt; r1</c>) gives the
/// kernel's result for that case too.
/// </remarks>
public static class ScalarBranch
{
    /// <summary>
    /// 1 when <c>dst op src</c> holds for every pair of members, 0 when it holds for none, -1 when the kernel
    /// cannot tell (it may answer -1 where an exact analysis would not).
    /// </summary>
    public static int BranchTaken(in ScalarValue dst, in ScalarValue src, JumpOperation op, bool is32)
    {
        Tnum t1 = is32 ? dst.VarOff.Subreg() : dst.VarOff, t2 = is32 ? src.VarOff.Subreg() : src.VarOff;
        var (umin1, umax1, smin1, smax1) = Bounds(in dst, is32);
        var (umin2, umax2, smin2, smax2) = Bounds(in src, is32);
        switch (op)
        {
            case JumpOperation.Jeq:
            case JumpOperation.Jne:
                int equal = Equality(in dst, in src, t1, t2, is32, umin1, umax1, smin1, smax1, umin2, umax2, smin2, smax2);
                return equal < 0 ? -1 : op == JumpOperation.Jeq ? equal : 1 - equal;
            case JumpOperation.Jset:
                // The known operand is the mask; with none known nothing is decided.
                if (!src.IsConstOperand(is32)) (t1, t2) = (t2, t1);
                if (!src.IsConstOperand(is32) && !dst.IsConstOperand(is32)) return -1;
                if ((~t1.Mask & t1.Value & t2.Value) != 0) return 1;
                if (((t1.Mask | t1.Value) & t2.Value) == 0) return 0;
                return -1;
            case JumpOperation.Jgt: return Decide(umin1 > umax2, umax1 <= umin2);
            case JumpOperation.Jge: return Decide(umin1 >= umax2, umax1 < umin2);
            case JumpOperation.Jlt: return Decide(umax1 < umin2, umin1 >= umax2);
            case JumpOperation.Jle: return Decide(umax1 <= umin2, umin1 > umax2);
            case JumpOperation.Jsgt: return Decide(smin1 > smax2, smax1 <= smin2);
            case JumpOperation.Jsge: return Decide(smin1 >= smax2, smax1 < smin2);
            case JumpOperation.Jslt: return Decide(smax1 < smin2, smin1 >= smax2);
            case JumpOperation.Jsle: return Decide(smax1 <= smin2, smin1 > smax2);
            default: return -1;
        }
    }

    private static int Decide(bool always, bool never) => always ? 1 : never ? 0 : -1;

    // 1: always equal, 0: never equal, -1: unknown.
    private static int Equality(in ScalarValue a, in ScalarValue b, Tnum t1, Tnum t2, bool is32,
        ulong umin1, ulong umax1, long smin1, long smax1, ulong umin2, ulong umax2, long smin2, long smax2)
    {
        if (t1.IsConst && t2.IsConst) return t1.Value == t2.Value ? 1 : 0;
        if (!t1.Overlaps(t2)) return 0;
        if (umin1 > umax2 || umax1 < umin2 || smin1 > smax2 || smax1 < smin2) return 0;
        // A 64-bit comparison can still be decided by disjoint subregister ranges.
        if (!is32 && (a.U32Min > b.U32Max || a.U32Max < b.U32Min || a.S32Min > b.S32Max || a.S32Max < b.S32Min)) return 0;
        return -1;
    }

    private static (ulong UMin, ulong UMax, long SMin, long SMax) Bounds(in ScalarValue r, bool is32) =>
        is32 ? (r.U32Min, r.U32Max, r.S32Min, r.S32Max) : (r.UMin, r.UMax, r.SMin, r.SMax);

    /// <summary>
    /// Narrows both operands to what holds on one side of <c>if dst op src goto</c>: the jump side when
    /// <paramref name="taken"/>, the fall-through side otherwise; both are then bounds-synced. On a side the
    /// kernel knows to be dead the result may be inconsistent (see <see cref="ScalarValue.InvariantViolation"/>).
    /// </summary>
    public static void Refine(ref ScalarValue dst, ref ScalarValue src, JumpOperation op, bool is32, bool taken)
    {
        if (taken) RefineCondition(ref dst, ref src, op, is32, negatedSet: false);
        else if (op == JumpOperation.Jset) RefineCondition(ref dst, ref src, op, is32, negatedSet: true);
        else RefineCondition(ref dst, ref src, Negate(op), is32, negatedSet: false);
        dst.SyncBounds();
        src.SyncBounds();
    }

    /// <summary>
    /// Both sides of a conditional jump between two scalars, as the kernel's reg_set_min_max does it: the
    /// fall-through registers refined and synced, then the jump-side ones, then each of the four checked for
    /// consistency (true_reg1, true_reg2, false_reg1, false_reg2) and repaired with
    /// <see cref="ScalarValue.RepairInvariants"/>. The reports of those repairs are added to
    /// <paramref name="violations"/> in that order. For a BPF_K jump pass two copies of the immediate's value as
    /// the two source registers; for <c>if rX op rX</c> pass the same register twice on each side.
    /// </summary>
    public static void RefineBoth(ref ScalarValue takenDst, ref ScalarValue takenSrc, ref ScalarValue fallDst, ref ScalarValue fallSrc,
        JumpOperation op, bool is32, List<string>? violations = null)
    {
        Refine(ref fallDst, ref fallSrc, op, is32, taken: false);
        Refine(ref takenDst, ref takenSrc, op, is32, taken: true);
        Report(violations, takenDst.RepairInvariants("true_reg1"));
        Report(violations, takenSrc.RepairInvariants("true_reg2"));
        Report(violations, fallDst.RepairInvariants("false_reg1"));
        Report(violations, fallSrc.RepairInvariants("false_reg2"));
    }

    private static void Report(List<string>? violations, string? report)
    {
        if (report is not null) violations?.Add(report);
    }

    /// <summary>The operation that tests <c>b op' a</c> for <c>a op b</c> (e.g. &gt; becomes &lt;).</summary>
    public static JumpOperation Flip(JumpOperation op) => op switch
    {
        JumpOperation.Jge => JumpOperation.Jle,
        JumpOperation.Jgt => JumpOperation.Jlt,
        JumpOperation.Jle => JumpOperation.Jge,
        JumpOperation.Jlt => JumpOperation.Jgt,
        JumpOperation.Jsge => JumpOperation.Jsle,
        JumpOperation.Jsgt => JumpOperation.Jslt,
        JumpOperation.Jsle => JumpOperation.Jsge,
        JumpOperation.Jslt => JumpOperation.Jsgt,
        _ => op,
    };

    /// <summary>The operation true exactly when <paramref name="op"/> is false (none exists for JSET).</summary>
    public static JumpOperation Negate(JumpOperation op) => op switch
    {
        JumpOperation.Jeq => JumpOperation.Jne,
        JumpOperation.Jne => JumpOperation.Jeq,
        JumpOperation.Jge => JumpOperation.Jlt,
        JumpOperation.Jgt => JumpOperation.Jle,
        JumpOperation.Jle => JumpOperation.Jgt,
        JumpOperation.Jlt => JumpOperation.Jge,
        JumpOperation.Jsge => JumpOperation.Jslt,
        JumpOperation.Jsgt => JumpOperation.Jsle,
        JumpOperation.Jsle => JumpOperation.Jsgt,
        JumpOperation.Jslt => JumpOperation.Jsge,
        _ => throw new ArgumentException($"{op} has no negation", nameof(op)),
    };

    private static void RefineCondition(ref ScalarValue a, ref ScalarValue b, JumpOperation op, bool is32, bool negatedSet)
    {
        switch (op)
        {
            // "a > b" is refined as "b < a", and so on.
            case JumpOperation.Jge or JumpOperation.Jgt or JumpOperation.Jsge or JumpOperation.Jsgt:
                RefineCondition(ref b, ref a, Flip(op), is32, false);
                break;
            case JumpOperation.Jeq: RefineEqual(ref a, ref b, is32); break;
            case JumpOperation.Jne: WithConstantSecond(ref a, ref b, is32, ExcludeEdge); break;
            case JumpOperation.Jset: WithConstantSecond(ref a, ref b, is32, negatedSet ? ClearBits : SetSingleBit); break;
            case JumpOperation.Jle: BelowUnsigned(ref a, ref b, is32, strict: 0); break;
            case JumpOperation.Jlt: BelowUnsigned(ref a, ref b, is32, strict: 1); break;
            case JumpOperation.Jsle: BelowSigned(ref a, ref b, is32, strict: 0); break;
            case JumpOperation.Jslt: BelowSigned(ref a, ref b, is32, strict: 1); break;
        }
    }

    // Both sides get the intersection of their ranges and tnums.
    private static void RefineEqual(ref ScalarValue a, ref ScalarValue b, bool is32)
    {
        if (is32)
        {
            a.U32Min = Math.Max(a.U32Min, b.U32Min);
            a.U32Max = Math.Min(a.U32Max, b.U32Max);
            a.S32Min = Math.Max(a.S32Min, b.S32Min);
            a.S32Max = Math.Min(a.S32Max, b.S32Max);
            (b.U32Min, b.U32Max, b.S32Min, b.S32Max) = (a.U32Min, a.U32Max, a.S32Min, a.S32Max);
            Tnum t = a.VarOff.Subreg().Intersect(b.VarOff.Subreg());
            a.VarOff = a.VarOff.WithSubreg(t);
            b.VarOff = b.VarOff.WithSubreg(t);
        }
        else
        {
            a.UMin = Math.Max(a.UMin, b.UMin);
            a.UMax = Math.Min(a.UMax, b.UMax);
            a.SMin = Math.Max(a.SMin, b.SMin);
            a.SMax = Math.Min(a.SMax, b.SMax);
            (b.UMin, b.UMax, b.SMin, b.SMax) = (a.UMin, a.UMax, a.SMin, a.SMax);
            a.VarOff = a.VarOff.Intersect(b.VarOff);
            b.VarOff = a.VarOff;
        }
    }

    private delegate void ConstantRefinement(ref ScalarValue r, ulong value, bool is32);

    // Inequality and bit tests learn only when one side is a constant: refine the other side with it.
    private static void WithConstantSecond(ref ScalarValue a, ref ScalarValue b, bool is32, ConstantRefinement refine)
    {
        if (b.IsConstOperand(is32)) refine(ref a, b.ConstOperand(is32), is32);
        else if (a.IsConstOperand(is32)) refine(ref b, a.ConstOperand(is32), is32);
    }

    // x != c removes c when it is an end of a range.
    private static void ExcludeEdge(ref ScalarValue r, ulong value, bool is32)
    {
        if (is32)
        {
            if (r.U32Min == (uint)value) r.U32Min++;
            if (r.U32Max == (uint)value) r.U32Max--;
            if (r.S32Min == (int)value) r.S32Min++;
            if (r.S32Max == (int)value) r.S32Max--;
        }
        else
        {
            if (r.UMin == value) r.UMin++;
            if (r.UMax == value) r.UMax--;
            if (r.SMin == (long)value) r.SMin++;
            if (r.SMax == (long)value) r.SMax--;
        }
    }

    // x & c != 0 tells which bit is set only when c has a single bit.
    private static void SetSingleBit(ref ScalarValue r, ulong value, bool is32)
    {
        if (value == 0 || (value & (value - 1)) != 0) return;
        r.VarOff = is32 ? r.VarOff.WithSubreg(r.VarOff.Subreg().Or(Tnum.Const(value))) : r.VarOff.Or(Tnum.Const(value));
    }

    // x & c == 0 clears every bit of c; the ranges are forgotten first so a dead branch stays consistent.
    private static void ClearBits(ref ScalarValue r, ulong value, bool is32)
    {
        r.MarkUnbounded();
        r.VarOff = is32 ? r.VarOff.WithSubreg(r.VarOff.Subreg().And(Tnum.Const(~value))) : r.VarOff.And(Tnum.Const(~value));
    }

    // a <= b (strict: a < b): a's maximum and b's minimum move towards each other.
    private static void BelowUnsigned(ref ScalarValue a, ref ScalarValue b, bool is32, uint strict)
    {
        if (is32)
        {
            a.U32Max = Math.Min(a.U32Max, b.U32Max - strict);
            b.U32Min = Math.Max(a.U32Min + strict, b.U32Min);
        }
        else
        {
            a.UMax = Math.Min(a.UMax, b.UMax - strict);
            b.UMin = Math.Max(a.UMin + strict, b.UMin);
        }
    }

    private static void BelowSigned(ref ScalarValue a, ref ScalarValue b, bool is32, int strict)
    {
        if (is32)
        {
            a.S32Max = Math.Min(a.S32Max, b.S32Max - strict);
            b.S32Min = Math.Max(a.S32Min + strict, b.S32Min);
        }
        else
        {
            a.SMax = Math.Min(a.SMax, b.SMax - strict);
            b.SMin = Math.Max(a.SMin + strict, b.SMin);
        }
    }
}
