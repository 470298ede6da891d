namespace BpfSharp.Btf;

/// <summary>The shape of a BTF array.</summary>
/// <param name="ElementType">The element type id.</param>
/// <param name="IndexType">The index type id (an integer type; informational).</param>
/// <param name="Length">The number of elements.</param>
public readonly record struct BtfArrayInfo(uint ElementType, uint IndexType, uint Length);
