namespace BpfSharp.Btf;

/// <summary>How a BTF integer's bits are laid out and read.</summary>
/// <param name="Flags">Signed, char or bool.</param>
/// <param name="BitOffset">Offset of the value's first bit inside the integer's storage (legacy bitfields).</param>
/// <param name="Bits">Number of value bits (at most 128, and at most the storage size).</param>
public readonly record struct BtfIntEncoding(BtfIntFlags Flags, byte BitOffset, byte Bits)
{
    /// <summary>Whether the integer is signed.</summary>
    public bool IsSigned => (Flags & BtfIntFlags.Signed) != 0;

    /// <summary>Whether the integer is a character type.</summary>
    public bool IsChar => (Flags & BtfIntFlags.Char) != 0;

    /// <summary>Whether the integer is a boolean.</summary>
    public bool IsBool => (Flags & BtfIntFlags.Bool) != 0;
}
