using System.Diagnostics;
using BpfSharp.Isa;
using BpfSharp.Runtime;
using BpfSharp.Runtime.Conformance;

namespace BpfSharp.Tests.Runtime;

/// <summary>
/// Seeded fuzzing of the interpreter with unverified programs: random instruction streams and mutated conformance
/// programs, run with a budget. Whatever a program does, only <see cref="BpfRuntimeException"/> may escape, every run
/// ends, and no byte outside the regions it was given changes (guard bytes around every backing array). The CI size
/// is bounded; set BPFSHARP_FUZZ_RUNTIME=N for a larger run.
/// </summary>
public class InterpreterFuzzTests
{
    private const int Guard = 64;
    private const byte Canary = 0xa5;

    private static int Iterations =>
        int.TryParse(Environment.GetEnvironmentVariable("BPFSHARP_FUZZ_RUNTIME"), out int n) && n > 0 ? n : 4000;

    // Opcodes worth hitting often: every valid one, plus a few invalid ones.
    private static readonly byte[] Opcodes = Enumerable.Range(0, 256).Select(i => (byte)i)
        .Where(op => new RuntimeProgram([new Instruction(op, 0, 0, 0, 0)]).Errors[0] is null || op % 17 == 0).ToArray();

    private static readonly int[] HelperIds = [.. CoreHelpers.All.Select(h => h.Id), 9, 0, 211, 4096];

    [Fact]
    public void Random_programs_only_ever_raise_runtime_errors_and_never_touch_memory_outside_their_regions()
    {
        var random = new Random(20250605);
        var seeds = ConformanceSuite.Directory is null
            ? []
            : ConformanceSuite.Files.Select(f => ConformanceTestReader.ReadFile(ConformanceSuite.PathOf(f)).Instructions).ToArray();
        var options = new InterpreterOptions { InstructionBudget = 20_000, MayGotoLimit = 50 };
        var watch = Stopwatch.StartNew();
        int completed = 0, stopped = 0;
        for (int iteration = 0; iteration < Iterations; iteration++)
        {
            Instruction[] program = seeds.Length > 0 && random.Next(2) == 0
                ? Mutate(seeds[random.Next(seeds.Length)], random)
                : RandomProgram(random);
            var packet = Guarded(random.Next(0, 80), random);
            var ctx = Guarded(24, random);
            var value = Guarded(16, random);
            var map = new TestArrayMap("values", 16, 2);
            var table = new TestProgArray(2);
            var runtimeProgram = new RuntimeProgram(program, [map, table], "fuzz");
            table.Programs[random.Next(2)] = runtimeProgram;
            var interpreter = new Interpreter(options);
            ulong packetAddress = interpreter.Memory.Map(new MemorySlice(packet, Guard, packet.Length - 2 * Guard), MemoryRegionKind.Packet, "packet", writable: true);
            ulong ctxAddress = interpreter.Memory.Map(new MemorySlice(ctx, Guard, 24), MemoryRegionKind.Context, "ctx", writable: random.Next(2) == 0,
                [new ContextPointerField(0, 4, _ => packetAddress), new ContextPointerField(4, 4, _ => packetAddress + (ulong)(packet.Length - 2 * Guard))]);
            interpreter.Memory.Map(new MemorySlice(value, Guard, 16), MemoryRegionKind.HelperMemory, "value", writable: false);
            ulong r1 = random.Next(3) switch { 0 => packetAddress, 1 => ctxAddress, _ => (ulong)random.NextInt64() };
            try
            {
                interpreter.Run(runtimeProgram, r1, (ulong)(packet.Length - 2 * Guard), (ulong)random.Next(64));
                completed++;
            }
            catch (BpfRuntimeException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                stopped++;
            }
            catch (Exception e)
            {
                Assert.Fail($"iteration {iteration}: {e.GetType().Name} escaped: {e.Message}\n{string.Join("\n", program.Select(i => i.ToString()))}");
            }
            AssertGuards(packet, iteration, "packet");
            AssertGuards(ctx, iteration, "ctx");
            AssertGuards(value, iteration, "value");
            Assert.True(value.AsSpan(Guard, 16).ToArray().All(b => b == 0x11), $"iteration {iteration}: a read-only region was written");
        }
        // Both outcomes must occur, or the fuzzer is not exercising anything.
        Assert.True(completed > Iterations / 50, $"only {completed} runs completed");
        Assert.True(stopped > Iterations / 50, $"only {stopped} runs stopped with an error");
        Assert.True(watch.Elapsed < TimeSpan.FromMinutes(2), $"fuzzing took {watch.Elapsed}");
    }

