namespace BpfSharp.Stats;

/// <summary>What a <c>-f</c> expression tests.</summary>
public enum StatFilterKind
{
    /// <summary>A glob on the file and/or program name (<c>xdp*</c>, <c>file.o/prog*</c>).</summary>
    Name,
    /// <summary>A comparison of a stat with an integer (<c>insns&gt;1000</c>, <c>verdict=failure</c>).</summary>
    Stat,
}
