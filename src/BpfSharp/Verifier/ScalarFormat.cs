using System.Globalization;
using System.Text;

namespace BpfSharp.Verifier;

/// <summary>
/// The verifier log's spelling of numbers and scalar register states (print_reg_state, print_scalar_ranges,
/// verbose_snum and verbose_unum): small numbers in decimal, the rest in hex with a <c>0x</c> prefix (the
/// kernel's printf prints <c>0x0</c> for <c>%#llx</c> of zero, unlike the C library's).
/// </summary>
public static class ScalarFormat
{
    /// <summary>Unsigned numbers up to this are printed in decimal (U16_MAX).</summary>
    public const ulong MaxUnsignedDecimal = ushort.MaxValue;

    /// <summary>Signed numbers in [<see cref="MinSignedDecimal"/>, <see cref="MaxSignedDecimal"/>] are printed in decimal.</summary>
    public const long MinSignedDecimal = short.MinValue, MaxSignedDecimal = short.MaxValue;

    /// <summary><c>%#llx</c>: <c>0x</c> and lowercase hex digits.</summary>
    public static string Hex(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>The kernel's verbose_unum: decimal up to 65535, hex above.</summary>
    public static string Unsigned(ulong value) =>
        value <= MaxUnsignedDecimal ? value.ToString(CultureInfo.InvariantCulture) : Hex(value);

    /// <summary>The kernel's verbose_snum: decimal within the s16 range, otherwise the 64-bit pattern in hex.</summary>
    public static string Signed(long value) =>
        value is >= MinSignedDecimal and <= MaxSignedDecimal ? value.ToString(CultureInfo.InvariantCulture) : Hex((ulong)value);

    // The bounds in the kernel's print order. Pairs two apart (smin/umin/smin32/umin32 and the maxima) may be
    // merged into one "a=b=value" when their printed values are equal.
    private static readonly string[] Names = ["smin", "smax", "umin", "umax", "smin32", "smax32", "umin32", "umax32"];

    internal static void Append(StringBuilder sb, in ScalarValue r, int id, int? delta, bool precise)
    {
        if (precise) sb.Append('P');
        if (r.VarOff.IsConst)
        {
            sb.Append(Signed((long)r.VarOff.Value));
            return;
        }
        sb.Append("scalar(");
        bool first = true;
        if (id != 0)
        {
            sb.Append("id=").Append(id.ToString(CultureInfo.InvariantCulture));
            first = false;
        }
        if (delta is int d) sb.Append(d >= 0 ? "+" : "").Append(d.ToString(CultureInfo.InvariantCulture));
        AppendRanges(sb, in r, ref first);
        if (!r.VarOff.IsUnknown)
        {
            if (!first) sb.Append(',');
            sb.Append("var_off=").Append(r.VarOff.ToString());
        }
        sb.Append(')');
    }

    private static void AppendRanges(StringBuilder sb, in ScalarValue r, ref bool first)
    {
        // Signed 32-bit bounds outside the decimal range print as their 32-bit pattern, not sign-extended,
        // so that e.g. smin=-2 and smin32=0xfffffffe are not merged.
        Span<ulong> values = stackalloc ulong[8];
        Span<bool> omit = stackalloc bool[8];
        values[0] = (ulong)r.SMin; omit[0] = r.SMin == long.MinValue;
        values[1] = (ulong)r.SMax; omit[1] = r.SMax == long.MaxValue;
        values[2] = r.UMin; omit[2] = r.UMin == 0;
        values[3] = r.UMax; omit[3] = r.UMax == ulong.MaxValue;
        values[4] = Signed32(r.S32Min); omit[4] = r.S32Min == int.MinValue;
        values[5] = Signed32(r.S32Max); omit[5] = r.S32Max == int.MaxValue;
        values[6] = r.U32Min; omit[6] = r.U32Min == 0;
        values[7] = r.U32Max; omit[7] = r.U32Max == uint.MaxValue;

        for (int i = 0; i < 8; i++)
        {
            if (omit[i]) continue;
            bool negative = IsSigned(i) && (long)values[i] < 0;
            if (!first) sb.Append(',');
            first = false;
            sb.Append(Names[i]).Append('=');
            for (int j = i + 2; j < 8; j += 2)
            {
                if (omit[j] || values[j] != values[i]) continue;
                if ((IsSigned(j) && (long)values[j] < 0) != negative) continue;
                omit[j] = true;
                sb.Append(Names[j]).Append('=');
            }
            sb.Append(IsSigned(i) ? Signed((long)values[i]) : Unsigned(values[i]));
        }
    }

    private static bool IsSigned(int index) => index is 0 or 1 or 4 or 5;

    private static ulong Signed32(int v) =>
        v is >= (int)MinSignedDecimal and <= (int)MaxSignedDecimal ? (ulong)(long)v : (uint)v;
}
