using BpfSharp.Kernel;
using BpfSharp.Loader;
using BpfSharp.Stats;
using BpfSharp.Tests.TestSupport;
using Xunit.Abstractions;

namespace BpfSharp.Tests.Kernel;

/// <summary>
/// Every program of every valid corpus object gets a verdict from the kernel, or a distinct "did not reach the
/// verifier" with its reason; never a crash, never an unexplained outcome.
/// </summary>
public class KernelCorpusTests(ITestOutputHelper output)
{
    [KernelFact]
    public void Every_corpus_program_gets_a_verdict_or_a_reason()
    {
        Assert.True(TestCorpus.Directory is not null, TestCorpus.SkipReason);
        var counts = new SortedDictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(TestCorpus.Directory!, "*.o", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string folder = Path.GetFileName(Path.GetDirectoryName(path)!);
            ObjectSpec spec;
            try
            {
                spec = ObjectLoader.LoadFile(path);
            }
            catch (BpfFormatException)
            {
                Assert.Equal("invalid", folder);
                continue;
            }
            using var obj = KernelObject.Create(spec);
            foreach (var program in spec.Programs)
            {
                var r = obj.Verify(program).Result;
                if (!counts.TryGetValue(folder, out var c)) counts[folder] = c = new int[3];
                c[r.Verdict switch { Verdict.Success => 0, Verdict.Failure => 1, _ => 2 }]++;
                switch (r.Verdict)
                {
                    case Verdict.Success:
                        Assert.NotNull(r.TotalInstructions);
                        break;
                    case Verdict.Failure:
                        Assert.NotNull(r.TotalInstructions);
                        Assert.False(string.IsNullOrWhiteSpace(r.Message), $"{path}/{program.Name}: rejected without a message");
                        break;
                    case Verdict.NotVerified:
                        Assert.False(string.IsNullOrWhiteSpace(r.Message), $"{path}/{program.Name}: not verified without a reason");
                        break;
                    default:
                        Assert.Fail($"{path}/{program.Name}: unexpected verdict {r.Verdict}");
                        break;
                }
            }
        }
        foreach (var (folder, c) in counts) output.WriteLine($"{folder}: {c[0]} success, {c[1]} failure, {c[2]} did not reach the verifier");
        Assert.True(counts.Values.Sum(c => c[0]) >= 150);
    }
}
