namespace BpfSharp.Verifier;

/// <summary>
/// The kernel's bound bookkeeping on a <see cref="ScalarValue"/>: deriving bounds from the tnum and back,
/// deducing 32-bit from 64-bit bounds (and the reverse) and signed from unsigned (and the reverse), and the
/// width changes of zero extension, truncation and sign extension.
/// </summary>
internal static class ScalarBounds
{
    private const ulong High32 = 0xffff_ffff_0000_0000;

    public static void Sync(ref ScalarValue r)
    {
        UpdateFromTnum(ref r);
        // Each round can feed the next: 64->32, 32->64 and sign-crossing facts settle within three.
        Deduce(ref r);
        Deduce(ref r);
        Deduce(ref r);
        TightenTnum(ref r);
        UpdateFromTnum(ref r);
    }

    public static void UpdateFromTnum(ref ScalarValue r)
    {
        Update32FromTnum(ref r);
        Update64FromTnum(ref r);
    }

    // Also the whole bounds update of the kernel's 32-bit shifts.
    public static void Update32FromTnum(ref ScalarValue r)
    {
        uint v = (uint)r.VarOff.Value, m = (uint)r.VarOff.Mask;
        // The signed minimum has the sign bit set if it may be set, the other bits at their minimum.
        r.S32Min = Math.Max(r.S32Min, (int)(v | (m & 0x8000_0000)));
        r.S32Max = Math.Min(r.S32Max, (int)(v | (m & 0x7fff_ffff)));
        r.U32Min = Math.Max(r.U32Min, v);
        r.U32Max = Math.Min(r.U32Max, v | m);
    }

    private static void Update64FromTnum(ref ScalarValue r)
    {
        Tnum t = r.VarOff;
        r.SMin = Math.Max(r.SMin, (long)(t.Value | (t.Mask & 0x8000_0000_0000_0000)));
        r.SMax = Math.Min(r.SMax, (long)(t.Value | (t.Mask & 0x7fff_ffff_ffff_ffff)));
        r.UMin = Math.Max(r.UMin, t.Value);
        r.UMax = Math.Min(r.UMax, t.Max);
        CollapseSingleMember(ref r);
    }

    // When the unsigned range and the tnum share a single member, the value is that constant. The members
    // after umin are found with Tnum.Step; the three cases are: only umin itself, only the tnum's maximum,
    // or exactly one member strictly inside (umin, umax].
    private static void CollapseSingleMember(ref ScalarValue r)
    {
        Tnum t = r.VarOff;
        ulong next = t.Step(r.UMin);
        bool uminIsMember = t.Contains(r.UMin);
        if (uminIsMember)
        {
            if (next > r.UMax) r.SetConst(r.UMin);
        }
        else if (next == t.Max)
        {
            r.SetConst(t.Max);
        }
        else if (next <= r.UMax && t.Step(next) > r.UMax)
        {
            r.SetConst(next);
        }
    }

    public static void Deduce(ref ScalarValue r)
    {
        Deduce32(ref r);
        Deduce64(ref r);
        DeduceMixed(ref r);
    }

    // 32-bit bounds from the 64-bit ones, then signed <-> unsigned within 32 bits.
    private static void Deduce32(ref ScalarValue r)
    {
        // Where the high halves of a 64-bit range agree, its low halves form a range too.
        if (r.UMin >> 32 == r.UMax >> 32)
        {
            NarrowU32(ref r, (uint)r.UMin, (uint)r.UMax);
            if ((int)r.UMin <= (int)r.UMax) NarrowS32(ref r, (int)r.UMin, (int)r.UMax);
        }
        if (r.SMin >> 32 == r.SMax >> 32)
        {
            if ((uint)r.SMin <= (uint)r.SMax) NarrowU32(ref r, (uint)r.SMin, (uint)r.SMax);
            if ((int)r.SMin <= (int)r.SMax) NarrowS32(ref r, (int)r.SMin, (int)r.SMax);
        }
        // High halves that are two consecutive numbers while the low halves go from negative to
        // non-negative still give an s32 range crossing zero (e.g. s64 [-1, 1] -> s32 [-1, 1]).
        if ((uint)(r.UMin >> 32) + 1 == (uint)(r.UMax >> 32) && (int)r.UMin < 0 && (int)r.UMax >= 0)
            NarrowS32(ref r, (int)r.UMin, (int)r.UMax);
        if ((uint)(r.SMin >> 32) + 1 == (uint)(r.SMax >> 32) && (int)r.SMin < 0 && (int)r.SMax >= 0)
            NarrowS32(ref r, (int)r.SMin, (int)r.SMax);
        // A range on one side of the sign boundary is the same range signed and unsigned.
        if ((int)r.U32Min <= (int)r.U32Max) NarrowS32(ref r, (int)r.U32Min, (int)r.U32Max);
        if ((uint)r.S32Min <= (uint)r.S32Max)
        {
            NarrowU32(ref r, (uint)r.S32Min, (uint)r.S32Max);
        }
        else if (r.U32Max < (uint)r.S32Min)
        {
            // The s32 range wraps around zero but the u32 range meets only its non-negative part ...
            r.S32Min = (int)r.U32Min;
            r.U32Max = Math.Min(r.U32Max, (uint)r.S32Max);
        }
        else if ((uint)r.S32Max < r.U32Min)
        {
            // ... or only its negative part.
            r.S32Max = (int)r.U32Max;
            r.U32Min = Math.Max(r.U32Min, (uint)r.S32Min);
        }
    }

