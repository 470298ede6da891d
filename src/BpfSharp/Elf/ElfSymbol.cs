namespace BpfSharp.Elf;

/// <summary>One entry of the symbol table.</summary>
/// <param name="Index">The symbol's index in .symtab.</param>
/// <param name="Name">The symbol name (empty for unnamed symbols).</param>
/// <param name="Value">st_value: the byte offset inside its section for defined symbols.</param>
/// <param name="Size">st_size in bytes.</param>
/// <param name="Type">The symbol type.</param>
/// <param name="Binding">The symbol binding.</param>
/// <param name="Visibility">st_other's visibility bits (0 default, 1 internal, 2 hidden, 3 protected).</param>
/// <param name="SectionIndex">st_shndx: the section it is defined in; 0 (<see cref="ElfFile.UndefinedSection"/>) for externs.</param>
public readonly record struct ElfSymbol(
    int Index, string Name, ulong Value, ulong Size, ElfSymbolType Type, ElfSymbolBinding Binding, byte Visibility, int SectionIndex)
{
    /// <summary>True for a symbol not defined in this object (an extern).</summary>
    public bool IsUndefined => SectionIndex == ElfFile.UndefinedSection;
}
