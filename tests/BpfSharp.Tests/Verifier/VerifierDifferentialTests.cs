using BpfSharp.Isa;
using BpfSharp.Loader;
using BpfSharp.Stats;
using BpfSharp.Tests.Isa;
using BpfSharp.Tests.TestSupport;
using Xunit.Abstractions;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// The same programs through the running kernel and through BpfSharp: every opcode byte, generated programs and
/// random instruction streams must get the same verdict, the same error line, and for generated programs the same
/// instructions processed and states. Seeded and bounded for CI (BPFSHARP_FUZZ_PROGRAMS, BPFSHARP_FUZZ_SEED).
/// </summary>
public class VerifierDifferentialTests(ITestOutputHelper output)
{
    private const int DefaultPrograms = 300;

    private static readonly VerifierFixtureMap[] NoMaps = [];

    private static VerifierFixture Fixture(string name, ProgramType type, Instruction[] insns, IReadOnlyList<VerifierFixtureMap>? maps = null) =>
        new(name, "", "differential", type, null, "GPL", maps ?? NoMaps, true, null, null, null, insns);

    private int _unsupported;

    /// <summary>
    /// Kernel and BpfSharp on one program; null when they agree, else the difference. A program BpfSharp honestly
    /// reports unsupported (kfuncs need the kernel's BTF) is counted apart, never as agreement.
    /// </summary>
    private string? Compare(VerifierFixture fixture, bool counts)
    {
        var kernel = KernelFixtureRunner.Run(fixture);
        var ours = BpfVerifierFixtureTests.Run(fixture).Result;
        string Describe(bool accepted, string? error, long? insns, long? states) =>
            (accepted ? "accept" : $"reject \"{error}\"") + (counts ? $" insns {insns} states {states}" : "");
        string k = Describe(kernel.Accepted, kernel.Error, kernel.Insns, kernel.States);
        if (ours.Verdict == Verdict.Unsupported)
        {
            _unsupported++;
            return null;
        }
        string o = Describe(ours.Verdict == Verdict.Success, ours.Message, ours.TotalInstructions, ours.TotalStates);
        return k == o ? null : $"{fixture.Name}: kernel {k}, bpfsharp {o}\n{VerifierFuzzTests.Text(fixture)}";
    }

    private void Conclude(string what, int total, List<string> differences)
    {
        output.WriteLine($"{what}: {total - differences.Count - _unsupported}/{total} agree, {_unsupported} unsupported by BpfSharp (seed {VerifierFuzzTests.Seed})");
        foreach (var d in differences) output.WriteLine(d.Split('\n')[0]);
        Assert.True(differences.Count == 0, $"{differences.Count} of {total} differ:\n" + string.Join("\n\n", differences.Take(10)));
    }

    [KernelFact]
    public void Every_opcode_byte_gets_the_kernels_answer()
    {
        var differences = new List<string>();
        for (int opcode = 0; opcode < 256; opcode++)
        {
            var insn = new Instruction((byte)opcode, 0, 0, 0, 0);
            Instruction[] program = opcode == 0x18
                ? [insn, new Instruction(0, 0, 0, 0, 0), new Instruction(0xb7, 0, 0, 0, 0), new Instruction(0x95, 0, 0, 0, 0)]
                : [new Instruction(0xb7, 0, 0, 0, 0), insn, new Instruction(0xb7, 0, 0, 0, 0), new Instruction(0x95, 0, 0, 0, 0)];
            if (Compare(Fixture($"opcode {opcode:x2}", ProgramType.SocketFilter, program), counts: false) is { } d) differences.Add(d);
        }
        Conclude("opcode bytes", 256, differences);
    }

    [KernelFact]
    public void Generated_programs_get_the_kernels_verdict()
    {
        var generator = new RandomVerifierPrograms(VerifierFuzzTests.Seed);
        var differences = new List<string>();
        int total = VerifierFuzzTests.Count(DefaultPrograms);
        for (int i = 0; i < total; i++)
            if (Compare(generator.Next(i), counts: true) is { } d) differences.Add(d);
        Conclude("generated programs", total, differences);
    }

    [KernelFact]
    public void Random_instruction_streams_get_the_kernels_verdict()
    {
        var random = new Random(VerifierFuzzTests.Seed);
        var differences = new List<string>();
        int total = VerifierFuzzTests.Count(DefaultPrograms);
        for (int i = 0; i < total; i++)
        {
            var insns = VerifierFuzzTests.RandomStream(random);
            var type = random.Next(2) == 0 ? ProgramType.SocketFilter : ProgramType.Xdp;
            if (Compare(Fixture($"random stream #{i}", type, insns), counts: false) is { } d) differences.Add(d);
        }
        Conclude("random instruction streams", total, differences);
    }
}
