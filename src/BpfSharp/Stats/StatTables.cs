namespace BpfSharp.Stats;

/// <summary>Builds the <see cref="StatTable"/> of each view, with veristat's column titles.</summary>
public static class StatTables
{
    /// <summary>One line per row, one column per field (<c>File</c>, <c>Program</c>, <c>Verdict</c>, <c>Insns</c>...).</summary>
    public static StatTable ForRows(IEnumerable<StatRow> rows, IReadOnlyList<StatField> fields)
    {
        var columns = fields.Select(f => new StatTableColumn(StatFields.Get(f).Header, StatFields.Get(f).Alignment)).ToArray();
        var cells = rows.Select(r => (IReadOnlyList<string>)fields.Select(r.Format).ToArray()).ToArray();
        return new StatTable(columns, cells);
    }

    /// <summary>
    /// veristat's <c>-C</c> view: file and program once, then per stat <c>X (A)</c>, <c>X (B)</c> and <c>X (DIFF)</c>
    /// (see <see cref="StatDiff.Compare"/>); <c>N/A</c> on the side a program is missing from.
    /// </summary>
    public static StatTable ForComparison(IEnumerable<StatJoinRow> rows, IReadOnlyList<StatField> fields) =>
        Build(JoinLayout.Comparison, rows, fields);

    /// <summary>
    /// The backend comparison (A = kernel, B = BpfSharp): file and program once, then per stat <c>X (kernel)</c>,
    /// <c>X (bpfsharp)</c> and <c>X (DIFF)</c> (see <see cref="StatDiff.Backends"/>).
    /// </summary>
    public static StatTable ForBackends(IEnumerable<StatJoinRow> rows, IReadOnlyList<StatField> fields) =>
        Build(JoinLayout.Backends, rows, fields);

    private static StatTable Build(JoinLayout layout, IEnumerable<StatJoinRow> rows, IReadOnlyList<StatField> fields)
    {
        var columns = layout.Columns(fields);
        return new StatTable(
            columns.Select(c => new StatTableColumn(c.Header, c.Alignment)).ToArray(),
            rows.Select(r => (IReadOnlyList<string>)columns.Select(c => c.Cell(r)).ToArray()).ToArray());
    }
}
