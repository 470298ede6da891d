using System.Buffers.Binary;
using System.Runtime.InteropServices;
using BpfSharp.Binary;

namespace BpfSharp.Isa;

/// <summary>
/// One 8-byte eBPF instruction slot, laid out exactly as on the wire (RFC 9669 section 3): opcode, the
/// destination register in the low nibble and the source register in the high nibble of the second byte,
/// a signed 16-bit offset and a signed 32-bit immediate. A 64-bit immediate load (ld_imm64) takes two slots;
/// the second one carries the high 32 bits in its immediate.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 8)]
public readonly struct Instruction : IEquatable<Instruction>
{
    /// <summary>Size of one instruction slot in bytes.</summary>
    public const int Size = 8;

    private readonly byte _opcode;
    private readonly byte _registers;
    private readonly short _offset;
    private readonly int _immediate;

    /// <summary>Creates an instruction from its fields. Registers are 4-bit fields; higher bits are rejected.</summary>
    public Instruction(byte opcode, byte dst, byte src, short offset, int immediate)
    {
        if (dst > 15) throw new ArgumentOutOfRangeException(nameof(dst), "register fields are 4 bits");
        if (src > 15) throw new ArgumentOutOfRangeException(nameof(src), "register fields are 4 bits");
        _opcode = opcode;
        _registers = (byte)(dst | (src << 4));
        _offset = offset;
        _immediate = immediate;
    }

    /// <summary>The opcode byte.</summary>
    public byte Opcode => _opcode;

    /// <summary>Destination register field (0-15; valid registers are 0-10).</summary>
    public byte Dst => (byte)(_registers & 0x0f);

    /// <summary>Source register field (0-15); for ld_imm64 and call it is a <see cref="PseudoSource"/> value.</summary>
    public byte Src => (byte)(_registers >> 4);

    /// <summary>Signed 16-bit offset: jump distance in slots, or memory offset in bytes.</summary>
    public short Offset => _offset;

    /// <summary>Signed 32-bit immediate.</summary>
    public int Immediate => _immediate;

    /// <summary>The instruction class (low 3 bits of the opcode).</summary>
    public InstructionClass Class => (InstructionClass)(_opcode & 0x07);

    /// <summary>True when the opcode's source bit (0x08) selects a register operand (ALU and JMP classes).</summary>
    public bool UsesRegisterSource => (_opcode & 0x08) != 0;

    /// <summary>The ALU operation (meaningful for ALU/ALU64).</summary>
    public AluOperation AluOp => (AluOperation)(_opcode & 0xf0);

    /// <summary>The jump operation (meaningful for JMP/JMP32).</summary>
    public JumpOperation JumpOp => (JumpOperation)(_opcode & 0xf0);

    /// <summary>The memory access size (meaningful for load/store classes).</summary>
    public MemorySize MemSize => (MemorySize)(_opcode & 0x18);

    /// <summary>The memory mode (meaningful for load/store classes).</summary>
    public MemoryMode MemMode => (MemoryMode)(_opcode & 0xe0);

    /// <summary>True for the first slot of a 64-bit immediate load (opcode 0x18).</summary>
    public bool IsLoadImm64 => _opcode == 0x18;

    /// <summary>Returns a copy with a different immediate.</summary>
    public Instruction WithImmediate(int immediate) => new(_opcode, Dst, Src, _offset, immediate);

    /// <summary>Returns a copy with a different offset.</summary>
    public Instruction WithOffset(short offset) => new(_opcode, Dst, Src, offset, _immediate);

    /// <summary>Returns a copy with a different source register field.</summary>
    public Instruction WithSrc(byte src) => new(_opcode, Dst, src, _offset, _immediate);

    /// <summary>Number of bytes an access of <paramref name="size"/> touches.</summary>
    public static int Bytes(MemorySize size) => size switch
    {
        MemorySize.B => 1,
        MemorySize.H => 2,
        MemorySize.W => 4,
        _ => 8,
    };

    /// <summary>Reads one instruction from the first 8 bytes of <paramref name="bytes"/> (little-endian).</summary>
    public static Instruction Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Size) throw new ArgumentException("an instruction is 8 bytes", nameof(bytes));
        byte regs = bytes[1];
        return new Instruction(bytes[0], (byte)(regs & 0x0f), (byte)(regs >> 4),
            BinaryPrimitives.ReadInt16LittleEndian(bytes[2..]), BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]));
    }

    /// <summary>Writes the instruction's 8 bytes (little-endian) into <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        if (destination.Length < Size) throw new ArgumentException("an instruction is 8 bytes", nameof(destination));
        destination[0] = _opcode;
        destination[1] = _registers;
        BinaryPrimitives.WriteInt16LittleEndian(destination[2..], _offset);
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], _immediate);
    }

    /// <summary>
    /// Decodes a whole instruction stream. The length must be a multiple of 8; <paramref name="location"/> names
    /// the section for the error.
    /// </summary>
    public static Instruction[] ReadAll(ReadOnlySpan<byte> bytes, FormatLocation location = default)
    {
        if (bytes.Length % Size != 0)
            throw location.Error($"instruction stream of {bytes.Length} bytes is not a multiple of 8", bytes.Length - bytes.Length % Size);
        var result = new Instruction[bytes.Length / Size];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, Instruction>(bytes).CopyTo(result);
        }
        else
        {
            for (int i = 0; i < result.Length; i++) result[i] = Read(bytes[(i * Size)..]);
        }
        return result;
    }

    /// <summary>Encodes an instruction stream into its wire bytes.</summary>
    public static byte[] WriteAll(ReadOnlySpan<Instruction> program)
    {
        var bytes = new byte[program.Length * Size];
        for (int i = 0; i < program.Length; i++) program[i].Write(bytes.AsSpan(i * Size));
        return bytes;
    }

    /// <summary>The 64-bit immediate of an ld_imm64 whose first slot is <paramref name="low"/> and second <paramref name="high"/>.</summary>
    public static ulong Imm64(Instruction low, Instruction high) => (uint)low._immediate | ((ulong)(uint)high._immediate << 32);

    /// <inheritdoc/>
    public bool Equals(Instruction other) =>
        _opcode == other._opcode && _registers == other._registers && _offset == other._offset && _immediate == other._immediate;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Instruction other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_opcode, _registers, _offset, _immediate);

    /// <summary>Equality of all four fields.</summary>
    public static bool operator ==(Instruction left, Instruction right) => left.Equals(right);

    /// <summary>Inequality of any field.</summary>
    public static bool operator !=(Instruction left, Instruction right) => !left.Equals(right);

    /// <summary>The raw fields, for debugging; use <see cref="Disassembler"/> for the text form.</summary>
    public override string ToString() =>
        $"{{code=0x{_opcode:x2} dst=r{Dst} src={Src} off={_offset} imm={_immediate}}}";
}
