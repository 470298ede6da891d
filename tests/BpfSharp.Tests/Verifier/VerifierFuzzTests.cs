using BpfSharp.Isa;
using BpfSharp.Loader;
using BpfSharp.Stats;
using BpfSharp.Tests.Isa;
using BpfSharp.Tests.TestSupport;
using BpfSharp.Verifier;
using Xunit.Abstractions;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// Whatever the instructions, the verifier answers with a verdict (or "unsupported"), never an exception or a hang:
/// random instruction streams, generated programs and mutated corpus programs. Seeded and bounded for CI; set
/// BPFSHARP_FUZZ_PROGRAMS for a longer run and BPFSHARP_FUZZ_SEED for other seeds.
/// </summary>
public class VerifierFuzzTests(ITestOutputHelper output)
{
    private const int DefaultPrograms = 1500;

    internal static int Count(int ciDefault) =>
        int.TryParse(Environment.GetEnvironmentVariable("BPFSHARP_FUZZ_PROGRAMS"), out int n) ? n : ciDefault;

    internal static int Seed => int.TryParse(Environment.GetEnvironmentVariable("BPFSHARP_FUZZ_SEED"), out int s) ? s : 20261122;

    private static VerificationResult Check(string what, Func<VerifierOutcome> verify)
    {
        VerifierOutcome outcome;
        try
        {
            outcome = verify();
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{what}: the verifier threw {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
        }
        var r = outcome.Result;
        // not_verified is an answer too: a map the kernel would refuse keeps the program from its verifier.
        Assert.True(r.Verdict is Verdict.Success or Verdict.Failure or Verdict.Unsupported or Verdict.NotVerified, $"{what}: verdict {r.Verdict}");
        if (r.Verdict != Verdict.Success) Assert.False(string.IsNullOrWhiteSpace(r.Message), $"{what}: {r.Verdict} without a message");
        return r;
    }

    private void Report(string what, IEnumerable<VerificationResult> results)
    {
        var counts = results.GroupBy(r => r.Verdict).OrderBy(g => g.Key).Select(g => $"{g.Count()} {VerdictNames.ToText(g.Key)}");
        output.WriteLine($"{what}: {string.Join(", ", counts)} (seed {Seed})");
        foreach (var g in results.Where(r => r.Message is not null).GroupBy(r => Shape(r.Message!)).OrderByDescending(g => g.Count()).Take(12))
            output.WriteLine($"  {g.Count(),5}  {g.Key}");
    }

    [Fact]
    public void Random_instruction_streams_get_a_verdict()
    {
        var random = new Random(Seed);
        var results = new List<VerificationResult>();
        for (int i = 0; i < Count(DefaultPrograms); i++)
        {
            var insns = RandomStream(random);
            var type = random.Next(2) == 0 ? ProgramType.SocketFilter : ProgramType.Xdp;
            results.Add(Check($"random stream #{i} ({type}): {string.Join("; ", Disassembler.Lines(insns).Select(l => l.Text))}",
                () => BpfVerifier.Verify(insns, type)));
        }
        Report("random streams", results);
        Assert.Contains(results, r => r.Verdict == Verdict.Failure);
    }

    [Fact]
    public void Generated_programs_get_a_verdict()
    {
        var generator = new RandomVerifierPrograms(Seed);
        var results = new List<VerificationResult>();
        for (int i = 0; i < Count(DefaultPrograms); i++)
        {
            var fixture = generator.Next(i);
            results.Add(Check($"{fixture.Name}:\n{Text(fixture)}", () => BpfVerifierFixtureTests.Run(fixture, logLevel: 2)));
        }
        Report("generated programs", results);
        // The generator is meant to reach deep: a fair share must be accepted, and some rejected.
        Assert.True(results.Count(r => r.Verdict == Verdict.Success) > results.Count / 10, "too few generated programs accepted");
        Assert.Contains(results, r => r.Verdict == Verdict.Failure);
    }

    [CorpusFact]
    public void Mutated_corpus_programs_get_a_verdict()
    {
        var random = new Random(Seed);
        var programs = CorpusPrograms.Folders.SelectMany(CorpusPrograms.In)
            .Where(p => p.Program.Type != ProgramType.Unspec && p.Program.Problems.Count == 0).ToArray();
        var results = new List<VerificationResult>();
        int total = Count(DefaultPrograms);
        for (int i = 0; i < total; i++)
        {
            var (path, obj, program) = programs[random.Next(programs.Length)];
            var original = program.Instructions;
            var mutated = (Instruction[])original.Clone();
            int flips = random.Next(1, 4);
            for (int f = 0; f < flips; f++)
            {
                int at = random.Next(mutated.Length);
                var x = mutated[at];
                mutated[at] = random.Next(5) switch
                {
                    0 => new Instruction((byte)random.Next(256), x.Dst, x.Src, x.Offset, x.Immediate),
                    1 => new Instruction(x.Opcode, (byte)random.Next(16), x.Src, x.Offset, x.Immediate),
                    2 => new Instruction(x.Opcode, x.Dst, (byte)random.Next(16), x.Offset, x.Immediate),
                    3 => new Instruction(x.Opcode, x.Dst, x.Src, (short)(x.Offset + random.Next(-9, 10)), x.Immediate),
                    _ => new Instruction(x.Opcode, x.Dst, x.Src, x.Offset, random.Next(3) == 0 ? random.Next() : x.Immediate + random.Next(-9, 10)),
                };
            }
            program.Instructions = mutated;
            try
            {
                results.Add(Check($"{path}/{program.Name} mutated (#{i})", () => BpfVerifier.Verify(obj, program)));
            }
            finally
            {
                program.Instructions = original;
            }
        }
        Report("mutated corpus programs", results);
        Assert.Contains(results, r => r.Verdict == Verdict.Failure);
    }

    /// <summary>
    /// Random valid instructions, usually ending in exit, with most jump offsets pulled into the program so the
    /// streams get past the control-flow check.
    /// </summary>
    internal static Instruction[] RandomStream(Random random)
    {
        var program = new List<Instruction>();
        int length = random.Next(1, 40);
        while (program.Count < length) program.AddRange(RandomInstructions.Next(random));
        if (random.Next(4) != 0) program.Add(new Instruction(0x95, 0, 0, 0, 0));
        for (int i = 0; i < program.Count; i++)
        {
            var x = program[i];
            if (x.IsLoadImm64) { i++; continue; }
            bool jump = (x.Opcode & 0x07) is 0x05 or 0x06 && (x.Opcode & 0xf0) is not (0x80 or 0x90);
            if (jump && random.Next(5) != 0)
            {
                short off = (short)random.Next(-i - 1, program.Count - i - 1);
                program[i] = x.Opcode == 0x06 ? new Instruction(x.Opcode, x.Dst, x.Src, x.Offset, off) : new Instruction(x.Opcode, x.Dst, x.Src, off, x.Immediate);
            }
        }
        return program.ToArray();
    }

    /// <summary>A message with its numbers blanked, to group similar rejections.</summary>
    private static string Shape(string message) => System.Text.RegularExpressions.Regex.Replace(message, "-?[0-9]+", "N");

    internal static string Text(VerifierFixture fixture) =>
        $"# type {KernelNames.Of(fixture.ProgramType)}\n" +
        string.Join("\n", Disassembler.Lines(fixture.Instructions).Select(l => $"{l.Index,4}: {l.Text}"));
}
