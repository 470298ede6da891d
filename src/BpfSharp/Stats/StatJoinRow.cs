namespace BpfSharp.Stats;

/// <summary>
/// One program in two result sets, joined on (file base name, program name): two CSVs (<c>-C A.csv B.csv</c>) or the
/// kernel and BpfSharp (<c>--backend both</c>). A side is null when the program is only in the other set.
/// </summary>
public sealed class StatJoinRow
{
    /// <summary>Creates a joined row; at least one side must be present.</summary>
    public StatJoinRow(string fileName, string programName, StatRow? a, StatRow? b)
    {
        if (a is null && b is null) throw new ArgumentException("A joined row needs at least one side.");
        FileName = fileName;
        ProgramName = programName;
        A = a;
        B = b;
    }

    /// <summary>The file's base name (the join key).</summary>
    public string FileName { get; }

    /// <summary>The program's name (the join key).</summary>
    public string ProgramName { get; }

    /// <summary>The baseline side (first CSV; the kernel), or null when the program is only in B.</summary>
    public StatRow? A { get; }

    /// <summary>The compared side (second CSV; BpfSharp), or null when the program is only in A.</summary>
    public StatRow? B { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{FileName}/{ProgramName}";
}
