using BpfSharp.Isa;
using BpfSharp.Loader;
using BpfSharp.Runtime;
using BpfSharp.Runtime.Packets;
using BpfSharp.Tests.TestSupport;
using Xunit.Abstractions;

namespace BpfSharp.Tests.Runtime;

/// <summary>
/// The runtime against the kernel on real programs: every corpus program of a test-run type (socket_filter,
/// sched_cls, xdp) that the kernel loads gets the same seeded packets, in the same order, through BPF_PROG_TEST_RUN
/// and through <see cref="ProgramRunner"/>; return value and output packet must be equal for every packet, and an
/// input the kernel refuses must be refused with the same errno. A program the runtime cannot run (a helper or map
/// type it does not implement) is listed with the reason, never compared on a guess.
/// </summary>
public class ProgramRunnerKernelDifferentialTests(ITestOutputHelper output)
{
    private static readonly string[] UnsupportedMarks = ["not implemented by the userspace runtime", "not supported by the userspace runtime", "has no runtime map", "does not model"];

    // Helpers whose results neither side can repeat (randomness, clocks, the CPU a run lands on).
    private static readonly int[] NondeterministicHelpers = [5, 7, 8, 125, 160, 208];

    private static string? Nondeterministic(ProgramSpec program)
    {
        foreach (var insn in program.Instructions)
            if (insn.Opcode == 0x85 && insn.Src == 0 && NondeterministicHelpers.Contains(insn.Immediate))
                return $"calls {HelperFunctions.NameOf(insn.Immediate)}";
        return null;
    }

    private static GeneratedPacket[] Packets()
    {
        int extra = int.TryParse(Environment.GetEnvironmentVariable("BPFSHARP_DIFF_PACKETS"), out int n) ? n : 24;
        var generator = new PacketGenerator(20261122);
        return [.. generator.EveryKind().Where((_, i) => i % 4 == 0), .. generator.Take(extra)];
    }

    [KernelCorpusFact]
    public void Corpus_programs_return_what_the_kernel_returns_and_leave_the_same_packet()
    {
        var packets = Packets();
        int programs = 0, compared = 0, refusedAlike = 0, notLoaded = 0;
        var unsupported = new List<string>();
        var nondeterministic = new List<string>();
        var mismatches = new List<string>();
        foreach (var (candidate, runs, refused) in KernelTestRunOracle.Run(KernelTestRunOracle.Candidates(), packets))
        {
            if (runs is null)
            {
                notLoaded++;
                continue;
            }
            if (Nondeterministic(candidate.Program) is { } why)
            {
                nondeterministic.Add($"{candidate.Key}: {why}");
                continue;
            }
            var runner = ProgramRunner.Create(candidate.Object, candidate.Program, fillProgramArrays: false);
            var problems = new List<string>();
            string? unsupportedReason = null;
            int programCompared = 0;
            foreach (var kernel in runs)
            {
                var ours = runner.Run(kernel.Input);
                if (kernel.Errno != 0 || ours.Errno != 0)
                {
                    if (kernel.Errno == ours.Errno) refusedAlike++;
                    else problems.Add($"{kernel.PacketLabel}: kernel errno {kernel.Errno}, runtime errno {ours.Errno} ({ours.Error})");
                    continue;
                }
                if (ours.Error is { } error)
                {
                    if (UnsupportedMarks.Any(error.Contains))
                    {
                        unsupportedReason = error;
                        break;
                    }
                    problems.Add($"{kernel.PacketLabel}: kernel returned {kernel.ReturnValue}, the runtime stopped: {error}");
                    continue;
                }
                programCompared++;
                if ((uint)ours.ReturnValue != kernel.ReturnValue)
                    problems.Add($"{kernel.PacketLabel}: return value kernel {kernel.ReturnValue}, runtime {(uint)ours.ReturnValue}");
                else if (!kernel.Output.AsSpan().SequenceEqual(ours.Data))
                    problems.Add($"{kernel.PacketLabel}: output packet differs (kernel {kernel.Output.Length} bytes {Convert.ToHexString(kernel.Output)}, runtime {ours.Data!.Length} bytes {Convert.ToHexString(ours.Data)})");
            }
            if (unsupportedReason is not null)
            {
                unsupported.Add($"{candidate.Key}: {unsupportedReason}");
                continue;
            }
            programs++;
            compared += programCompared;
            if (problems.Count > 0) mismatches.Add($"{candidate.Key} ({KernelNames.Of(candidate.Program.Type)}):\n    " + string.Join("\n    ", problems.Take(5)));
        }
        output.WriteLine($"{programs} corpus programs compared on {packets.Length} packets each: {compared} runs compared, {refusedAlike} inputs refused alike; " +
                         $"{notLoaded} not loaded by the kernel; {unsupported.Count} need what the runtime does not implement:\n  " + string.Join("\n  ", unsupported) +
                         $"\n{nondeterministic.Count} not comparable (random or time-dependent results):\n  " + string.Join("\n  ", nondeterministic));
        Assert.True(programs > 0, "no corpus program was compared");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} programs differ from the kernel:\n" + string.Join("\n", mismatches));
    }
}
