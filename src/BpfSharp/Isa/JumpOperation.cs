namespace BpfSharp.Isa;

/// <summary>The operation field (bits 4-7) of JMP and JMP32 opcodes.</summary>
public enum JumpOperation : byte
{
    /// <summary>Unconditional jump (JMP: 16-bit offset; JMP32: 32-bit offset in imm, "gotol").</summary>
    Ja = 0x00,
    /// <summary>Jump if equal.</summary>
    Jeq = 0x10,
    /// <summary>Jump if greater than (unsigned).</summary>
    Jgt = 0x20,
    /// <summary>Jump if greater or equal (unsigned).</summary>
    Jge = 0x30,
    /// <summary>Jump if dst &amp; src is non-zero.</summary>
    Jset = 0x40,
    /// <summary>Jump if not equal.</summary>
    Jne = 0x50,
    /// <summary>Jump if greater than (signed).</summary>
    Jsgt = 0x60,
    /// <summary>Jump if greater or equal (signed).</summary>
    Jsge = 0x70,
    /// <summary>Function call (helper, bpf-to-bpf, kfunc; callx with the X source).</summary>
    Call = 0x80,
    /// <summary>Return from the function.</summary>
    Exit = 0x90,
    /// <summary>Jump if less than (unsigned).</summary>
    Jlt = 0xa0,
    /// <summary>Jump if less or equal (unsigned).</summary>
    Jle = 0xb0,
    /// <summary>Jump if less than (signed).</summary>
    Jslt = 0xc0,
    /// <summary>Jump if less or equal (signed).</summary>
    Jsle = 0xd0,
    /// <summary>Conditional pseudo jump (may_goto).</summary>
    Jcond = 0xe0,
}
