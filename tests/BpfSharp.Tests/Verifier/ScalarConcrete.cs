using System.Buffers.Binary;
using BpfSharp.Isa;

namespace BpfSharp.Tests.Verifier;

/// <summary>What the instructions do to concrete values (RFC 9669 semantics, as the interpreter and JITs run them).</summary>
public static class ScalarConcrete
{
    /// <summary>The result of <c>dst op= src</c>; 32-bit results are zero-extended.</summary>
    public static ulong Alu(AluOperation op, ulong dst, ulong src, bool alu64, short offset) =>
        alu64 ? Alu64(op, dst, src, offset) : Alu32(op, (uint)dst, (uint)src, offset);

    private static ulong Alu64(AluOperation op, ulong a, ulong b, short offset) => op switch
    {
        AluOperation.Add => a + b,
        AluOperation.Sub => a - b,
        AluOperation.Mul => a * b,
        AluOperation.Div when offset == 1 => b == 0 ? 0 : (long)a == long.MinValue && (long)b == -1 ? a : (ulong)((long)a / (long)b),
        AluOperation.Div => b == 0 ? 0 : a / b,
        AluOperation.Mod when offset == 1 => b == 0 ? a : (long)b == -1 ? 0 : (ulong)((long)a % (long)b),
        AluOperation.Mod => b == 0 ? a : a % b,
        AluOperation.Or => a | b,
        AluOperation.And => a & b,
        AluOperation.Xor => a ^ b,
        AluOperation.Lsh => a << (int)(b & 63),
        AluOperation.Rsh => a >> (int)(b & 63),
        AluOperation.Arsh => (ulong)((long)a >> (int)(b & 63)),
        AluOperation.Neg => 0 - a,
        AluOperation.Mov => offset switch { 8 => (ulong)(sbyte)b, 16 => (ulong)(short)b, 32 => (ulong)(int)b, _ => b },
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    private static uint Alu32(AluOperation op, uint a, uint b, short offset) => op switch
    {
        AluOperation.Add => a + b,
        AluOperation.Sub => a - b,
        AluOperation.Mul => a * b,
        AluOperation.Div when offset == 1 => b == 0 ? 0 : (int)a == int.MinValue && (int)b == -1 ? a : (uint)((int)a / (int)b),
        AluOperation.Div => b == 0 ? 0 : a / b,
        AluOperation.Mod when offset == 1 => b == 0 ? a : (int)b == -1 ? 0 : (uint)((int)a % (int)b),
        AluOperation.Mod => b == 0 ? a : a % b,
        AluOperation.Or => a | b,
        AluOperation.And => a & b,
        AluOperation.Xor => a ^ b,
        AluOperation.Lsh => a << (int)(b & 31),
        AluOperation.Rsh => a >> (int)(b & 31),
        AluOperation.Arsh => (uint)((int)a >> (int)(b & 31)),
        AluOperation.Neg => 0 - a,
        AluOperation.Mov => offset switch { 8 => (uint)(sbyte)b, 16 => (uint)(short)b, _ => b },
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>The result of a BPF_END instruction on a little-endian machine.</summary>
    public static ulong Endian(bool alu64, bool toBigEndian, ulong x, int bits)
    {
        if (!alu64 && !toBigEndian) return bits == 64 ? x : x & ((1UL << bits) - 1);
        return bits switch
        {
            16 => BinaryPrimitives.ReverseEndianness((ushort)x),
            32 => BinaryPrimitives.ReverseEndianness((uint)x),
            _ => BinaryPrimitives.ReverseEndianness(x),
        };
    }

    /// <summary>Whether <c>a op b</c> holds (on the low 32 bits when <paramref name="is32"/>).</summary>
    public static bool Holds(JumpOperation op, ulong a, ulong b, bool is32)
    {
        if (is32)
        {
            a = (uint)a;
            b = (uint)b;
        }
        long sa = is32 ? (int)a : (long)a, sb = is32 ? (int)b : (long)b;
        return op switch
        {
            JumpOperation.Jeq => a == b,
            JumpOperation.Jne => a != b,
            JumpOperation.Jgt => a > b,
            JumpOperation.Jge => a >= b,
            JumpOperation.Jlt => a < b,
            JumpOperation.Jle => a <= b,
            JumpOperation.Jsgt => sa > sb,
            JumpOperation.Jsge => sa >= sb,
            JumpOperation.Jslt => sa < sb,
            JumpOperation.Jsle => sa <= sb,
            JumpOperation.Jset => (a & b) != 0,
            _ => throw new ArgumentOutOfRangeException(nameof(op)),
        };
    }

    /// <summary>Sign extension of the low <paramref name="bytes"/> bytes.</summary>
    public static ulong SignExtend(ulong x, int bytes) => (ulong)((long)(x << (64 - 8 * bytes)) >> (64 - 8 * bytes));
}
