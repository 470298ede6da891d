namespace BpfSharp.Stats;

/// <summary>
/// The numbers veristat's filters and sorts compare: counts as they are, the verdict's rank, program and attach types
/// as their enum values; a stat the verifier did not report as veristat's placeholder (0, or -1 for mem_peak); and in
/// a comparison, a side that is absent as the lowest number.
/// </summary>
internal static class StatNumbers
{
    internal static double Single(StatRow row, StatField field)
    {
        var info = StatFields.Get(field);
        var value = row.GetValue(field);
        double? number = value.Kind == StatKind.Text
            ? value.Text is { } text ? info.TextToNumber?.Invoke(text) : null
            : value.Number;
        return number ?? info.MissingNumber;
    }

    internal static double Joined(StatJoinRow row, StatField field, StatVariant variant)
    {
        if (variant == StatVariant.A) return row.A is null ? double.MinValue : Single(row.A, field);
        if (variant == StatVariant.B) return row.B is null ? double.MinValue : Single(row.B, field);
        if (row.A is null || row.B is null) return double.MinValue;
        double a = Single(row.A, field), b = Single(row.B, field);
        if (variant == StatVariant.Diff) return field == StatField.Verdict ? (a == b ? 1 : 0) : b - a;
        return Percent(a, b);
    }

    /// <summary>(b - a) * 100 / a; for a zero base, 0 when b is 0 too and ±100 otherwise (veristat's choice).</summary>
    internal static double Percent(double a, double b) =>
        a == 0 ? (b == a ? 0 : b < a ? -100 : 100) : (b - a) * 100 / a;
}
