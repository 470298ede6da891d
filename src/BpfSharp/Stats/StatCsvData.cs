namespace BpfSharp.Stats;

/// <summary>What <see cref="StatCsvReader"/> read: the stats the CSV has columns for, and its rows.</summary>
public sealed class StatCsvData
{
    /// <summary>Creates the result of a read.</summary>
    public StatCsvData(IReadOnlyList<StatField> fields, IReadOnlyList<StatRow> rows, IReadOnlyList<string> ignoredColumns)
    {
        Fields = fields;
        Rows = rows;
        IgnoredColumns = ignoredColumns;
    }

    /// <summary>The known stat columns, in the CSV's order (a natural <c>-e</c> default for a comparison).</summary>
    public IReadOnlyList<StatField> Fields { get; }

    /// <summary>The rows, in the CSV's order. Stats without a column read as missing (<see cref="StatRow.AvailableFields"/>).</summary>
    public IReadOnlyList<StatRow> Rows { get; }

    /// <summary>Header names that are no stat, skipped (veristat itself would refuse the file).</summary>
    public IReadOnlyList<string> IgnoredColumns { get; }
}