    private static void NarrowU32(ref ScalarValue r, uint min, uint max)
    {
        r.U32Min = Math.Max(r.U32Min, min);
        r.U32Max = Math.Min(r.U32Max, max);
    }

    private static void NarrowS32(ref ScalarValue r, int min, int max)
    {
        r.S32Min = Math.Max(r.S32Min, min);
        r.S32Max = Math.Min(r.S32Max, max);
    }

    // Signed <-> unsigned within 64 bits.
    private static void Deduce64(ref ScalarValue r)
    {
        if ((long)r.UMin <= (long)r.UMax)
        {
            r.SMin = Math.Max(r.SMin, (long)r.UMin);
            r.SMax = Math.Min(r.SMax, (long)r.UMax);
        }
        if ((ulong)r.SMin <= (ulong)r.SMax)
        {
            r.UMin = Math.Max(r.UMin, (ulong)r.SMin);
            r.UMax = Math.Min(r.UMax, (ulong)r.SMax);
        }
        else if (r.UMax < (ulong)r.SMin)
        {
            // The signed range wraps around zero but the unsigned range meets only its non-negative part.
            r.SMin = (long)r.UMin;
            r.UMax = Math.Min(r.UMax, (ulong)r.SMax);
        }
        else if ((ulong)r.SMax < r.UMin)
        {
            // ... or only its negative part.
            r.SMax = (long)r.UMax;
            r.UMin = Math.Max(r.UMin, (ulong)r.SMin);
        }
    }

    // 64-bit bounds from the 32-bit ones.
    private static void DeduceMixed(ref ScalarValue r)
    {
        // Put the u32 bounds into the low halves of the 64-bit bounds; the results stay well-formed.
        r.UMin = Math.Max(r.UMin, (r.UMin & High32) | r.U32Min);
        r.UMax = Math.Min(r.UMax, (r.UMax & High32) | r.U32Max);
        r.SMin = Math.Max(r.SMin, (long)(((ulong)r.SMin & High32) | r.U32Min));
        r.SMax = Math.Min(r.SMax, (long)(((ulong)r.SMax & High32) | r.U32Max));

        // A value within [S32_MIN, S32_MAX] whose low half is non-negative cannot have all-ones high bits,
        // so it is the zero-extended low half (typical after a sign-extending load).
        if (r.S32Min >= 0 && r.SMin >= int.MinValue && r.SMax <= int.MaxValue)
        {
            r.SMin = r.S32Min;
            r.SMax = r.S32Max;
            r.UMin = (ulong)r.S32Min;
            r.UMax = (ulong)r.S32Max;
            r.VarOff = r.VarOff.Intersect(Tnum.Range((ulong)r.SMin, (ulong)r.SMax));
        }
    }

    public static void TightenTnum(ref ScalarValue r)
    {
        Tnum var64 = r.VarOff.Intersect(Tnum.Range(r.UMin, r.UMax));
        Tnum var32 = var64.Subreg().Intersect(Tnum.Range(r.U32Min, r.U32Max));
        r.VarOff = var64.ClearSubreg().Or(var32);
    }

