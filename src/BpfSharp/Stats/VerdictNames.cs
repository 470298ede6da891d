namespace BpfSharp.Stats;

/// <summary>
/// Text of each <see cref="Verdict"/> in tables, CSV and JSON. <c>success</c> and <c>failure</c> are veristat's own
/// words; <c>not_verified</c> and <c>unsupported</c> are BpfSharp's, for results veristat has no word for (its CSV
/// reader rejects them, so a CSV holding them is readable by BpfSharp only). The reason is carried separately, in
/// <see cref="VerificationResult.Message"/>.
/// </summary>
public static class VerdictNames
{
    // Rank is the number a stat filter compares: veristat's failure 0 and success 1; ours follow.
    private static readonly (Verdict Verdict, string Text, long Rank)[] Table =
    [
        (Verdict.Failure, "failure", 0),
        (Verdict.Success, "success", 1),
        (Verdict.NotVerified, "not_verified", 2),
        (Verdict.Unsupported, "unsupported", 3),
    ];

    /// <summary>The text of <paramref name="verdict"/>: <c>success</c>, <c>failure</c>, <c>not_verified</c> or <c>unsupported</c>.</summary>
    public static string ToText(Verdict verdict) => Entry(verdict).Text;

    /// <summary>
    /// The number <c>-f 'verdict=...'</c> compares and sorting orders by: failure 0, success 1 (veristat's), not_verified 2,
    /// unsupported 3.
    /// </summary>
    public static long Rank(Verdict verdict) => Entry(verdict).Rank;

    /// <summary>Parses a verdict text (exact, lower case, as written by veristat and by BpfSharp).</summary>
    public static bool TryParse(string? text, out Verdict verdict)
    {
        foreach (var entry in Table)
        {
            if (entry.Text == text)
            {
                verdict = entry.Verdict;
                return true;
            }
        }
        verdict = default;
        return false;
    }

    private static (Verdict Verdict, string Text, long Rank) Entry(Verdict verdict)
    {
        foreach (var entry in Table)
        {
            if (entry.Verdict == verdict) return entry;
        }
        throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "Not a verdict.");
    }
}
