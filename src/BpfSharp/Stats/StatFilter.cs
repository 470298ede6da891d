using System.Globalization;
using BpfSharp.Loader;

namespace BpfSharp.Stats;

/// <summary>
/// One <c>-f</c> expression, in veristat's syntax: either a stat comparison <c>STAT OP VALUE</c>
/// (<c>insns&gt;1000</c>, <c>verdict=failure</c>, <c>|insns_diff|&gt;=100</c>) or a name glob (<c>xdp*</c>,
/// <c>file.o/prog*</c>, <c>/prog*</c>, <c>file*/</c>). See <see cref="StatFilterSet"/> for how filters combine.
/// </summary>
/// <remarks>
/// <para>An expression containing an operator (<c>==</c>, <c>!=</c>, <c>&lt;&gt;</c>, <c>&lt;=</c>, <c>&lt;</c>,
/// <c>&gt;=</c>, <c>&gt;</c>, <c>=</c>, looked for in that order) is a stat filter, and what precedes the operator
/// must be a stat name; so a glob cannot contain those characters. The stat may carry a comparison variant suffix
/// and <c>|...|</c> for its absolute value. The value is an integer or one of veristat's words, case-insensitive:
/// <c>true t success succ s match m</c> (1) and <c>false f failure fail mismatch mis</c> (0).</para>
/// <para>BpfSharp additions: <c>not_verified</c> (2) and <c>unsupported</c> (3) for the verdict, and program / attach
/// type names (<c>prog_type=xdp</c>) where veristat takes only the enum number. BpfSharp takes the absolute value
/// only when the stat is written <c>|stat|</c>: veristat parses the bars but then marks every stat filter absolute, so
/// there <c>insns_diff&lt;0</c> never holds; that looks unintended and is not copied.</para>
/// <para>A glob without <c>/</c> matches the file base name or the program name; <c>FILE/PROG</c> splits at the first
/// <c>/</c>, and an empty side is not tested. <c>*</c> is the only wildcard.</para>
/// </remarks>
public sealed class StatFilter
{
    // Looked for in this order, so that "<=" is not read as "<" and "=" comes last.
    private static readonly (string Token, StatOperator Operator)[] Operators =
    [
        ("==", StatOperator.Equal), ("!=", StatOperator.NotEqual), ("<>", StatOperator.NotEqual),
        ("<=", StatOperator.LessOrEqual), ("<", StatOperator.Less), (">=", StatOperator.GreaterOrEqual),
        (">", StatOperator.Greater), ("=", StatOperator.Equal),
    ];

    // Index = StatOperator. Comparisons allow for rounding, as veristat's comparison-mode filters do.
    private static readonly Func<double, double, bool>[] Tests =
    [
        (v, x) => v > x - Epsilon && v < x + Epsilon,
        (v, x) => v < x - Epsilon || v > x + Epsilon,
        (v, x) => v < x - Epsilon,
        (v, x) => v <= x + Epsilon,
        (v, x) => v > x + Epsilon,
        (v, x) => v >= x - Epsilon,
    ];

    private const double Epsilon = 1e-9;

    private static readonly (string Word, long Value)[] Words =
    [
        ("true", 1), ("t", 1), ("success", 1), ("succ", 1), ("s", 1), ("match", 1), ("m", 1),
        ("false", 0), ("f", 0), ("failure", 0), ("fail", 0), ("mismatch", 0), ("mis", 0),
        ("not_verified", 2), ("unsupported", 3),
    ];

    private StatFilter(string expression, bool isDeny)
    {
        Expression = expression;
        IsDeny = isDeny;
    }

    /// <summary>The expression, without the <c>!</c> of a deny filter.</summary>
    public string Expression { get; }

    /// <summary>A deny (<c>!expr</c>) filter rather than an allow filter.</summary>
    public bool IsDeny { get; }

    /// <summary>Name glob or stat comparison.</summary>
    public StatFilterKind Kind { get; private init; }

    /// <summary>For a name filter without <c>/</c>: the glob tested on the file and on the program name.</summary>
    public string? AnyGlob { get; private init; }

    /// <summary>For <c>FILE/PROG</c>: the file glob, or null when empty.</summary>
    public string? FileGlob { get; private init; }

    /// <summary>For <c>FILE/PROG</c>: the program glob, or null when empty.</summary>
    public string? ProgramGlob { get; private init; }

    /// <summary>For a stat filter: the stat.</summary>
    public StatField? Field { get; private init; }

    /// <summary>For a stat filter: which value of a compared row (<c>_a</c>, <c>_b</c>, <c>_diff</c>, <c>_pct</c>).</summary>
    public StatVariant Variant { get; private init; }

    /// <summary>For a stat filter: compare the absolute value (<c>|stat|</c>).</summary>
    public bool Absolute { get; private init; }

    /// <summary>For a stat filter: the comparison.</summary>
    public StatOperator Operator { get; private init; }

    /// <summary>For a stat filter: the integer compared with.</summary>
    public long Value { get; private init; }

    /// <summary>Parses one expression (without the leading <c>!</c> of a deny filter: pass <paramref name="deny"/>).</summary>
    /// <exception cref="StatsUsageException">An unknown stat name, a name column compared, or a bad value.</exception>
    public static StatFilter Parse(string expression, bool deny = false)
    {
        ArgumentNullException.ThrowIfNull(expression);
        foreach (var (token, op) in Operators)
        {
            int at = expression.IndexOf(token, StringComparison.Ordinal);
            if (at < 0) continue;
            if (!StatFields.TryParseStat(expression[..at], out var field, out var variant, out bool absolute))
            {
                throw new StatsUsageException($"Unrecognized stat name in '{expression}'", expression);
            }
            if (StatFields.Get(field).IsKey)
            {
                throw new StatsUsageException($"Non-integer stat is specified in '{expression}'", expression);
            }
            long value = ParseValue(expression[(at + token.Length)..], field)
                ?? throw new StatsUsageException($"Invalid integer value in '{expression}'", expression);
            return new StatFilter(expression, deny)
            {
                Kind = StatFilterKind.Stat, Field = field, Variant = variant, Absolute = absolute, Operator = op, Value = value,
            };
        }

        int slash = expression.IndexOf('/');
        if (slash < 0) return new StatFilter(expression, deny) { Kind = StatFilterKind.Name, AnyGlob = expression };
        string file = expression[..slash], program = expression[(slash + 1)..];
        return new StatFilter(expression, deny)
        {
            Kind = StatFilterKind.Name,
            FileGlob = file.Length > 0 ? file : null,
            ProgramGlob = program.Length > 0 ? program : null,
        };
    }

    /// <summary>The filter as written on the command line.</summary>
    public override string ToString() => IsDeny ? "!" + Expression : Expression;

    /// <summary>Whether a stat value (already extracted for <see cref="Field"/> and <see cref="Variant"/>) passes the comparison.</summary>
    internal bool Test(double value) => Tests[(int)Operator](Absolute ? Math.Abs(value) : value, Value);

    private static long? ParseValue(string text, StatField field)
    {
        foreach (var (word, value) in Words)
        {
            if (string.Equals(text, word, StringComparison.OrdinalIgnoreCase)) return value;
        }
        // strtol: leading white space and a sign, then digits to the end.
        if (long.TryParse(text.AsSpan().TrimStart(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number))
        {
            return number;
        }
        double? type = StatFields.Get(field).TextToNumber?.Invoke(text);
        return type is { } typeNumber ? (long)typeNumber : null;
    }
}
