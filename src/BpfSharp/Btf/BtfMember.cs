namespace BpfSharp.Btf;

/// <summary>A member of a BTF struct or union.</summary>
/// <param name="Name">The member's name; empty for an anonymous member (a nested anonymous struct or union).</param>
/// <param name="Type">The member's type id.</param>
/// <param name="BitOffset">Offset of the member from the start of the struct, in bits.</param>
/// <param name="BitfieldSize">Width of a bitfield member in bits, or 0 when the member is not a bitfield (or its
/// width is carried by an int type, in BTF without the kind flag).</param>
public readonly record struct BtfMember(string Name, uint Type, uint BitOffset, byte BitfieldSize);
