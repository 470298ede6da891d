namespace BpfSharp.Stats;

/// <summary>
/// One program's statistics: what one backend's verification of it produced, plus the names veristat shows beside
/// it. A row is what the table, CSV and JSON outputs print one line for.
/// </summary>
public sealed class StatRow
{
    private const double BytesPerMiB = 1024 * 1024;

    /// <summary>Creates a row.</summary>
    /// <param name="fileName">The object file's path as given on the command line.</param>
    /// <param name="programName">The program's name.</param>
    /// <param name="result">What the verification produced.</param>
    public StatRow(string fileName, string programName, VerificationResult result)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(programName);
        ArgumentNullException.ThrowIfNull(result);
        FileName = fileName;
        ProgramName = programName;
        Result = result;
    }

    /// <summary>The object file's path as given.</summary>
    public string FileName { get; }

    /// <summary>
    /// The file's base name: what the <c>file_name</c> column shows and what filters, sorting and comparison joins use,
    /// as veristat records only the base name.
    /// </summary>
    public string FileBaseName => BaseName(FileName);

    /// <summary>The program's name.</summary>
    public string ProgramName { get; }

    /// <summary>The kernel's program type name (<c>xdp</c>, <c>sched_cls</c>...), or null when unknown.</summary>
    public string? ProgramType { get; init; }

    /// <summary>The kernel's expected attach type name (<c>cgroup_inet_ingress</c>...), or null when none or unknown.</summary>
    public string? AttachType { get; init; }

    /// <summary><see cref="StatBackends.Kernel"/> or <see cref="StatBackends.BpfSharp"/>; null for a row read from CSV.</summary>
    public string? Backend { get; init; }

    /// <summary>What the verification produced.</summary>
    public VerificationResult Result { get; }

    /// <summary>
    /// Verification times in microseconds of every run when the program was verified repeatedly (<c>-n</c>); empty
    /// for a single run, whose time is <see cref="VerificationResult.DurationMicroseconds"/>.
    /// </summary>
    public IReadOnlyList<long> Durations { get; init; } = [];

    /// <summary>Bytes of JIT-compiled code (veristat's <c>prog_size_jited</c>), when the kernel reports it.</summary>
    public long? JitedSize { get; init; }

    /// <summary>
    /// The fields this row has values for, or null for all of them. A row read from a CSV knows only the CSV's
    /// columns; the others read as missing rather than as the placeholders its <see cref="Result"/> holds.
    /// </summary>
    public IReadOnlySet<StatField>? AvailableFields { get; init; }

    /// <summary>
    /// The verification time: the median of <see cref="Durations"/> (the mean of the two middle runs, rounded, for an
    /// even count), or <see cref="VerificationResult.DurationMicroseconds"/> for a single run.
    /// </summary>
    public long? Duration
    {
        get
        {
            if (Durations.Count == 0) return Result.DurationMicroseconds;
            var sorted = Durations.Order().ToArray();
            int middle = sorted.Length / 2;
            return sorted.Length % 2 == 1
                ? sorted[middle]
                : (long)Math.Round((sorted[middle - 1] + (double)sorted[middle]) / 2, MidpointRounding.AwayFromZero);
        }
    }

    /// <summary>The shortest run, or <see cref="Duration"/> for a single run.</summary>
    public long? DurationMin => Durations.Count == 0 ? Result.DurationMicroseconds : Durations.Min();

    /// <summary>The longest run, or <see cref="Duration"/> for a single run.</summary>
    public long? DurationMax => Durations.Count == 0 ? Result.DurationMicroseconds : Durations.Max();

    /// <summary>
    /// Peak memory in MiB at full precision. veristat truncates to whole MiB; tables print up to two decimals and
    /// the CSV the truncated whole number, so veristat can read it.
    /// </summary>
    public double? MemoryPeakMiB => Result.MemoryPeakBytes / BytesPerMiB;

    /// <summary>The value of <paramref name="field"/>, missing when the verifier did not report it.</summary>
    public StatValue GetValue(StatField field)
    {
        var info = StatFields.Get(field);
        return AvailableFields is null || AvailableFields.Contains(field) ? info.Read(this) : StatValue.Missing(info.Kind);
    }

    /// <summary>
    /// The value of <paramref name="field"/> as a table shows it: names and verdicts as text, integers, <c>mem_peak</c>
    /// with up to two decimals, <c>N/A</c> when missing.
    /// </summary>
    public string Format(StatField field) => GetValue(field).ToString();

    /// <inheritdoc/>
    public override string ToString() => $"{FileName}/{ProgramName}: {VerdictNames.ToText(Result.Verdict)}";

    internal static string BaseName(string path)
    {
        // Trailing separators are ignored, as basename(3) does.
        var trimmed = path.AsSpan().TrimEnd('/');
        int slash = trimmed.LastIndexOf('/');
        return trimmed.Length == 0 ? path : trimmed[(slash + 1)..].ToString();
    }
}
