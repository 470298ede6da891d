namespace BpfSharp.Btf;

/// <summary>A parameter of a BTF function prototype.</summary>
/// <param name="Name">The parameter's name; empty when the prototype does not name it.</param>
/// <param name="Type">The parameter's type id.</param>
public readonly record struct BtfParam(string Name, uint Type);
