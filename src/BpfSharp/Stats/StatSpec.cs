using System.Text;

namespace BpfSharp.Stats;

/// <summary>
/// One item of a <c>-s</c> (or <c>-e</c>) list: a stat, its direction, the comparison variant and whether to compare
/// absolute values (<c>|insns_diff|</c>).
/// </summary>
public sealed record StatSpec
{
    /// <summary>Creates a spec.</summary>
    public StatSpec(StatField field, bool ascending, StatVariant variant = StatVariant.B, bool absolute = false)
    {
        Field = field;
        Ascending = ascending;
        Variant = variant;
        Absolute = absolute;
    }

    /// <summary>The stat.</summary>
    public StatField Field { get; }

    /// <summary>Sort ascending (smallest first) or descending.</summary>
    public bool Ascending { get; }

    /// <summary>Which value of a compared row; ignored outside comparisons.</summary>
    public StatVariant Variant { get; }

    /// <summary>Compare absolute values (written <c>|stat|</c>).</summary>
    public bool Absolute { get; }

    /// <summary>The spec in veristat's syntax: <c>|name_variant|</c> followed by <c>^</c> (ascending) or <c>v</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(StatFields.Get(Field).Name);
        if (Variant != StatVariant.B) text.Append(StatFields.VariantSuffix(Variant));
        if (Absolute) text.Insert(0, '|').Append('|');
        return text.Append(Ascending ? '^' : 'v').ToString();
    }
}
