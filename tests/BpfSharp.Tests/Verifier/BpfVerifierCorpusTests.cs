using BpfSharp.Stats;
using BpfSharp.Tests.TestSupport;
using BpfSharp.Verifier;
using Xunit.Abstractions;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// BpfSharp's verifier over the real objects of the corpus, folder by folder, against what the reference kernel
/// said (corpus-kernel-verdicts.tsv, kept true by <see cref="KernelCorpusVerdictsTests"/>): for every program the
/// kernel verified, the same verdict, the same error message and the same instructions processed, states and
/// peak states; never a program the kernel rejects accepted.
/// </summary>
public class BpfVerifierCorpusTests(ITestOutputHelper output)
{
    public static TheoryData<string> Folders() => new(CorpusPrograms.Folders);

    [CorpusTheory]
    [MemberData(nameof(Folders))]
    public void BpfSharp_agrees_with_the_kernel_on_the_corpus(string folder)
    {
        var recorded = CorpusKernelVerdict.Load(out _);
        int reached = 0, agree = 0, notReached = 0;
        var disagreements = new List<string>();
        var acceptedRejected = new List<string>();
        foreach (var (path, obj, program) in CorpusPrograms.In(folder))
        {
            string key = path + "/" + program.Name;
            Assert.True(recorded.TryGetValue(key, out var kernel), $"{key}: no recorded kernel answer (rerun CorpusKernelVerdictsGenerator)");
            var ours = BpfVerifier.Verify(obj, program).Result;
            if (kernel!.Verdict is not (Verdict.Success or Verdict.Failure))
            {
                notReached++;
                continue;
            }
            reached++;
            if (kernel.Verdict == Verdict.Failure && ours.Verdict == Verdict.Success) acceptedRejected.Add(key);
            var mine = KernelCorpusVerdictsTests.Record(path, program.Name, ours);
            if (mine.Verdict == kernel.Verdict) agree++;
            if (mine != kernel) disagreements.Add($"{key}\n    kernel   {kernel.ToLine()}\n    bpfsharp {mine.ToLine()}");
        }
        output.WriteLine($"{folder}: {reached} programs reached the kernel's verifier, verdict agreement {agree}/{reached}; {notReached} did not reach it");
        Assert.True(acceptedRejected.Count == 0, "accepted what the kernel rejects: " + string.Join(", ", acceptedRejected));
        Assert.True(disagreements.Count == 0,
            $"{disagreements.Count} of {reached} programs differ from the kernel (verdict, message, insns, states, peak states):\n" + string.Join("\n", disagreements));
    }
}
