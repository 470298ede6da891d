using System.Globalization;

namespace BpfSharp.Stats;

/// <summary>
/// One field of one row as a comparable value: a number, a text or a verdict, or missing when the verifier did not
/// report it (or the CSV it was read from had no such column).
/// </summary>
public readonly record struct StatValue : IComparable<StatValue>
{
    private StatValue(StatKind kind, double? number, string? text, Verdict? verdict)
    {
        Kind = kind;
        Number = number;
        Text = text;
        Verdict = verdict;
    }

    /// <summary>The kind of the field the value came from.</summary>
    public StatKind Kind { get; }

    /// <summary>The number for <see cref="StatKind.Number"/>; the verdict's rank (<see cref="VerdictNames.Rank"/>) for a verdict.</summary>
    public double? Number { get; }

    /// <summary>The text for <see cref="StatKind.Text"/>; the verdict's text for a verdict.</summary>
    public string? Text { get; }

    /// <summary>The verdict, for <see cref="StatKind.Verdict"/>.</summary>
    public Verdict? Verdict { get; }

    /// <summary>True when there is no value.</summary>
    public bool IsMissing => Number is null && Text is null;

    /// <summary>A missing value of <paramref name="kind"/>.</summary>
    public static StatValue Missing(StatKind kind) => new(kind, null, null, null);

    /// <summary>A number, or missing when <paramref name="number"/> is null.</summary>
    public static StatValue FromNumber(double? number) => new(StatKind.Number, number, null, null);

    /// <summary>A text, or missing when <paramref name="text"/> is null.</summary>
    public static StatValue FromText(string? text) => new(StatKind.Text, null, text, null);

    /// <summary>A verdict.</summary>
    public static StatValue FromVerdict(Verdict verdict) =>
        new(StatKind.Verdict, VerdictNames.Rank(verdict), VerdictNames.ToText(verdict), verdict);

    /// <summary>
    /// Orders missing values first, then numbers (and verdicts, by rank) numerically and texts ordinally (as strcmp).
    /// </summary>
    public int CompareTo(StatValue other)
    {
        if (IsMissing) return other.IsMissing ? 0 : -1;
        if (other.IsMissing) return 1;
        if (Number is { } a && other.Number is { } b) return a.CompareTo(b);
        return string.CompareOrdinal(Text, other.Text);
    }

    /// <summary>
    /// The value as shown in a table: the text, the verdict's text, an integer, or a number with up to two decimals
    /// (only <c>mem_peak</c> in MiB has a fraction); <c>N/A</c> when missing, as veristat prints for unknown values.
    /// </summary>
    public override string ToString()
    {
        if (Text is not null) return Text;
        if (Number is { } number) return FormatNumber(number);
        return NotAvailable;
    }

    /// <summary>What tables print for a missing value.</summary>
    public const string NotAvailable = "N/A";

    internal static string FormatNumber(double number) =>
        number == Math.Floor(number) && Math.Abs(number) < 1e18
            ? ((long)number).ToString(CultureInfo.InvariantCulture)
            : number.ToString("0.##", CultureInfo.InvariantCulture);
}