    public static void ZeroExtend32To64(ref ScalarValue r)
    {
        r.VarOff = r.VarOff.Subreg();
        Assign32Into64(ref r);
    }

    public static void Assign32Into64(ref ScalarValue r)
    {
        r.UMin = r.U32Min;
        r.UMax = r.U32Max;
        // The s32 bounds carry over only when both are non-negative; the tnum refines the rest later.
        if (r.S32Min >= 0 && r.S32Max >= 0)
        {
            r.SMin = r.S32Min;
            r.SMax = r.S32Max;
        }
        else
        {
            r.SMin = 0;
            r.SMax = uint.MaxValue;
        }
    }

    public static void Truncate(ref ScalarValue r, int size)
    {
        r.VarOff = r.VarOff.Cast(size);
        ulong mask = (1UL << (size * 8)) - 1;
        if ((r.UMin & ~mask) == (r.UMax & ~mask))
        {
            r.UMin &= mask;
            r.UMax &= mask;
        }
        else
        {
            r.UMin = 0;
            r.UMax = mask;
        }
        r.SMin = (long)r.UMin;
        r.SMax = (long)r.UMax;
        // Below 32 bits the old 32-bit bounds no longer describe the subregister.
        if (size < 4) r.MarkUnbounded32();
        Sync(ref r);
    }

    public static void SignExtend(ref ScalarValue r, int size)
    {
        if (r.VarOff.IsConst)
        {
            r.SetConst((ulong)SignExtendBits(r.VarOff.Value, size * 8));
            return;
        }
        int bits = size * 8;
        // The extension is a range only when smin and smax agree above the extended width and their
        // extended values have one sign.
        if ((ulong)r.SMax >> bits == (ulong)r.SMin >> bits)
        {
            long a = SignExtendBits((ulong)r.SMin, bits), b = SignExtendBits((ulong)r.SMax, bits);
            long lo = Math.Min(a, b), hi = Math.Max(a, b);
            if (lo >= 0 == hi >= 0)
            {
                r.SMin = lo;
                r.SMax = hi;
                r.S32Min = (int)lo;
                r.S32Max = (int)hi;
                r.UMin = (ulong)lo;
                r.UMax = (ulong)hi;
                r.U32Min = (uint)lo;
                r.U32Max = (uint)hi;
                r.VarOff = Tnum.Range((ulong)lo, (ulong)hi);
                return;
            }
        }
        // Otherwise: any value of the source width's signed range.
        long half = 1L << (bits - 1);
        r.SMin = -half;
        r.SMax = half - 1;
        r.S32Min = (int)-half;
        r.S32Max = (int)(half - 1);
        r.UMin = 0;
        r.UMax = ulong.MaxValue;
        r.U32Min = 0;
        r.U32Max = uint.MaxValue;
        r.VarOff = Tnum.Unknown;
    }

    public static void SignExtendSubreg(ref ScalarValue r, int size)
    {
        int bits = size * 8;
        if (r.VarOff.IsConst)
        {
            // A 64-bit constant keeps a 64-bit sign-extended tnum; the zero extension that follows trims it.
            long c = SignExtendBits(r.VarOff.Value, bits);
            r.VarOff = Tnum.Const((ulong)c);
            r.S32Min = r.S32Max = (int)c;
            r.U32Min = r.U32Max = (uint)c;
            return;
        }
        if ((uint)r.S32Max >> bits == (uint)r.S32Min >> bits)
        {
            int a = (int)SignExtendBits((uint)r.S32Min, bits), b = (int)SignExtendBits((uint)r.S32Max, bits);
            int lo = Math.Min(a, b), hi = Math.Max(a, b);
            if (lo >= 0 == hi >= 0)
            {
                r.S32Min = lo;
                r.S32Max = hi;
                r.U32Min = (uint)lo;
                r.U32Max = (uint)hi;
                r.VarOff = Tnum.Range((ulong)(long)lo, (ulong)(long)hi).Subreg();
                return;
            }
        }
        int half = 1 << (bits - 1);
        r.S32Min = -half;
        r.S32Max = half - 1;
        r.U32Min = 0;
        r.U32Max = uint.MaxValue;
        r.VarOff = Tnum.Unknown.Subreg();
    }

    private static long SignExtendBits(ulong value, int bits) => (long)(value << (64 - bits)) >> (64 - bits);
}
