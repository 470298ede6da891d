using BpfSharp.Isa;

namespace BpfSharp.Tests.Isa;

/// <summary>Generates random valid instructions, biased towards the variant values (sdiv, movsx, atomics, pseudo sources).</summary>
internal static class RandomInstructions
{
    private static readonly byte[] ValidOpcodes = Enumerable.Range(0, 256)
        .Where(o => OpcodeTable.KindOf((byte)o) != InstructionKind.Invalid).Select(o => (byte)o).ToArray();

    private static readonly int[] InterestingImmediates =
    [
        0, 1, -1, 16, 32, 64, 0x7fffffff, int.MinValue,
        AtomicOperation.Add, AtomicOperation.Or, AtomicOperation.And, AtomicOperation.Xor,
        AtomicOperation.Add | AtomicOperation.Fetch, AtomicOperation.Or | AtomicOperation.Fetch,
        AtomicOperation.And | AtomicOperation.Fetch, AtomicOperation.Xor | AtomicOperation.Fetch,
        AtomicOperation.Xchg, AtomicOperation.Cmpxchg, AtomicOperation.LoadAcquire, AtomicOperation.StoreRelease,
        5, 10, 0x10001,
    ];

    private static readonly short[] InterestingOffsets = [0, 0, 1, 8, 16, 32, -1, -8, 0x7fff, short.MinValue];

    /// <summary>One valid instruction: one slot, or two for an ld_imm64.</summary>
    public static Instruction[] Next(Random random)
    {
        // Pick the opcode first and retry only its fields, so that rare variants (bswap, movsx) are as common as plain ALU.
        byte opcode = ValidOpcodes[random.Next(ValidOpcodes.Length)];
        while (true)
        {
            byte dst = Field(random, () => (byte)random.Next(11));
            byte src = Field(random, () => (byte)random.Next(11));
            short off = random.Next(3) == 0 ? (short)random.Next(short.MinValue, short.MaxValue + 1) : Field(random, () => InterestingOffsets[random.Next(InterestingOffsets.Length)]);
            int imm = random.Next(3) == 0 ? random.Next(int.MinValue, int.MaxValue) : Field(random, () => InterestingImmediates[random.Next(InterestingImmediates.Length)]);
            var first = new Instruction(opcode, dst, src, off, imm);
            Instruction[] program = first.IsLoadImm64
                ? [first, new Instruction(0, 0, 0, 0, random.Next(2) == 0 ? 0 : random.Next(int.MinValue, int.MaxValue))]
                : [first];
            if (OpcodeTable.Describe(program, 0).IsValid) return program;
        }
    }

    private static T Field<T>(Random random, Func<T> value) where T : struct => random.Next(2) == 0 ? default : value();
}
