namespace BpfSharp.Elf;

/// <summary>ELF section types (sh_type) that matter for BPF objects.</summary>
public enum ElfSectionType : uint
{
    /// <summary>Unused section header.</summary>
    Null = 0,
    /// <summary>Program-defined contents (code, data, BTF).</summary>
    ProgBits = 1,
    /// <summary>Symbol table.</summary>
    SymTab = 2,
    /// <summary>String table.</summary>
    StrTab = 3,
    /// <summary>Relocations with explicit addends.</summary>
    Rela = 4,
    /// <summary>Notes.</summary>
    Note = 7,
    /// <summary>Zero-initialised data with no bytes in the file (.bss).</summary>
    NoBits = 8,
    /// <summary>Relocations without addends.</summary>
    Rel = 9,
    /// <summary>Extended section indexes for the symbol table.</summary>
    SymTabShndx = 18,
    /// <summary>LLVM address-significance table.</summary>
    LlvmAddrsig = 0x6fff4c03,
}
