namespace BpfSharp.Isa;

/// <summary>The size field (bits 3-4) of load and store opcodes.</summary>
public enum MemorySize : byte
{
    /// <summary>4 bytes.</summary>
    W = 0x00,
    /// <summary>2 bytes.</summary>
    H = 0x08,
    /// <summary>1 byte.</summary>
    B = 0x10,
    /// <summary>8 bytes.</summary>
    DW = 0x18,
}
