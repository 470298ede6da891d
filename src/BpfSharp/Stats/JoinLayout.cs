namespace BpfSharp.Stats;

/// <summary>
/// How a joined view names and fills its three columns per stat: veristat's comparison (A, B, DIFF) or the backend
/// comparison (kernel, bpfsharp, DIFF). Key stats get one column.
/// </summary>
internal sealed class JoinLayout
{
    private JoinLayout(string[] headerSuffixes, string[] nameSuffixes, string[] sideKeys,
        Func<StatJoinRow, StatField, string> diff, Func<StatFieldInfo, StatAlignment> diffAlignment)
    {
        HeaderSuffixes = headerSuffixes;
        SideKeys = sideKeys;
        NameSuffixes = nameSuffixes;
        Diff = diff;
        DiffAlignment = diffAlignment;
    }

    /// <summary>veristat -C: "Insns (A)", CSV "total_insns_base"; JSON sides "a"/"b".</summary>
    internal static JoinLayout Comparison { get; } = new(
        [" (A)", " (B)", " (DIFF)"], ["_base", "_comp", "_diff"], ["a", "b"], StatDiff.Compare, info => info.Alignment);

    /// <summary>--backend both: "Insns (kernel)", CSV "total_insns_kernel"; JSON sides "kernel"/"bpfsharp".</summary>
    internal static JoinLayout Backends { get; } = new(
        [" (kernel)", " (bpfsharp)", " (DIFF)"], ["_kernel", "_bpfsharp", "_diff"],
        [StatBackends.Kernel, StatBackends.BpfSharp], StatDiff.Backends,
        info => info.IsMeasurement ? info.Alignment : StatAlignment.Left);

    internal string[] HeaderSuffixes { get; }

    internal string[] NameSuffixes { get; }

    internal Func<StatJoinRow, StatField, string> Diff { get; }

    internal Func<StatFieldInfo, StatAlignment> DiffAlignment { get; }

    /// <summary>JSON keys of side A and side B.</summary>
    internal string[] SideKeys { get; }

    /// <summary>The columns for <paramref name="fields"/>: title, CSV name, alignment and how to fill the cell.</summary>
    internal IReadOnlyList<(string Header, string Name, StatAlignment Alignment, Func<StatJoinRow, string> Cell)> Columns(
        IReadOnlyList<StatField> fields)
    {
        var columns = new List<(string, string, StatAlignment, Func<StatJoinRow, string>)>();
        foreach (var field in fields)
        {
            var info = StatFields.Get(field);
            if (info.IsKey)
            {
                columns.Add((info.Header, info.Name, info.Alignment,
                    row => field == StatField.FileName ? row.FileName : row.ProgramName));
                continue;
            }
            columns.Add((info.Header + HeaderSuffixes[0], info.Name + NameSuffixes[0], info.Alignment, row => Side(row.A, field)));
            columns.Add((info.Header + HeaderSuffixes[1], info.Name + NameSuffixes[1], info.Alignment, row => Side(row.B, field)));
            columns.Add((info.Header + HeaderSuffixes[2], info.Name + NameSuffixes[2], DiffAlignment(info), row => Diff(row, field)));
        }
        return columns;
    }

    private static string Side(StatRow? row, StatField field) => row?.Format(field) ?? StatValue.NotAvailable;
}
