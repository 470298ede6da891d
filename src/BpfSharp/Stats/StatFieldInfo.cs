namespace BpfSharp.Stats;

/// <summary>
/// What veristat knows about one statistic: its names (the first is the CSV column, the others aliases accepted by
/// <c>-e</c>, <c>-s</c> and <c>-f</c>), its table title, its kind and its default sort direction.
/// </summary>
public sealed class StatFieldInfo
{
    internal StatFieldInfo(
        StatField field, string header, StatKind kind, string[] names, Func<StatRow, StatValue> read,
        bool ascending = false, bool defaultTable = false, bool measurement = false, double missingNumber = 0,
        Func<string, double?>? textToNumber = null, bool defaultCsv = true)
    {
        InDefaultCsv = defaultCsv;
        Field = field;
        Header = header;
        Kind = kind;
        Names = names;
        Read = read;
        AscendingByDefault = ascending;
        InDefaultTable = defaultTable;
        IsMeasurement = measurement;
        MissingNumber = missingNumber;
        TextToNumber = textToNumber;
    }

    /// <summary>The statistic.</summary>
    public StatField Field { get; }

    /// <summary>The canonical name: the CSV column (<c>total_insns</c>), and the JSON key.</summary>
    public string Name => Names[0];

    /// <summary>Every accepted name, canonical first (<c>total_insns</c>, <c>insns</c>). Case-sensitive, as in veristat.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>veristat's table title (<c>Insns</c>, <c>Duration (us)</c>, <c>Peak memory (MiB)</c>).</summary>
    public string Header { get; }

    /// <summary>Text, number or verdict.</summary>
    public StatKind Kind { get; }

    /// <summary>
    /// Sort direction when <c>-s</c> names the stat without a direction: ascending for file, program and verdict
    /// (failure before success), descending for everything else (biggest first).
    /// </summary>
    public bool AscendingByDefault { get; }

    /// <summary>Shown by the table output when no <c>-e</c> is given (veristat's default table columns).</summary>
    public bool InDefaultTable { get; }

    /// <summary>Written by the CSV output when no <c>-e</c> is given: every stat, as veristat does.</summary>
    public bool InDefaultCsv { get; }

    /// <summary>
    /// A measurement that differs from run to run (duration, memory) rather than a result of the analysis; the backend
    /// comparison shows its difference instead of MATCH/MISMATCH.
    /// </summary>
    public bool IsMeasurement { get; }

    /// <summary>File and program name: the key rows are joined on, shown once in comparisons.</summary>
    public bool IsKey => Field is StatField.FileName or StatField.ProgramName;

    /// <summary>Left for text and verdicts, right for numbers.</summary>
    public StatAlignment Alignment => Kind == StatKind.Number ? StatAlignment.Right : StatAlignment.Left;

    // What veristat holds when the verifier reported nothing: zeroed stats, -1 for an unmeasured mem_peak.
    internal double MissingNumber { get; }

    internal Func<StatRow, StatValue> Read { get; }

    // prog_type/attach_type are enum values inside veristat, so its filters and sorts compare numbers.
    internal Func<string, double?>? TextToNumber { get; }
}
