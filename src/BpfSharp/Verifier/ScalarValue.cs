using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace BpfSharp.Verifier;

/// <summary>
/// The verifier's abstract value of a scalar register: a tnum plus signed and unsigned ranges of the whole
/// 64-bit value and of its low 32 bits (the kernel's bpf_reg_state numeric fields). A concrete value is a member
/// when it lies in all eight bounds and in <see cref="VarOff"/>. 64 bytes, no padding.
/// </summary>
/// <remarks>
/// Mutating members follow the kernel's helpers of the same meaning (mark known/unknown, reg_bounds_sync,
/// zero extension, truncation and sign extension); ALU operations are in <see cref="ScalarAlu"/> and branch
/// logic in <see cref="ScalarBranch"/>. Ids, precision and liveness belong to the verifier core.
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public struct ScalarValue : IEquatable<ScalarValue>
{
    /// <summary>Known and unknown bits.</summary>
    public Tnum VarOff;

    /// <summary>Signed 64-bit minimum.</summary>
    public long SMin;

    /// <summary>Signed 64-bit maximum.</summary>
    public long SMax;

    /// <summary>Unsigned 64-bit minimum.</summary>
    public ulong UMin;

    /// <summary>Unsigned 64-bit maximum.</summary>
    public ulong UMax;

    /// <summary>Signed minimum of the low 32 bits.</summary>
    public int S32Min;

    /// <summary>Signed maximum of the low 32 bits.</summary>
    public int S32Max;

    /// <summary>Unsigned minimum of the low 32 bits.</summary>
    public uint U32Min;

    /// <summary>Unsigned maximum of the low 32 bits.</summary>
    public uint U32Max;

    /// <summary>A completely unknown scalar (__mark_reg_unknown).</summary>
    public static ScalarValue Unknown
    {
        get
        {
            var r = new ScalarValue { VarOff = Tnum.Unknown };
            r.MarkUnbounded();
            return r;
        }
    }

    /// <summary>The constant <paramref name="value"/> (__mark_reg_known).</summary>
    public static ScalarValue Known(ulong value)
    {
        var r = default(ScalarValue);
        r.SetConst(value);
        return r;
    }

    /// <summary>The constant <paramref name="value"/> (as its 64-bit two's complement pattern).</summary>
    public static ScalarValue Known(long value) => Known((ulong)value);

    /// <summary>
    /// An unknown scalar whose unsigned 64-bit value lies in [<paramref name="min"/>, <paramref name="max"/>],
    /// with the other bounds and the tnum derived by <see cref="SyncBounds"/>.
    /// </summary>
    public static ScalarValue UnsignedRange(ulong min, ulong max)
    {
        var r = Unknown;
        r.UMin = min;
        r.UMax = max;
        r.SyncBounds();
        return r;
    }

    /// <summary>
    /// An unknown scalar whose signed 64-bit value lies in [<paramref name="min"/>, <paramref name="max"/>],
    /// with the other bounds and the tnum derived by <see cref="SyncBounds"/>.
    /// </summary>
    public static ScalarValue SignedRange(long min, long max)
    {
        var r = Unknown;
        r.SMin = min;
        r.SMax = max;
        r.SyncBounds();
        return r;
    }

    /// <summary>A scalar known to be a member of <paramref name="tnum"/>, bounds derived from it.</summary>
    public static ScalarValue FromTnum(Tnum tnum)
    {
        var r = Unknown;
        r.VarOff = tnum;
        r.SyncBounds();
        return r;
    }

    /// <summary>True when the whole value is known.</summary>
    public readonly bool IsConst => VarOff.IsConst;

    /// <summary>True when the low 32 bits are known.</summary>
    public readonly bool IsConst32 => VarOff.SubregIsConst;

    /// <summary>The value when <see cref="IsConst"/>.</summary>
    public readonly ulong ConstValue => VarOff.Value;

    /// <summary>The low 32 bits when <see cref="IsConst32"/>.</summary>
    public readonly uint ConstValue32 => (uint)VarOff.Value;

    /// <summary>True when nothing at all is known (every field as <see cref="Unknown"/> sets it).</summary>
    public readonly bool IsUnknown => Equals(Unknown);

    /// <summary>The kernel's is_reg_const: the compared width (32 or 64 bits) is known.</summary>
    public readonly bool IsConstOperand(bool is32) => is32 ? VarOff.SubregIsConst : VarOff.IsConst;

    /// <summary>The kernel's reg_const_value: the known value of the compared width (zero-extended when 32-bit).</summary>
    public readonly ulong ConstOperand(bool is32) => is32 ? (uint)VarOff.Value : VarOff.Value;

    /// <summary>The number of significant bits of the unsigned maximum (get_reg_width).</summary>
    public readonly int BitWidth => 64 - BitOperations.LeadingZeroCount(UMax);

    /// <summary>True when <paramref name="x"/> satisfies every bound and the tnum.</summary>
    public readonly bool Contains(ulong x) =>
        VarOff.Contains(x)
        && (long)x >= SMin && (long)x <= SMax
        && x >= UMin && x <= UMax
        && (int)x >= S32Min && (int)x <= S32Max
        && (uint)x >= U32Min && (uint)x <= U32Max;

    /// <summary>
    /// True when every member of <paramref name="current"/> is a member of this value as the kernel's state
    /// pruning judges it: all eight bounds at least as wide (range_within) and the tnum a superset (tnum_in).
    /// </summary>
    public readonly bool Covers(in ScalarValue current) =>
        UMin <= current.UMin && UMax >= current.UMax && SMin <= current.SMin && SMax >= current.SMax
        && U32Min <= current.U32Min && U32Max >= current.U32Max && S32Min <= current.S32Min && S32Max >= current.S32Max
        && VarOff.Contains(current.VarOff);

    /// <summary>Forgets everything (__mark_reg_unknown's numeric part).</summary>
    public void MarkUnknown() => this = Unknown;

    /// <summary>Makes this the constant <paramref name="value"/> in every field (___mark_reg_known).</summary>
    public void SetConst(ulong value)
    {
        VarOff = Tnum.Const(value);
        SMin = SMax = (long)value;
        UMin = UMax = value;
        S32Min = S32Max = (int)value;
        U32Min = U32Max = (uint)value;
    }

    /// <summary>Makes the low 32 bits the constant <paramref name="value"/>; 64-bit bounds stay (__mark_reg32_known).</summary>
    public void SetConst32(uint value)
    {
        VarOff = VarOff.ConstSubreg(value);
        S32Min = S32Max = (int)value;
        U32Min = U32Max = value;
    }

    /// <summary>Resets all eight bounds to their widest; the tnum stays (__mark_reg_unbounded).</summary>
    public void MarkUnbounded()
    {
        MarkUnbounded64();
        MarkUnbounded32();
    }

    /// <summary>Resets the 64-bit bounds to their widest.</summary>
    public void MarkUnbounded64()
    {
        SMin = long.MinValue;
        SMax = long.MaxValue;
        UMin = 0;
        UMax = ulong.MaxValue;
    }

    /// <summary>Resets the 32-bit bounds to their widest.</summary>
    public void MarkUnbounded32()
    {
        S32Min = int.MinValue;
        S32Max = int.MaxValue;
        U32Min = 0;
        U32Max = uint.MaxValue;
    }

    /// <summary>
    /// The kernel's reg_bounds_sync: bounds from the tnum, three rounds of 32/64 and signed/unsigned deduction,
    /// the tnum tightened from the unsigned bounds, and bounds from the tnum again.
    /// </summary>
    public void SyncBounds() => ScalarBounds.Sync(ref this);

    /// <summary>Narrows the eight bounds to what the tnum allows (__update_reg_bounds).</summary>
    public void UpdateBoundsFromTnum() => ScalarBounds.UpdateFromTnum(ref this);

    /// <summary>One round of cross-deduction between the 32/64-bit and signed/unsigned bounds (__reg_deduce_bounds).</summary>
    public void DeduceBounds() => ScalarBounds.Deduce(ref this);

    /// <summary>Narrows the tnum to the unsigned 64- and 32-bit ranges (__reg_bound_offset).</summary>
    public void TightenTnumFromBounds() => ScalarBounds.TightenTnum(ref this);

    /// <summary>The zero extension after a 32-bit operation: the high half becomes 0 (zext_32_to_64).</summary>
    public void ZeroExtend32To64() => ScalarBounds.ZeroExtend32To64(ref this);

    /// <summary>Derives the 64-bit bounds from the 32-bit ones, as for a zero-extended value (__reg_assign_32_into_64).</summary>
    public void Assign32Into64() => ScalarBounds.Assign32Into64(ref this);

    /// <summary>Keeps the low <paramref name="size"/> bytes (1, 2 or 4), as a narrow load does (coerce_reg_to_size).</summary>
    public void Truncate(int size) => ScalarBounds.Truncate(ref this, size);

    /// <summary>
    /// Sign-extends the low <paramref name="size"/> bytes (1, 2 or 4) to 64 bits, as a sign-extending load or a
    /// 64-bit movsx does (coerce_reg_to_size_sx; like the kernel, no bounds sync follows).
    /// </summary>
    public void SignExtend(int size) => ScalarBounds.SignExtend(ref this, size);

    /// <summary>
    /// Sign-extends the low <paramref name="size"/> bytes (1 or 2) to 32 bits in the subregister, as a 32-bit movsx
    /// does before its zero extension (coerce_subreg_to_size_sx).
    /// </summary>
    public void SignExtendSubreg(int size) => ScalarBounds.SignExtendSubreg(ref this, size);

    /// <summary>
    /// Intersects the signed 32-bit and 64-bit bounds with [<paramref name="min"/>, <paramref name="max"/>] and
    /// syncs (__mark_reg_s32_range, used for helper return values).
    /// </summary>
    public void RestrictS32Range(int min, int max)
    {
        S32Min = Math.Max(S32Min, min);
        S32Max = Math.Min(S32Max, max);
        SMin = Math.Max(SMin, min);
        SMax = Math.Min(SMax, max);
        SyncBounds();
    }

    /// <summary>
    /// The kernel's reg_bounds_sanity_check: null when consistent, otherwise "range bounds violation",
    /// "const tnum out of sync with range bounds" or "const subreg tnum out of sync with range bounds".
    /// </summary>
    public readonly string? InvariantViolation()
    {
        if (UMin > UMax || SMin > SMax || U32Min > U32Max || S32Min > S32Max) return "range bounds violation";
        if (VarOff.IsConst)
        {
            ulong u = VarOff.Value;
            if (UMin != u || UMax != u || SMin != (long)u || SMax != (long)u) return "const tnum out of sync with range bounds";
        }
        if (VarOff.SubregIsConst)
        {
            uint u = (uint)VarOff.Value;
            if (U32Min != u || U32Max != u || S32Min != (int)u || S32Max != (int)u) return "const subreg tnum out of sync with range bounds";
        }
        return null;
    }

    /// <summary>
    /// The text the kernel reports for a failed sanity check made in <paramref name="context"/> (e.g. "alu",
    /// "true_reg1"), or null when consistent.
    /// </summary>
    public readonly string? InvariantViolationReport(string context)
    {
        string? message = InvariantViolation();
        if (message is null) return null;
        return $"REG INVARIANTS VIOLATION ({context}): {message} u64=[{ScalarFormat.Hex(UMin)}, {ScalarFormat.Hex(UMax)}] " +
               $"s64=[{ScalarFormat.Hex((ulong)SMin)}, {ScalarFormat.Hex((ulong)SMax)}] u32=[{ScalarFormat.Hex(U32Min)}, {ScalarFormat.Hex(U32Max)}] " +
               $"s32=[{ScalarFormat.Hex((uint)S32Min)}, {ScalarFormat.Hex((uint)S32Max)}] var_off=({ScalarFormat.Hex(VarOff.Value)}, {ScalarFormat.Hex(VarOff.Mask)})";
    }

    /// <summary>
    /// The kernel's reaction to a failed sanity check outside its self-test mode: the bounds are reset (the tnum
    /// stays) and the report is returned for the log, where the kernel prints it after <c>verifier bug: </c>.
    /// Null (and no change) when consistent.
    /// </summary>
    public string? RepairInvariants(string context)
    {
        string? report = InvariantViolationReport(context);
        if (report is not null) MarkUnbounded();
        return report;
    }

    /// <summary>
    /// The register dump's spelling of this scalar, exactly as the verifier log prints it: a constant as a number
    /// (<c>42</c>, <c>-1</c>, <c>0x12345678</c>), otherwise <c>scalar(...)</c> with the bounds that say something,
    /// equal bounds merged (<c>smin=smin32=0</c>) and the tnum when it is not unknown.
    /// </summary>
    /// <param name="id">The scalar's link id (printed as <c>id=N</c> when non-zero; constants print no id).</param>
    /// <param name="delta">For a register linked by <c>rX += const</c>, the constant (printed as <c>id=N+3</c>).</param>
    /// <param name="precise">Whether the register is marked precise (printed as a leading <c>P</c>).</param>
    public readonly string Format(int id = 0, int? delta = null, bool precise = false)
    {
        var sb = new StringBuilder(96);
        FormatTo(sb, id, delta, precise);
        return sb.ToString();
    }

    /// <summary>Appends <see cref="Format"/>'s text to <paramref name="sb"/>.</summary>
    public readonly void FormatTo(StringBuilder sb, int id = 0, int? delta = null, bool precise = false) =>
        ScalarFormat.Append(sb, in this, id, delta, precise);

    /// <summary>The same as <see cref="Format"/> with no id.</summary>
    public override readonly string ToString() => Format();

    /// <summary>Field-wise equality.</summary>
    public readonly bool Equals(ScalarValue other) =>
        VarOff == other.VarOff && SMin == other.SMin && SMax == other.SMax && UMin == other.UMin && UMax == other.UMax
        && S32Min == other.S32Min && S32Max == other.S32Max && U32Min == other.U32Min && U32Max == other.U32Max;

    /// <inheritdoc />
    public override readonly bool Equals(object? obj) => obj is ScalarValue other && Equals(other);

    /// <inheritdoc />
    public override readonly int GetHashCode() =>
        HashCode.Combine(VarOff, SMin, SMax, UMin, UMax, HashCode.Combine(S32Min, S32Max, U32Min, U32Max));

    /// <summary>Field-wise equality.</summary>
    public static bool operator ==(ScalarValue left, ScalarValue right) => left.Equals(right);

    /// <summary>Field-wise inequality.</summary>
    public static bool operator !=(ScalarValue left, ScalarValue right) => !left.Equals(right);
}
