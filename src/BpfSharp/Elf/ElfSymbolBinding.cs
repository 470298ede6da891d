namespace BpfSharp.Elf;

/// <summary>Symbol binding (high nibble of st_info).</summary>
public enum ElfSymbolBinding : byte
{
    /// <summary>Visible inside the object only.</summary>
    Local = 0,
    /// <summary>Visible to the linker.</summary>
    Global = 1,
    /// <summary>Global with lower precedence.</summary>
    Weak = 2,
}
