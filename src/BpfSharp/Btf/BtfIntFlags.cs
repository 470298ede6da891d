namespace BpfSharp.Btf;

/// <summary>The encoding bits of a BTF integer (bits 24-27 of its trailing word).</summary>
[Flags]
public enum BtfIntFlags : byte
{
    /// <summary>An unsigned integer.</summary>
    None = 0,

    /// <summary>A signed integer.</summary>
    Signed = 1,

    /// <summary>A character type; used for pretty-printing only.</summary>
    Char = 2,

    /// <summary>A boolean; used for pretty-printing only.</summary>
    Bool = 4,
}
