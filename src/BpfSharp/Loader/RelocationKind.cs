namespace BpfSharp.Loader;

/// <summary>What a relocation of an instruction resolves to.</summary>
internal enum RelocationKind : byte
{
    /// <summary>ld_imm64 of a map: imm becomes the map index.</summary>
    Map,
    /// <summary>ld_imm64 of an address inside a global data map.</summary>
    MapValue,
    /// <summary>bpf-to-bpf call to an instruction of an executable section.</summary>
    Call,
    /// <summary>ld_imm64 of a function's address (callbacks).</summary>
    FunctionAddress,
    /// <summary>A reference that cannot be resolved offline; the message explains it.</summary>
    Unresolved,
}
