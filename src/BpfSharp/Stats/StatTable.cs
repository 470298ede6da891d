using System.Text;

namespace BpfSharp.Stats;

/// <summary>
/// A table ready to print: column titles and alignments, and rows of cell texts. The CLI renders it (with Spectre.Console);
/// <see cref="ToText"/> renders it as veristat's plain text does.
/// </summary>
public sealed class StatTable
{
    /// <summary>Creates a table; every row must have one cell per column.</summary>
    public StatTable(IReadOnlyList<StatTableColumn> columns, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        foreach (var row in rows)
        {
            if (row.Count != columns.Count) throw new ArgumentException($"A row has {row.Count} cells for {columns.Count} columns.", nameof(rows));
        }
        Columns = columns;
        Rows = rows;
    }

    /// <summary>The columns, in order.</summary>
    public IReadOnlyList<StatTableColumn> Columns { get; }

    /// <summary>The rows, each one cell per column.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Rows { get; }

    /// <summary>
    /// veristat's layout: columns two spaces apart, each as wide as its widest cell or title, titles underlined with
    /// dashes, a closing line of dashes after the rows; trailing spaces trimmed. Lines end with <c>\n</c>.
    /// </summary>
    public string ToText()
    {
        var widths = Columns.Select((c, i) => Rows.Select(r => r[i].Length).Append(c.Header.Length).Max()).ToArray();
        var underline = string.Join("  ", widths.Select(w => new string('-', w)));
        var text = new StringBuilder();
        AppendLine(text, Columns.Select(c => c.Header).ToArray(), widths);
        text.Append(underline).Append('\n');
        foreach (var row in Rows) AppendLine(text, row, widths);
        if (Rows.Count > 0) text.Append(underline).Append('\n');
        return text.ToString();
    }

    private void AppendLine(StringBuilder text, IReadOnlyList<string> cells, int[] widths)
    {
        var line = new StringBuilder();
        for (int i = 0; i < cells.Count; i++)
        {
            if (i > 0) line.Append("  ");
            line.Append(Columns[i].Alignment == StatAlignment.Left ? cells[i].PadRight(widths[i]) : cells[i].PadLeft(widths[i]));
        }
        text.Append(line.ToString().TrimEnd()).Append('\n');
    }
}
