namespace BpfSharp.Stats;

/// <summary>
/// Which value of a joined (compared) row a sort key or filter uses, chosen by a suffix on the stat name:
/// <c>_a</c>, <c>_b</c>, <c>_diff</c>, <c>_pct</c>. Without a suffix veristat uses <see cref="B"/>. Outside a
/// comparison the variant is ignored.
/// </summary>
public enum StatVariant
{
    /// <summary><c>_a</c>: the baseline (first CSV, or the kernel in a backend comparison).</summary>
    A,
    /// <summary><c>_b</c>: the compared side (second CSV, or BpfSharp); the default.</summary>
    B,
    /// <summary><c>_diff</c>: B - A; for the verdict, 1 when they match and 0 when not.</summary>
    Diff,
    /// <summary><c>_pct</c>: (B - A) * 100 / A; ±100 when A is 0 and B is not, 0 when both are 0.</summary>
    Pct,
}
