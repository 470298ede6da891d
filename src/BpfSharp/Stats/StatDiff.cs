using System.Globalization;

namespace BpfSharp.Stats;

/// <summary>
/// The third cell of each stat in a comparison: veristat's DIFF for <c>-C</c> and the agreement check of the backend
/// comparison (<c>--backend both</c>).
/// </summary>
public static class StatDiff
{
    /// <summary>Both sides have the same text (verdict, type) or, in the backend comparison, the same value.</summary>
    public const string Match = "MATCH";

    /// <summary>The sides differ.</summary>
    public const string Mismatch = "MISMATCH";

    /// <summary>Backend comparison: one side could not verify the program, so there is nothing to compare.</summary>
    public const string Unsupported = "UNSUPPORTED";

    /// <summary>Backend comparison: one side never reached its verifier (see <see cref="Verdict.NotVerified"/>).</summary>
    public const string NotVerified = "NOT_VERIFIED";

    /// <summary>
    /// veristat's difference of two numbers: <c>+N (+P.PP%)</c> or <c>-N (-P.PP%)</c>, where N = compared - baseline
    /// and P = N * 100 / baseline; with a zero baseline P is 0 when both are 0 and ±100 otherwise. Formatted as C's
    /// <c>%+ld (%+.2lf%%)</c>, including its rounding of exact halves to even. A difference with a fraction (only
    /// <c>mem_peak</c> in MiB can have one) shows up to two decimals.
    /// </summary>
    public static string FormatNumbers(double baseline, double compared)
    {
        double diff = compared - baseline;
        string diffText = StatValue.FormatNumber(Math.Abs(diff));
        return $"{(diff < 0 ? "-" : "+")}{diffText} ({FormatPercent(StatNumbers.Percent(baseline, compared))}%)";
    }

    /// <summary>
    /// The DIFF cell of <c>veristat -C</c> for a non-key stat: <c>N/A</c> when the program is on one side only (or a
    /// number is missing); the signed difference for numbers; MATCH or MISMATCH of the printed text for the verdict
    /// and the types.
    /// </summary>
    public static string Compare(StatJoinRow row, StatField field)
    {
        RejectKey(field);
        if (row.A is null || row.B is null) return StatValue.NotAvailable;
        return Difference(row.A.GetValue(field), row.B.GetValue(field));
    }

    /// <summary>
    /// The check cell of the backend comparison (A = kernel, B = BpfSharp) for a non-key stat: <c>N/A</c> when one
    /// backend has no row (or a number is missing); <see cref="Unsupported"/> or <see cref="NotVerified"/> when a
    /// backend's verdict says so, rather than a mismatch; for measurements (duration, memory), which differ between
    /// any two runs, the signed difference; otherwise MATCH or MISMATCH.
    /// </summary>
    public static string Backends(StatJoinRow row, StatField field)
    {
        RejectKey(field);
        if (row.A is null || row.B is null) return StatValue.NotAvailable;
        if (HasVerdict(row, Verdict.Unsupported)) return Unsupported;
        if (HasVerdict(row, Verdict.NotVerified)) return NotVerified;
        var info = StatFields.Get(field);
        StatValue a = row.A.GetValue(field), b = row.B.GetValue(field);
        if (info.IsMeasurement) return Difference(a, b);
        if (info.Kind == StatKind.Number && (a.IsMissing || b.IsMissing)) return StatValue.NotAvailable;
        return a.ToString() == b.ToString() ? Match : Mismatch;
    }

    private static string Difference(StatValue a, StatValue b)
    {
        if (a.Kind != StatKind.Number) return a.ToString() == b.ToString() ? Match : Mismatch;
        return a.Number is { } x && b.Number is { } y ? FormatNumbers(x, y) : StatValue.NotAvailable;
    }

    private static bool HasVerdict(StatJoinRow row, Verdict verdict) =>
        row.A!.Result.Verdict == verdict || row.B!.Result.Verdict == verdict;

    private static void RejectKey(StatField field)
    {
        if (StatFields.Get(field).IsKey) throw new ArgumentException("File and program names are the join key and have no difference.", nameof(field));
    }

    // C's "%+.2f": always a sign (also "-0.00"), correctly rounded, exact halves to even.
    private static string FormatPercent(double percent)
    {
        string sign = double.IsNegative(percent) ? "-" : "+";
        double magnitude = Math.Abs(percent);
        double hundredths = magnitude * 100;
        // Only multiples of 1/8 can sit exactly halfway between two hundredths; .NET would round them away from zero.
        if (magnitude * 8 == Math.Floor(magnitude * 8) && hundredths - Math.Floor(hundredths) == 0.5 && hundredths < 1e15)
        {
            double even = Math.Floor(hundredths) % 2 == 0 ? Math.Floor(hundredths) : Math.Floor(hundredths) + 1;
            magnitude = even / 100;
        }
        return sign + magnitude.ToString("F2", CultureInfo.InvariantCulture);
    }
}
