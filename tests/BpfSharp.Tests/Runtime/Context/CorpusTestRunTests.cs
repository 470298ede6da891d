using System.Diagnostics;
using BpfSharp.Loader;
using BpfSharp.Runtime.Context;
using BpfSharp.Runtime.Packets;
using BpfSharp.Tests.TestSupport;
using Xunit.Abstractions;

namespace BpfSharp.Tests.Runtime.Context;

/// <summary>
/// Corpus programs through BPF_PROG_TEST_RUN with a small seeded packet set: the kernel half of the runtime's
/// differential test, checked for the facts the context tables promise.
/// </summary>
public class CorpusTestRunTests(ITestOutputHelper output)
{
    // A small fixed set: valid IPv4/IPv6/VLAN/ARP frames and a few malformed ones, from seed 2024.
    private static readonly GeneratedPacket[] Packets = [.. new PacketGenerator(2024).EveryKind().Where((_, i) => i % 6 == 0)];

    [KernelCorpusFact]
    public void Corpus_programs_of_test_run_types_run_generated_packets_as_the_context_tables_predict()
    {
        var clock = Stopwatch.StartNew();
        var candidates = KernelTestRunOracle.Candidates().ToList();
        int ran = 0, runs = 0, refusedRuns = 0;
        var refused = new List<string>();
        foreach (var (candidate, results, reason) in KernelTestRunOracle.Run(candidates, Packets))
        {
            if (results is null)
            {
                refused.Add($"{candidate.Key} ({KernelNames.Of(candidate.Program.Type)}): {reason}");
                continue;
            }
            ran++;
            foreach (var run in results)
            {
                // The kernel takes exactly the frames the context image takes, and returns a frame as long as the
                // input whenever the program cannot change its size (socket filters).
                var image = ContextImage.Build(candidate.Program.Type, run.Input);
                Assert.True(image.Errno == run.Errno, $"{candidate.Key} on {run.PacketLabel}: kernel errno {run.Errno}, image {image.Errno} ({image.Reason})");
                if (run.Errno != 0) { refusedRuns++; continue; }
                runs++;
                if (candidate.Program.Type == ProgramType.SocketFilter)
                    Assert.Equal([.. new byte[14], .. run.Input[14..]], run.Output);
            }
        }
        output.WriteLine($"{candidates.Count} corpus programs of test-run types; {ran} loaded and ran {Packets.Length} packets each " +
                         $"({runs} runs, {refusedRuns} refused inputs) in {clock.ElapsedMilliseconds} ms");
        output.WriteLine($"with maps: {candidates.Count(c => c.UsesMaps)}; with tail calls: {candidates.Count(c => c.TailCalls)}");
        output.WriteLine($"not loaded ({refused.Count}):\n  " + string.Join("\n  ", refused));
        Assert.True(ran > 0, "no corpus program ran");
    }
}
