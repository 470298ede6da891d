namespace BpfSharp.Stats;

/// <summary>How a table column is aligned: veristat left-aligns text and right-aligns numbers.</summary>
public enum StatAlignment
{
    /// <summary>Text columns (names, verdicts, MATCH/MISMATCH).</summary>
    Left,
    /// <summary>Number columns, including the "+N (+P.PP%)" differences.</summary>
    Right,
}
