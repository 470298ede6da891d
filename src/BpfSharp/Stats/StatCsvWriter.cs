using System.Globalization;

namespace BpfSharp.Stats;

/// <summary>
/// Writes rows as veristat's <c>-o csv</c> does, so that veristat can read BpfSharp's CSV and the other way round.
/// </summary>
/// <remarks>
/// A header line of the fields' canonical names (<c>file_name,prog_name,verdict,duration,...</c>), then one line per
/// row, comma-separated, no quoting (veristat's reader splits at every comma), <c>\n</c> line ends. Values: the file's
/// base name, the program name, the verdict's text, integers, program / attach type names or <c>N/A</c>; a count the
/// verifier did not report is written as veristat writes it, 0, and an unmeasured <c>mem_peak</c> as -1; <c>mem_peak</c>
/// is whole MiB, truncated, as veristat computes it; <c>duration</c> is the median of repeated runs. veristat's reader
/// accepts only <c>success</c> and <c>failure</c> verdicts, so rows with BpfSharp's <c>not_verified</c> /
/// <c>unsupported</c> are readable by BpfSharp only.
/// </remarks>
public static class StatCsvWriter
{
    /// <summary>Writes the header and one line per row.</summary>
    public static void WriteRows(TextWriter writer, IEnumerable<StatRow> rows, IReadOnlyList<StatField> fields)
    {
        WriteLine(writer, fields.Select(f => StatFields.Get(f).Name));
        foreach (var row in rows) WriteLine(writer, fields.Select(f => Value(row, f)));
    }

    /// <summary>
    /// Writes veristat's <c>-C -o csv</c>: key stats once, then per stat <c>NAME_base</c>, <c>NAME_comp</c> and
    /// <c>NAME_diff</c>, with the cells of <see cref="StatTables.ForComparison"/>.
    /// </summary>
    public static void WriteComparison(TextWriter writer, IEnumerable<StatJoinRow> rows, IReadOnlyList<StatField> fields) =>
        WriteJoined(writer, JoinLayout.Comparison, rows, fields);

    /// <summary>
    /// Writes the backend comparison: key stats once, then per stat <c>NAME_kernel</c>, <c>NAME_bpfsharp</c> and
    /// <c>NAME_diff</c>, with the cells of <see cref="StatTables.ForBackends"/>.
    /// </summary>
    public static void WriteBackends(TextWriter writer, IEnumerable<StatJoinRow> rows, IReadOnlyList<StatField> fields) =>
        WriteJoined(writer, JoinLayout.Backends, rows, fields);

    /// <summary>The CSV text of one field of one row.</summary>
    public static string Value(StatRow row, StatField field)
    {
        var info = StatFields.Get(field);
        var value = row.GetValue(field);
        if (info.Kind != StatKind.Number) return value.Text ?? StatValue.NotAvailable;
        double number = Math.Floor(value.Number ?? info.MissingNumber);
        return ((long)number).ToString(CultureInfo.InvariantCulture);
    }

    private static void WriteJoined(TextWriter writer, JoinLayout layout, IEnumerable<StatJoinRow> rows, IReadOnlyList<StatField> fields)
    {
        var columns = layout.Columns(fields);
        WriteLine(writer, columns.Select(c => c.Name));
        foreach (var row in rows) WriteLine(writer, columns.Select(c => c.Cell(row)));
    }

    private static void WriteLine(TextWriter writer, IEnumerable<string> cells)
    {
        writer.Write(string.Join(',', cells));
        writer.Write('\n');
    }
}
