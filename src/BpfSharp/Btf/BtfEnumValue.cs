namespace BpfSharp.Btf;

/// <summary>An enumerator of a BTF enum or enum64.</summary>
/// <param name="Name">The enumerator's name.</param>
/// <param name="Value">The value as a 64-bit pattern: 32-bit enums are sign- or zero-extended according to
/// <paramref name="IsSigned"/>; read an unsigned enum64 through <see cref="UnsignedValue"/>.</param>
/// <param name="IsSigned">Whether the enum's values are signed (the kind flag).</param>
public readonly record struct BtfEnumValue(string Name, long Value, bool IsSigned)
{
    /// <summary>The value read as unsigned.</summary>
    public ulong UnsignedValue => unchecked((ulong)Value);
}
