namespace BpfSharp.Isa;

/// <summary>The mode field (bits 5-7) of load and store opcodes.</summary>
public enum MemoryMode : byte
{
    /// <summary>64-bit immediate (ld_imm64).</summary>
    Imm = 0x00,
    /// <summary>Legacy packet load at an absolute offset.</summary>
    Abs = 0x20,
    /// <summary>Legacy packet load at a register plus offset.</summary>
    Ind = 0x40,
    /// <summary>Regular memory access.</summary>
    Mem = 0x60,
    /// <summary>Sign-extending load (ISA v4).</summary>
    MemSx = 0x80,
    /// <summary>Atomic operation; the operation is in the immediate.</summary>
    Atomic = 0xc0,
}
