namespace BpfSharp.Stats;

/// <summary>
/// Orders rows by a <c>-s</c> list, as veristat does: each key in turn (names ordinally, like strcmp; everything else
/// numerically, see <see cref="StatFilterSet"/> for the numbers of verdicts, types and missing stats), then always by
/// file base name and program name ascending, which makes the order total. The sort is stable.
/// </summary>
public static class StatSorter
{
    /// <summary>veristat's default order: file name, then program name, both ascending.</summary>
    public static IReadOnlyList<StatSpec> DefaultOrder { get; } =
        [new StatSpec(StatField.FileName, ascending: true), new StatSpec(StatField.ProgramName, ascending: true)];

    /// <summary>Sorts rows by <paramref name="order"/>; null or empty means <see cref="DefaultOrder"/>. Variants are ignored.</summary>
    public static IReadOnlyList<StatRow> Sort(IEnumerable<StatRow> rows, IReadOnlyList<StatSpec>? order = null)
    {
        var keys = order is { Count: > 0 } ? order : DefaultOrder;
        return rows.Order(Comparer<StatRow>.Create((x, y) =>
        {
            foreach (var key in keys)
            {
                int result = StatFields.Get(key.Field).IsKey
                    ? string.CompareOrdinal(x.GetValue(key.Field).Text, y.GetValue(key.Field).Text)
                    : CompareNumbers(StatNumbers.Single(x, key.Field), StatNumbers.Single(y, key.Field), key.Absolute);
                if (result != 0) return key.Ascending ? result : -result;
            }
            return StatJoin.CompareKeys(x, y);
        })).ToArray();
    }

    /// <summary>
    /// Sorts compared rows by <paramref name="order"/> (null or empty: <see cref="DefaultOrder"/>); each key uses the
    /// value its variant selects (B by default), as <c>veristat -C</c> does.
    /// </summary>
    public static IReadOnlyList<StatJoinRow> Sort(IEnumerable<StatJoinRow> rows, IReadOnlyList<StatSpec>? order = null)
    {
        var keys = order is { Count: > 0 } ? order : DefaultOrder;
        return rows.Order(Comparer<StatJoinRow>.Create((x, y) =>
        {
            foreach (var key in keys)
            {
                int result = StatFields.Get(key.Field).IsKey
                    ? string.CompareOrdinal(Key(x, key.Field), Key(y, key.Field))
                    : CompareNumbers(StatNumbers.Joined(x, key.Field, key.Variant), StatNumbers.Joined(y, key.Field, key.Variant), key.Absolute);
                if (result != 0) return key.Ascending ? result : -result;
            }
            int byFile = string.CompareOrdinal(x.FileName, y.FileName);
            return byFile != 0 ? byFile : string.CompareOrdinal(x.ProgramName, y.ProgramName);
        })).ToArray();
    }

    private static string Key(StatJoinRow row, StatField field) => field == StatField.FileName ? row.FileName : row.ProgramName;

    private static int CompareNumbers(double x, double y, bool absolute) =>
        absolute ? Math.Abs(x).CompareTo(Math.Abs(y)) : x.CompareTo(y);
}
