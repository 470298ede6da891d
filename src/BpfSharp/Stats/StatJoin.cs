namespace BpfSharp.Stats;

/// <summary>Joins two result sets on (file base name, program name), as veristat's comparison mode does.</summary>
public static class StatJoin
{
    /// <summary>
    /// Pairs the rows of <paramref name="a"/> and <paramref name="b"/> with the same file base name and program name,
    /// ordered by that key (ordinal). A row whose key is missing on the other side is kept with a null partner. Keys
    /// repeated within one side pair up in order, as veristat's merge does.
    /// </summary>
    public static IReadOnlyList<StatJoinRow> Join(IEnumerable<StatRow> a, IEnumerable<StatRow> b)
    {
        var left = KeyOrder(a);
        var right = KeyOrder(b);
        var joined = new List<StatJoinRow>(Math.Max(left.Length, right.Length));
        int i = 0, j = 0;
        while (i < left.Length || j < right.Length)
        {
            int order = i == left.Length ? 1 : j == right.Length ? -1 : CompareKeys(left[i], right[j]);
            if (order == 0) joined.Add(new StatJoinRow(left[i].FileBaseName, left[i].ProgramName, left[i++], right[j++]));
            else if (order < 0) joined.Add(new StatJoinRow(left[i].FileBaseName, left[i].ProgramName, left[i++], null));
            else joined.Add(new StatJoinRow(right[j].FileBaseName, right[j].ProgramName, null, right[j++]));
        }
        return joined;
    }

    internal static int CompareKeys(StatRow x, StatRow y)
    {
        int order = string.CompareOrdinal(x.FileBaseName, y.FileBaseName);
        return order != 0 ? order : string.CompareOrdinal(x.ProgramName, y.ProgramName);
    }

    private static StatRow[] KeyOrder(IEnumerable<StatRow> rows) =>
        rows.Order(Comparer<StatRow>.Create(CompareKeys)).ToArray();
}
