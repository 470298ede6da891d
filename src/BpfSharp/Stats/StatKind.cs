namespace BpfSharp.Stats;

/// <summary>What kind of value a <see cref="StatField"/> holds, which decides formatting, alignment and comparison.</summary>
public enum StatKind
{
    /// <summary>A name: file, program, program type, attach type. Compared as text (MATCH/MISMATCH).</summary>
    Text,
    /// <summary>A count or measurement. Compared by difference ("+N (+P.PP%)").</summary>
    Number,
    /// <summary>The verdict. Compared as text (MATCH/MISMATCH), filtered as a number (failure 0, success 1).</summary>
    Verdict,
}
