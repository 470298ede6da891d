namespace BpfSharp.Elf;

/// <summary>Symbol types (low nibble of st_info).</summary>
public enum ElfSymbolType : byte
{
    /// <summary>No type (labels, externs of unknown kind).</summary>
    NoType = 0,
    /// <summary>A data object (a map definition, a global variable).</summary>
    Object = 1,
    /// <summary>A function.</summary>
    Func = 2,
    /// <summary>A section symbol.</summary>
    Section = 3,
    /// <summary>The source file name.</summary>
    File = 4,
}
