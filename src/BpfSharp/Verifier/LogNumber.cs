using System.Globalization;

namespace BpfSharp.Verifier;

/// <summary>
/// How the verifier log spells numbers: small ones in decimal, the rest in hex with a <c>0x</c> prefix
/// (the kernel's printf prints <c>0x0</c> for <c>%#llx</c> of zero, unlike the C library's).
/// </summary>
public static class LogNumber
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
}
