namespace BpfSharp.Isa;

/// <summary>
/// Names the assembler and disassembler use for what the raw instruction only numbers: maps referenced by
/// index (ld_imm64 with <see cref="PseudoSource.MapIdx"/> or <see cref="PseudoSource.MapIdxValue"/>) and kernel
/// functions referenced by BTF id.
/// </summary>
public interface IProgramSymbols
{
    /// <summary>The name of the map at <paramref name="index"/>, or null when it has none.</summary>
    string? MapName(int index);

    /// <summary>Finds a map by name for the assembler.</summary>
    bool TryGetMapIndex(string name, out int index);

    /// <summary>The name of the kernel function with BTF id <paramref name="btfId"/>, or null.</summary>
    string? KfuncName(int btfId) => null;
}
