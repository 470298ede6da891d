namespace BpfSharp.Stats;

/// <summary>One column of a <see cref="StatTable"/>: its title and alignment.</summary>
public sealed class StatTableColumn
{
    /// <summary>Creates a column.</summary>
    public StatTableColumn(string header, StatAlignment alignment)
    {
        Header = header;
        Alignment = alignment;
    }

    /// <summary>The title: veristat's (<c>Insns</c>, <c>Insns (A)</c>, <c>Insns (DIFF)</c>...).</summary>
    public string Header { get; }

    /// <summary>Left for text, right for numbers.</summary>
    public StatAlignment Alignment { get; }

    /// <inheritdoc/>
    public override string ToString() => Header;
}
