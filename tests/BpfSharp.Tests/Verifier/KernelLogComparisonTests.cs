using System.Text;
using System.Text.RegularExpressions;
using BpfSharp.Kernel;
using BpfSharp.Stats;
using BpfSharp.Tests.TestSupport;
using BpfSharp.Verifier;
using Xunit.Abstractions;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// BpfSharp's verifier log against the kernel's, line for line, for every corpus program the kernel verifies, at
/// level 1 (the rejected path, or only the statistics) and level 2 (every instruction with its state changes,
/// liveness, precision backtracking). Normalised only where an offline verifier cannot know the answer: the
/// verification time, the kernel address a map reference is patched to (BpfSharp prints the map's name), and the
/// CO-RE relocation lines the kernel writes while it resolves types against its own BTF. Programs with CO-RE
/// relocations are left out: the kernel rewrites their offsets from its own BTF, which BpfSharp does not apply yet.
/// </summary>
public partial class KernelLogComparisonTests(ITestOutputHelper output)
{
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var folder in CorpusPrograms.Folders)
        {
            data.Add(folder, 1);
            data.Add(folder, 2);
        }
        return data;
    }

    // Anywhere on a line: some kernel messages end without a newline (e.g. "expected prog array map for tail call").
    [GeneratedRegex(@"verification time \d+ usec")]
    private static partial Regex Time();

    [GeneratedRegex(@"(r\d) = (0x[0-9a-f]{16}|map(_value)?\[[^\]]*\](\+\d+)?)")]
    private static partial Regex MapReference();

    [GeneratedRegex(@" +;")]
    private static partial Regex AlignedComment();

    private static readonly string[] CoreRelocationPrefixes =
        ["CO-RE relocating ", "prog '': relo #", "vmlinux_cand_cache:", "module_cand_cache:"];

    internal static string Normalize(string log)
    {
        var sb = new StringBuilder();
        foreach (var line in log.Split('\n'))
        {
            if (CoreRelocationPrefixes.Any(p => line.StartsWith(p, StringComparison.Ordinal))) continue;
            string text = Time().Replace(line, "verification time T usec");
            sb.Append(AlignedComment().Replace(MapReference().Replace(text, "$1 = MAP"), " ;")).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>The first differing line, with a little context.</summary>
    private static string FirstDifference(string kernel, string ours)
    {
        var k = kernel.Split('\n');
        var o = ours.Split('\n');
        for (int i = 0; i < Math.Max(k.Length, o.Length); i++)
        {
            string kl = i < k.Length ? k[i] : "<end>", ol = i < o.Length ? o[i] : "<end>";
            if (kl != ol) return $"line {i + 1}:\n  kernel:   {kl}\n  bpfsharp: {ol}";
        }
        return "";
    }

    [KernelTheory]
    [MemberData(nameof(Cases))]
    public void BpfSharp_writes_the_kernels_log(string folder, int level)
    {
        Assert.True(TestCorpus.Directory is not null, TestCorpus.SkipReason);
        var differences = new List<string>();
        int compared = 0, withCore = 0;
        foreach (var group in CorpusPrograms.In(folder).GroupBy(p => p.Path))
        {
            using var kernel = KernelObject.Create(group.First().Object);
            foreach (var (path, obj, program) in group)
            {
                if (program.CoreRelocations.Count > 0)
                {
                    withCore++;
                    continue;
                }
                var k = kernel.Verify(program, new VerifyOptions { LogLevel = (uint)level }).Result;
                if (k.Verdict is not (Verdict.Success or Verdict.Failure)) continue;
                var ours = BpfVerifier.Verify(obj, program, new VerifierOptions { LogLevel = level }).Result;
                if (ours.Verdict == Verdict.Unsupported) continue;
                compared++;
                string kl = Normalize(k.Log), ol = Normalize(ours.Log);
                if (kl != ol) differences.Add($"{path}/{program.Name}: {FirstDifference(kl, ol)}");
            }
        }
        output.WriteLine($"{folder}, level {level}: {compared - differences.Count}/{compared} logs identical" +
            (withCore > 0 ? $"; {withCore} programs with CO-RE relocations not compared" : ""));
        Assert.True(differences.Count == 0, $"{differences.Count} of {compared} logs differ:\n" + string.Join("\n", differences));
    }
}
