namespace BpfSharp.Btf;

/// <summary>One variable (or extern function) placed in a BTF data section.</summary>
/// <param name="Type">The id of the <see cref="BtfKind.Var"/> or <see cref="BtfKind.Func"/> type.</param>
/// <param name="Offset">The variable's offset inside the section, in bytes.</param>
/// <param name="Size">The variable's size in bytes.</param>
public readonly record struct BtfDatasecVar(uint Type, uint Offset, uint Size);