    private static byte[] Guarded(int length, Random random)
    {
        var bytes = new byte[length + 2 * Guard];
        Array.Fill(bytes, Canary);
        if (length == 16) bytes.AsSpan(Guard, length).Fill(0x11);
        else random.NextBytes(bytes.AsSpan(Guard, length));
        return bytes;
    }

    private static void AssertGuards(byte[] bytes, int iteration, string what)
    {
        for (int i = 0; i < Guard; i++)
        {
            Assert.True(bytes[i] == Canary, $"iteration {iteration}: guard byte {i} before {what} changed");
            Assert.True(bytes[^(i + 1)] == Canary, $"iteration {iteration}: guard byte after {what} changed");
        }
    }

    private static Instruction RandomInstruction(Random random, int length)
    {
        byte op = random.Next(8) == 0 ? (byte)random.Next(256) : Opcodes[random.Next(Opcodes.Length)];
        byte dst = (byte)(random.Next(10) == 0 ? random.Next(16) : random.Next(11));
        byte src = (byte)(random.Next(10) == 0 ? random.Next(16) : random.Next(11));
        short offset = random.Next(3) switch
        {
            0 => (short)random.Next(-length - 1, length + 1),
            1 => (short)(random.Next(-64, 64) * (random.Next(2) == 0 ? 1 : 8)),
            _ => (short)random.Next(short.MinValue, short.MaxValue + 1),
        };
        int imm = random.Next(5) switch
        {
            0 => random.Next(-length, length),
            1 => random.Next(-8, 80),
            2 => HelperIds[random.Next(HelperIds.Length)],
            3 => new[] { 0, 1, 8, 16, 32, 64, -1, int.MinValue, int.MaxValue, 0x100, 0x110, 0xe1, 0xf1, 0x41, 0x51, 0xa1 }[random.Next(16)],
            _ => random.Next(int.MinValue, int.MaxValue),
        };
        if (op == 0x85 && random.Next(2) == 0) imm = HelperIds[random.Next(HelperIds.Length)];
        if (op == 0x18) src = (byte)random.Next(8);
        if (op == 0x85) src = (byte)random.Next(4);
        return new Instruction(op, dst, src, offset, imm);
    }

    private static Instruction[] RandomProgram(Random random)
    {
        int length = random.Next(1, 48);
        var program = new Instruction[length];
        for (int i = 0; i < length; i++) program[i] = RandomInstruction(random, length);
        if (random.Next(4) != 0) program[^1] = new Instruction(0x95, 0, 0, 0, 0);
        return program;
    }

    private static Instruction[] Mutate(Instruction[] seed, Random random)
    {
        var program = (Instruction[])seed.Clone();
        int mutations = random.Next(1, 4);
        for (int m = 0; m < mutations && program.Length > 0; m++)
        {
            int i = random.Next(program.Length);
            var insn = program[i];
            program[i] = random.Next(5) switch
            {
                0 => RandomInstruction(random, program.Length),
                1 => insn.WithOffset((short)(insn.Offset + random.Next(-4, 5))),
                2 => insn.WithImmediate(insn.Immediate ^ (1 << random.Next(32))),
                3 => new Instruction(insn.Opcode, (byte)random.Next(11), insn.Src, insn.Offset, insn.Immediate),
                _ => new Instruction((byte)(insn.Opcode ^ (1 << random.Next(8))), insn.Dst, insn.Src, insn.Offset, insn.Immediate),
            };
        }
        return program;
    }
}
