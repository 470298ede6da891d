using BpfSharp.Kernel;
using BpfSharp.Stats;
using BpfSharp.Tests.TestSupport;
using Xunit.Abstractions;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// corpus-kernel-verdicts.tsv still tells what the running kernel says: every corpus program loaded again, its
/// verdict, counts and message compared with the recorded line. Keeps the kernel-free agreement tests honest.
/// </summary>
public class KernelCorpusVerdictsTests(ITestOutputHelper output)
{
    /// <summary>Release the recorded answers come from; kept in step with the file's first line by a test below.</summary>
    public const string RecordedOn = "6.18.44-fc-v445";

    internal static CorpusKernelVerdict Record(string path, string program, VerificationResult r) =>
        new(path, program, r.Verdict, r.TotalInstructions, r.TotalStates, r.PeakStates, r.Message ?? "");

    [Fact]
    public void The_recorded_file_names_its_kernel()
    {
        CorpusKernelVerdict.Load(out var kernel);
        Assert.Equal(RecordedOn, kernel);
    }

    [RecordedKernelFact(RecordedOn)]
    public void The_recorded_verdicts_are_what_the_running_kernel_says()
    {
        var recorded = CorpusKernelVerdict.Load(out _);
        var differences = new List<string>();
        int checkedCount = 0;
        foreach (var folder in CorpusPrograms.Folders)
        {
            foreach (var group in CorpusPrograms.In(folder).GroupBy(p => p.Path))
            {
                using var kernel = KernelObject.Create(group.First().Object);
                foreach (var (path, _, program) in group)
                {
                    var now = Record(path, program.Name, kernel.Verify(program).Result);
                    checkedCount++;
                    if (!recorded.TryGetValue(now.Key, out var then)) differences.Add($"{now.Key}: not recorded");
                    else if (then != now) differences.Add($"{now.Key}: recorded {then.ToLine()}\n    kernel now {now.ToLine()}");
                }
            }
        }
        output.WriteLine($"{checkedCount} corpus programs compared with the recorded answers");
        Assert.True(differences.Count == 0,
            $"{differences.Count} recorded answers are stale (rerun CorpusKernelVerdictsGenerator):\n" + string.Join("\n", differences));
    }
}
