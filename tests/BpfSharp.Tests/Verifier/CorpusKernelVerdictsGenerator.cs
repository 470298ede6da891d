using BpfSharp.Kernel;
using BpfSharp.Tests.TestSupport;

namespace BpfSharp.Tests.Verifier;

/// <summary>Records the running kernel's verdicts on the corpus into corpus-kernel-verdicts.tsv.</summary>
public class CorpusKernelVerdictsGenerator
{
    [RegenerateFact]
    public void Regenerate_the_corpus_kernel_verdicts()
    {
        Assert.True(TestCorpus.Directory is not null, TestCorpus.SkipReason);
        var lines = new List<string>
        {
            "# kernel " + KernelProbe.Release(),
            "# What the reference kernel's verifier says about every corpus program (path, program, verdict, insns",
            "# processed, total states, peak states, error message or reason). Written by CorpusKernelVerdictsGenerator",
            "# (BPFSHARP_REGENERATE=1, as root); read by BpfVerifierCorpusTests and checked live by KernelCorpusVerdictsTests.",
        };
        foreach (var folder in CorpusPrograms.Folders)
        {
            foreach (var group in CorpusPrograms.In(folder).GroupBy(p => p.Path))
            {
                using var kernel = KernelObject.Create(group.First().Object);
                foreach (var (path, _, program) in group)
                    lines.Add(KernelCorpusVerdictsTests.Record(path, program.Name, kernel.Verify(program).Result).ToLine());
            }
        }
        File.WriteAllLines(TestObjects.InRepository(CorpusKernelVerdict.FileName), lines);
    }
}
