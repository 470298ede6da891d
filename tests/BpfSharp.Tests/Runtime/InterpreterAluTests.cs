using BpfSharp.Isa;
using BpfSharp.Runtime;
using static BpfSharp.Tests.Runtime.RuntimeTestSupport;

namespace BpfSharp.Tests.Runtime;

/// <summary>ALU, jump and load corner cases of RFC 9669, one small program each.</summary>
public class InterpreterAluTests
{
    /// <summary>Programs whose r0 the RFC fixes; also run against the kernel by <see cref="KernelDifferentialTests"/>.</summary>
    public static TheoryData<string, ulong> Cases() => new()
    {
        // Division by zero yields zero; modulo by zero leaves dst (32-bit forms zero-extend it).
        { "r0 = 7\nr1 = 0\nr0 /= r1\nexit", 0 },
        { "r0 = -1\nw1 = 0\nw0 /= w1\nexit", 0 },
        { "r0 = -1\nr1 = 0\nr0 %= r1\nexit", ulong.MaxValue },
        { "r0 = -1\nw1 = 0\nw0 %= w1\nexit", 0xffffffff },
        { "r0 = -7\nr1 = 0\nr0 s/= r1\nexit", 0 },
        { "r0 = -7\nr1 = 0\nr0 s%= r1\nexit", unchecked((ulong)-7L) },
        { "r0 = -7\nw1 = 0\nw0 s%= w1\nexit", 0xfffffff9 },
        // INT_MIN / -1 = INT_MIN, INT_MIN % -1 = 0.
        { "r0 = 0x8000000000000000 ll\nr1 = -1\nr0 s/= r1\nexit", 0x8000000000000000 },
        { "r0 = 0x8000000000000000 ll\nr1 = -1\nr0 s%= r1\nexit", 0 },
        { "w0 = 0x80000000\nw1 = -1\nw0 s/= w1\nexit", 0x80000000 },
        { "w0 = 0x80000000\nw1 = -1\nw0 s%= w1\nexit", 0 },
        { "r0 = 0x8000000000000000 ll\nr0 s/= -1\nexit", 0x8000000000000000 },
        // Signed division truncates toward zero; the remainder takes the dividend's sign.
        { "r0 = -7\nr0 s/= 2\nexit", unchecked((ulong)-3L) },
        { "r0 = -7\nr0 s%= 2\nexit", ulong.MaxValue },
        { "r0 = 7\nr0 s%= -2\nexit", 1 },
        // Unsigned division of a negative immediate: the immediate is sign-extended to 64 bits first.
        { "r0 = -1\nr0 /= -1\nexit", 1 },
        { "r0 = 10\nr0 /= -1\nexit", 0 },
        // Shift counts are masked to 63 / 31.
        { "r0 = 1\nr1 = 65\nr0 <<= r1\nexit", 2 },
        { "w0 = 1\nw1 = 33\nw0 <<= w1\nexit", 2 },
        { "r0 = -1\nr1 = 127\nr0 >>= r1\nexit", 1 },
        { "w0 = 0x80000000\nw0 s>>= 4\nexit", 0xf8000000 },
        { "r0 = 0x80000000\nr0 <<= 32\nr0 s>>= 63\nexit", ulong.MaxValue },
        // 32-bit results zero-extend; 64-bit immediates sign-extend.
        { "r0 = -1\nw0 += 0\nexit", 0xffffffff },
        { "r0 = 0\nr0 += -1\nexit", ulong.MaxValue },
        { "w0 = -1\nexit", 0xffffffff },
        { "w0 = 0x80000000\nw0 = -w0\nexit", 0x80000000 },
        { "r0 = 5\nr0 = -r0\nexit", unchecked((ulong)-5L) },
        { "w0 = 0x10000\nw1 = 0x10000\nw0 *= w1\nexit", 0 },
        // Sign-extending moves.
        { "r1 = 0x80\nr0 = (s8)r1\nexit", 0xffffffffffffff80 },
        { "r1 = 0x8000\nr0 = (s16)r1\nexit", 0xffffffffffff8000 },
        { "r1 = 0x80000000\nr0 = (s32)r1\nexit", 0xffffffff80000000 },
        { "r1 = 0x80\nw0 = (s8)w1\nexit", 0xffffff80 },
        // Byte swaps: to-be swaps and truncates, to-le truncates, bswap swaps unconditionally.
        { "r0 = 0x11223344\nr0 = be16 r0\nexit", 0x4433 },
        { "r0 = 0x11223344\nr0 = be32 r0\nexit", 0x44332211 },
        { "r0 = 0x1122334455667788 ll\nr0 = be64 r0\nexit", 0x8877665544332211 },
        { "r0 = -1\nr0 = le32 r0\nexit", 0xffffffff },
        { "r0 = 0x11223344\nr0 = le16 r0\nexit", 0x3344 },
        { "r0 = 0x11223344\nr0 = bswap16 r0\nexit", 0x4433 },
        { "r0 = 0x1122334455667788 ll\nr0 = bswap32 r0\nexit", 0x88776655 },
        // Signed and unsigned comparisons, 64 and 32 bits.
        { "r0 = 0\nr1 = -1\nif r1 s> 0 goto +1\nr0 = 1\nexit", 1 },
        { "r0 = 0\nr1 = -1\nif r1 > 0 goto +1\nr0 = 1\nexit", 0 },
        { "r0 = 0\nr1 = 0x100000000 ll\nif w1 == 0 goto +1\nr0 = 1\nexit", 0 },
        { "r0 = 0\nr1 = 0x100000000 ll\nif w1 & 0x1 goto +1\nr0 = 1\nexit", 1 },
        { "r0 = 0\nr1 = 0xffffffff\nif w1 s< 0 goto +1\nr0 = 1\nexit", 0 },
        { "r0 = 0\nr1 = 0xffffffff ll\nif r1 s< 0 goto +1\nr0 = 1\nexit", 1 },
        // Sign-extending loads and partial stores.
        { "r1 = 0xff\n*(u8 *)(r10 -1) = r1\nr0 = *(s8 *)(r10 -1)\nexit", ulong.MaxValue },
        { "r1 = 0x8000\n*(u16 *)(r10 -2) = r1\nr0 = *(s16 *)(r10 -2)\nexit", 0xffffffffffff8000 },
        { "r1 = -1\n*(u64 *)(r10 -8) = r1\nr1 = 0\n*(u32 *)(r10 -8) = r1\nr0 = *(u64 *)(r10 -8)\nexit", 0xffffffff00000000 },
        { "*(u64 *)(r10 -8) = -1\nr0 = *(u32 *)(r10 -4)\nexit", 0xffffffff },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rfc9669_corner_case(string program, ulong expected) => Assert.Equal(expected, Run(program));

    [Theory]
    [InlineData(0x67, 65, 2UL)]   // lsh64 by an out-of-range immediate: masked to 1
    [InlineData(0x64, 33, 2UL)]   // lsh32
    [InlineData(0x67, -63, 2UL)]  // a negative immediate is masked too (-63 & 63 = 1)
    [InlineData(0x74, 32, 1UL)]   // rsh32 by 32 is a shift by 0
    public void Out_of_range_immediate_shift_amounts_are_masked(byte opcode, int amount, ulong expected)
    {
        Instruction[] program = [new(0xb7, 0, 0, 0, 1), new(opcode, 0, 0, 0, amount), new(0x95, 0, 0, 0, 0)];
        Assert.Equal(expected, new Interpreter().Run(new RuntimeProgram(program)).ReturnValue);
    }

    [Fact]
    public void Cmpxchg_32_compares_the_low_half_of_r0_and_zero_extends_the_old_value()
    {
        Instruction[] program =
        [
            new(0x7a, 10, 0, -8, -1),                                  // *(u64 *)(r10 -8) = -1
            new(0x18, 0, 0, 0, -1), new(0, 0, 0, 0, 0x7),               // r0 = 0x7ffffffff (low half matches)
            new(0xb7, 1, 0, 0, 5),                                     // r1 = 5
            new(0xc3, 10, 1, -8, AtomicOperation.Cmpxchg),             // w0 = cmpxchg32(r10 -8, w0, w1)
            new(0x61, 2, 10, -8, 0),                                   // r2 = *(u32 *)(r10 -8)
            new(0x67, 2, 0, 0, 32),                                    // r2 <<= 32
            new(0x0f, 0, 2, 0, 0),                                     // r0 += r2
            new(0x95, 0, 0, 0, 0),
        ];
        Assert.Equal(0x5_ffffffffUL, new Interpreter().Run(new RuntimeProgram(program)).ReturnValue);
    }

    [Fact]
    public void Fetch_and_32_returns_the_old_value_zero_extended_and_leaves_the_high_word()
    {
        Instruction[] program =
        [
            new(0x7a, 10, 0, -8, -1),                                                  // *(u64 *)(r10 -8) = -1
            new(0xb7, 1, 0, 0, 0xf0),                                                 // r1 = 0xf0
            new(0xc3, 10, 1, -8, AtomicOperation.And | AtomicOperation.Fetch),         // r1 = atomic_fetch_and32
            new(0x79, 0, 10, -8, 0),                                                  // r0 = *(u64 *)(r10 -8)
            new(0x1f, 0, 1, 0, 0),                                                    // r0 -= r1
            new(0x95, 0, 0, 0, 0),
        ];
        Assert.Equal(0xffffffff_000000f0UL - 0xffffffffUL, new Interpreter().Run(new RuntimeProgram(program)).ReturnValue);
    }

    [Fact]
    public void Load_acquire_and_store_release_move_values_like_plain_accesses()
    {
        Instruction[] program =
        [
            new(0xb7, 1, 0, 0, 0x1234),
            new(0xcb, 10, 1, -2, AtomicOperation.StoreRelease),  // store_release((u16 *)(r10 -2), w1)
            new(0xcb, 0, 10, -2, AtomicOperation.LoadAcquire),   // w0 = load_acquire((u16 *)(r10 -2))
            new(0x95, 0, 0, 0, 0),
        ];
        Assert.Equal(0x1234UL, new Interpreter().Run(new RuntimeProgram(program)).ReturnValue);
    }

    [Fact]
    public void Gotol_jumps_with_a_32_bit_offset()
    {
        Assert.Equal(2UL, Run("r0 = 1\ngotol +1\nr0 = 3\nr0 += 1\nexit"));
    }

    [Fact]
    public void Legacy_packet_loads_are_big_endian_and_end_the_program_with_zero_out_of_range()
    {
        var interpreter = new Interpreter();
        interpreter.Memory.Map(MemorySlice.Of([0x12, 0x34, 0x56, 0x78, 0x9a]), MemoryRegionKind.Packet, "packet", writable: false);
        Instruction[] absolute = [new(0x28, 0, 0, 0, 1), new(0x95, 0, 0, 0, 0)];          // r0 = ntohs(packet[1..3])
        Assert.Equal(0x3456UL, interpreter.Run(new RuntimeProgram(absolute)).ReturnValue);
        Instruction[] indirect = [new(0xb7, 2, 0, 0, 1), new(0x48, 0, 2, 0, 1), new(0x95, 0, 0, 0, 0)]; // half-word at r2 + 1
        Assert.Equal(0x5678UL, interpreter.Run(new RuntimeProgram(indirect)).ReturnValue);
        Instruction[] outside = [new(0xb7, 0, 0, 0, 7), new(0x20, 0, 0, 0, 2), new(0xb7, 0, 0, 0, 9), new(0x95, 0, 0, 0, 0)];
        Assert.Equal(0UL, interpreter.Run(new RuntimeProgram(outside)).ReturnValue);
    }
}
