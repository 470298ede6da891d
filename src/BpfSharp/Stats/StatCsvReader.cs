using System.Globalization;

namespace BpfSharp.Stats;

/// <summary>
/// Reads veristat's CSV (and BpfSharp's, which is the same format) back into rows: any subset of stat columns in any
/// order, named by canonical name or alias; unknown columns skipped.
/// </summary>
/// <remarks>
/// Each row needs a <c>file_name</c> and a <c>prog_name</c>. Verdicts are <c>success</c>, <c>failure</c>,
/// <c>not_verified</c> or <c>unsupported</c>; counts are integers (surrounding spaces allowed); <c>mem_peak</c> is MiB and
/// -1 means unmeasured; <c>N/A</c> or an empty cell is a missing value. Rows read have no
/// <see cref="StatRow.Backend"/>; their <see cref="StatRow.Result"/> carries the values read (the verdict is
/// <see cref="Verdict.Failure"/>, and other absent stats zero, as placeholders when the CSV has no column for them —
/// <see cref="StatRow.AvailableFields"/> says which are real).
/// </remarks>
public static class StatCsvReader
{
    private const long BytesPerMiB = 1024 * 1024;

    /// <summary>Reads the CSV file at <paramref name="path"/>.</summary>
    /// <exception cref="BpfFormatException">The CSV is malformed; the message names the file and the line.</exception>
    public static StatCsvData ReadFile(string path)
    {
        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

    /// <summary>Reads CSV text; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="BpfFormatException">The CSV is malformed; the message names the source and the line.</exception>
    public static StatCsvData Read(TextReader reader, string? source = null)
    {
        string? header = ReadLine(reader);
        if (header is null) throw new BpfFormatException("no header line", source);
        var names = header.Split(',');
        var columns = new StatField?[names.Length];
        var ignored = new List<string>();
        for (int i = 0; i < names.Length; i++)
        {
            if (StatFields.TryParse(names[i].Trim(), out var field)) columns[i] = field;
            else ignored.Add(names[i]);
        }
        var fields = columns.OfType<StatField>().Distinct().ToArray();
        if (!fields.Contains(StatField.FileName) || !fields.Contains(StatField.ProgramName))
        {
            throw new BpfFormatException("line 1: the header needs file_name and prog_name columns", source);
        }

        var available = new HashSet<StatField>(fields);
        var rows = new List<StatRow>();
        int lineNumber = 1;
        for (string? line = ReadLine(reader); line is not null; line = ReadLine(reader))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var cells = line.Split(',');
            if (cells.Length != names.Length)
            {
                throw new BpfFormatException($"line {lineNumber}: {cells.Length} values for {names.Length} columns", source);
            }
            var values = new Dictionary<StatField, string>();
            for (int i = 0; i < cells.Length; i++)
            {
                if (columns[i] is { } field) values[field] = cells[i];
            }
            rows.Add(ToRow(values, available, lineNumber, source));
        }
        return new StatCsvData(fields, rows, ignored);
    }

    private static StatRow ToRow(Dictionary<StatField, string> values, IReadOnlySet<StatField> available, int line, string? source)
    {
        long? Number(StatField field)
        {
            if (!values.TryGetValue(field, out var text) || IsMissing(text)) return null;
            if (long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number)) return number;
            throw Error($"'{text}' is not an integer ({StatFields.Get(field).Name})");
        }

        string? Text(StatField field) => values.TryGetValue(field, out var text) && !IsMissing(text) ? text : null;

        BpfFormatException Error(string reason) => new($"line {line}: {reason}", source);

        Verdict verdict = Verdict.Failure;
        if (Text(StatField.Verdict) is { } verdictText && !VerdictNames.TryParse(verdictText, out verdict))
        {
            throw Error($"unrecognized verdict '{verdictText}'");
        }
        double? memoryPeakMiB = null;
        if (Text(StatField.MemoryPeak) is { } memoryText)
        {
            memoryPeakMiB = double.TryParse(memoryText.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double mib)
                ? mib : throw Error($"'{memoryText}' is not a number (mem_peak)");
        }
        if (values[StatField.FileName].Length == 0 || values[StatField.ProgramName].Length == 0)
        {
            throw Error("empty file_name or prog_name");
        }
        long? stack = Number(StatField.StackDepth);
        long? size = Number(StatField.ProgramSize);
        if (size is < int.MinValue or > int.MaxValue) throw Error($"prog_size {size} is out of range");
        if (stack is < int.MinValue or > int.MaxValue) throw Error($"stack_depth {stack} is out of range");

        var result = new VerificationResult
        {
            Verdict = verdict,
            DurationMicroseconds = Number(StatField.Duration),
            TotalInstructions = Number(StatField.TotalInstructions),
            TotalStates = Number(StatField.TotalStates),
            PeakStates = Number(StatField.PeakStates),
            MaxStatesPerInstruction = Number(StatField.MaxStatesPerInstruction),
            MarkRead = Number(StatField.MarkRead),
            // veristat keeps only the sum; one entry preserves it.
            StackDepths = stack is null ? null : [(int)stack.Value],
            ProgramSize = (int)(size ?? 0),
            MemoryPeakBytes = memoryPeakMiB is null or < 0 ? null : (long)(memoryPeakMiB.Value * BytesPerMiB),
        };
        return new StatRow(values[StatField.FileName], values[StatField.ProgramName], result)
        {
            ProgramType = Text(StatField.ProgramType),
            AttachType = Text(StatField.AttachType),
            JitedSize = Number(StatField.JitedSize),
            AvailableFields = available,
        };
    }

    private static bool IsMissing(string text) => text.Length == 0 || text == StatValue.NotAvailable;

    private static string? ReadLine(TextReader reader) => reader.ReadLine()?.TrimEnd('\r');
}
