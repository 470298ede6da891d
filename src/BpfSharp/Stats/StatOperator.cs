namespace BpfSharp.Stats;

/// <summary>The comparison of a stat filter (<c>insns&gt;1000</c>).</summary>
public enum StatOperator
{
    /// <summary><c>==</c> or <c>=</c>.</summary>
    Equal,
    /// <summary><c>!=</c> or <c>&lt;&gt;</c>.</summary>
    NotEqual,
    /// <summary><c>&lt;</c>.</summary>
    Less,
    /// <summary><c>&lt;=</c>.</summary>
    LessOrEqual,
    /// <summary><c>&gt;</c>.</summary>
    Greater,
    /// <summary><c>&gt;=</c>.</summary>
    GreaterOrEqual,
}
