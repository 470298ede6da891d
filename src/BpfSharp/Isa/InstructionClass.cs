namespace BpfSharp.Isa;

/// <summary>The instruction class: the low three bits of the opcode (RFC 9669 section 3).</summary>
public enum InstructionClass : byte
{
    /// <summary>Non-standard load operations: ld_imm64 and the legacy packet loads.</summary>
    Ld = 0x00,
    /// <summary>Load into register.</summary>
    Ldx = 0x01,
    /// <summary>Store from immediate.</summary>
    St = 0x02,
    /// <summary>Store from register (and atomics).</summary>
    Stx = 0x03,
    /// <summary>32-bit arithmetic.</summary>
    Alu = 0x04,
    /// <summary>64-bit jumps, calls and exit.</summary>
    Jmp = 0x05,
    /// <summary>32-bit jumps.</summary>
    Jmp32 = 0x06,
    /// <summary>64-bit arithmetic.</summary>
    Alu64 = 0x07,
}
