using System.Runtime.InteropServices;

namespace BpfSharp.Runtime;

/// <summary>
/// One instruction as the interpreter runs it: the fields of the wire format decoded once, with jump and call
/// targets made absolute and the 64-bit immediate of ld_imm64 joined. 16 bytes, kept in a flat array.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DecodedInstruction
{
    /// <summary>The opcode byte; <see cref="RuntimeProgram.InvalidOpcode"/> for a slot that must not run.</summary>
    public byte Opcode;
    /// <summary>Destination register (0-10).</summary>
    public byte Dst;
    /// <summary>Source register (0-10), or the pseudo source of ld_imm64 and call.</summary>
    public byte Src;
    /// <summary>Access size in bytes for loads, stores and atomics.</summary>
    public byte Size;
    /// <summary>Memory offset, jump target (absolute index), call target, or the ALU offset field (sdiv, movsx).</summary>
    public int Target;
    /// <summary>The immediate: sign-extended for 64-bit forms, the joined 64-bit value for ld_imm64.</summary>
    public long Imm;
}
