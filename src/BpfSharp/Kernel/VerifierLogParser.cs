using System.Globalization;
using System.Text.RegularExpressions;

namespace BpfSharp.Kernel;

/// <summary>
/// Reads the verifier's closing lines: "verification time N usec", "stack depth A+B", and
/// "processed N insns (limit M) max_states_per_insn X total_states T peak_states P mark_read R" (whose
/// key/value list is read generically, since kernels add and drop counters), plus the error message of a
/// rejected program: the last log line before those statistics.
/// </summary>
public static partial class VerifierLogParser
{
    [GeneratedRegex(@"processed (\d+) insns \(limit (\d+)\)(?<rest>.*)$", RegexOptions.Multiline)]
    private static partial Regex Processed();

    [GeneratedRegex(@"verification time (\d+) usec$", RegexOptions.Multiline)]
    private static partial Regex Time();

    [GeneratedRegex(@"^stack depth ([0-9+]+)$", RegexOptions.Multiline)]
    private static partial Regex Stack();

    [GeneratedRegex(@"(\w+) (\d+)")]
    private static partial Regex Pair();

    /// <summary>The statistics found in <paramref name="log"/>.</summary>
    public static VerifierStatistics Parse(string log)
    {
        long? processed = null, limit = null, time = null;
        var counters = new Dictionary<string, long>(StringComparer.Ordinal);
        var p = Processed().Matches(log).LastOrDefault();
        if (p is not null)
        {
            processed = Number(p.Groups[1].Value);
            limit = Number(p.Groups[2].Value);
            foreach (Match m in Pair().Matches(p.Groups["rest"].Value)) counters[m.Groups[1].Value] = Number(m.Groups[2].Value);
        }
        if (Time().Matches(log).LastOrDefault() is { } t) time = Number(t.Groups[1].Value);
        IReadOnlyList<int>? stack = Stack().Matches(log).LastOrDefault() is { } s
            ? s.Groups[1].Value.Split('+', StringSplitOptions.RemoveEmptyEntries).Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray()
            : null;
        long? Counter(string name) => counters.TryGetValue(name, out long v) ? v : null;
        return new VerifierStatistics(processed, limit, Counter("max_states_per_insn"), Counter("total_states"),
            Counter("peak_states"), Counter("mark_read"), time, stack);
    }

    /// <summary>
    /// The error message of a rejected program: the last non-empty line before the statistics (or the last line
    /// of the log when it has none), not counting the state dumps that follow "infinite loop detected"; null
    /// for an empty log.
    /// </summary>
    public static string? ErrorMessage(string log)
    {
        var lines = log.Split('\n');
        int end = lines.Length;
        for (int i = 0; i < lines.Length; i++)
        {
            // Some kernel messages have no newline, so a statistics line can follow on the same line.
            int cut = StatisticsStart(lines[i]);
            if (cut < 0) continue;
            lines[i] = lines[i][..cut];
            end = i + 1;
            break;
        }
        for (int i = end - 1; i >= 0; i--)
        {
            string line = lines[i].TrimEnd();
            // The infinite-loop error is followed by the two states it compared.
            if (line.Length > 0 && !line.StartsWith("cur state:", StringComparison.Ordinal) && !line.StartsWith("old state:", StringComparison.Ordinal))
                return line;
        }
        return null;
    }

    private static int StatisticsStart(string line)
    {
        if (line.StartsWith("stack depth ", StringComparison.Ordinal)) return 0;
        int best = -1;
        foreach (var match in new[] { Processed().Match(line), Time().Match(line) })
            if (match.Success && (best < 0 || match.Index < best)) best = match.Index;
        return best;
    }

    private static long Number(string text) => long.Parse(text, CultureInfo.InvariantCulture);
}
