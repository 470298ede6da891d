namespace BpfSharp.Stats;

/// <summary>
/// All <c>-f</c> filters of a command, combined as veristat combines them.
/// </summary>
/// <remarks>
/// <para>Name filters and stat filters are two independent gates; a row is shown when it passes both.</para>
/// <para>Name gate: a row is rejected when any deny name filter matches it: its any-glob matches the file or the
/// program, its file glob matches the file, or its program glob matches the program (with <c>!FILE/PROG</c>, either
/// side matching rejects, as in veristat). Otherwise, when there are allow name filters, at least one must match:
/// an any-glob matching the file or the program, or a <c>FILE/PROG</c> whose non-empty sides both match.</para>
/// <para>Stat gate: a row is rejected when any deny stat filter holds; otherwise, when there are allow stat filters,
/// at least one must hold. So several allow filters of one kind are alternatives (OR), and deny filters always win.</para>
/// <para>Files are matched by base name, as veristat records them. A stat the verifier did not report compares as
/// veristat's placeholder (0, or -1 for mem_peak); in a comparison, a side that is absent compares lower than any number.</para>
/// </remarks>
public sealed class StatFilterSet
{
    private readonly List<StatFilter> allow = [];
    private readonly List<StatFilter> deny = [];

    /// <summary>Allow filters, in the order given.</summary>
    public IReadOnlyList<StatFilter> Allow => allow;

    /// <summary>Deny (<c>!</c>) filters, in the order given.</summary>
    public IReadOnlyList<StatFilter> Deny => deny;

    /// <summary>True when no filter was given: everything passes.</summary>
    public bool IsEmpty => allow.Count == 0 && deny.Count == 0;

    /// <summary>Parses the <c>-f</c> arguments of a command line.</summary>
    /// <exception cref="StatsUsageException">An argument cannot be parsed, or a filter file cannot be read.</exception>
    public static StatFilterSet Parse(IEnumerable<string> arguments)
    {
        var set = new StatFilterSet();
        foreach (var argument in arguments) set.Add(argument);
        return set;
    }

    /// <summary>
    /// Adds one <c>-f</c> argument: <c>@PATH</c> reads filters from a file (see <see cref="AddLines"/>), <c>!EXPR</c>
    /// adds a deny filter, anything else an allow filter.
    /// </summary>
    /// <exception cref="StatsUsageException">The expression cannot be parsed, or the file cannot be read.</exception>
    public void Add(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        if (argument.StartsWith('@')) AddFile(argument[1..]);
        else AddExpression(argument);
    }

    /// <summary>Reads filters from the file at <paramref name="path"/>, one per line (see <see cref="AddLines"/>).</summary>
    /// <exception cref="StatsUsageException">The file cannot be read, or a line cannot be parsed.</exception>
    public void AddFile(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new StatsUsageException($"Failed to open filters in '{path}': {e.Message}", "@" + path);
        }
        AddLines(lines);
    }

    /// <summary>
    /// Adds the filters of a filter file's lines: surrounding white space is ignored, empty lines and lines starting
    /// with <c>#</c> are skipped, <c>!EXPR</c> is a deny filter. <c>@</c> has no meaning inside a file.
    /// </summary>
    /// <exception cref="StatsUsageException">A line cannot be parsed.</exception>
    public void AddLines(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            string text = line.Trim();
            if (text.Length == 0 || text[0] == '#') continue;
            AddExpression(text);
        }
    }

    /// <summary>
    /// Whether a file can hold a program that passes the name filters, before its programs are known; a false answer
    /// lets the caller skip the file.
    /// </summary>
    public bool MatchesFile(string fileName) => NamePasses(StatRow.BaseName(fileName), null);

    /// <summary>Whether a program passes the name filters.</summary>
    public bool MatchesName(string fileName, string programName) => NamePasses(StatRow.BaseName(fileName), programName);

    /// <summary>Whether a row passes the stat filters (ignoring name filters).</summary>
    public bool MatchesStats(StatRow row) => StatsPass(f => StatNumbers.Single(row, f.Field!.Value));

    /// <summary>Whether a row passes both the name and the stat filters.</summary>
    public bool Matches(StatRow row) => MatchesName(row.FileName, row.ProgramName) && MatchesStats(row);

    /// <summary>
    /// Whether a compared row passes both gates; stat filters use the value their variant selects (B by default).
    /// </summary>
    public bool Matches(StatJoinRow row) =>
        NamePasses(row.FileName, row.ProgramName) && StatsPass(f => StatNumbers.Joined(row, f.Field!.Value, f.Variant));

    private void AddExpression(string text)
    {
        bool isDeny = text.StartsWith('!');
        var filter = StatFilter.Parse(isDeny ? text[1..] : text, isDeny);
        (isDeny ? deny : allow).Add(filter);
    }

    private bool NamePasses(string file, string? program)
    {
        foreach (var f in deny)
        {
            if (f.Kind != StatFilterKind.Name) continue;
            if (f.AnyGlob is { } any && (Glob.Matches(file, any) || (program is not null && Glob.Matches(program, any)))) return false;
            if (f.FileGlob is { } fileGlob && Glob.Matches(file, fileGlob)) return false;
            if (f.ProgramGlob is { } programGlob && program is not null && Glob.Matches(program, programGlob)) return false;
        }

        bool anyAllow = false;
        foreach (var f in allow)
        {
            if (f.Kind != StatFilterKind.Name) continue;
            anyAllow = true;
            // An unknown program (null) may still match, so the file is kept until its programs are known.
            bool passes = f.AnyGlob is { } any
                ? Glob.Matches(file, any) || program is null || Glob.Matches(program, any)
                : (f.FileGlob is null || Glob.Matches(file, f.FileGlob))
                  && (f.ProgramGlob is null || program is null || Glob.Matches(program, f.ProgramGlob));
            if (passes) return true;
        }
        return !anyAllow;
    }

    private bool StatsPass(Func<StatFilter, double> valueOf)
    {
        if (deny.Any(f => f.Kind == StatFilterKind.Stat && f.Test(valueOf(f)))) return false;
        var allowStats = allow.Where(f => f.Kind == StatFilterKind.Stat).ToList();
        return allowStats.Count == 0 || allowStats.Any(f => f.Test(valueOf(f)));
    }
}
