using System.Text.RegularExpressions;
using BpfSharp.Isa;
using BpfSharp.Kernel;
using BpfSharp.Loader;
using BpfSharp.Tests.TestSupport;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// The scalar tracking printed the kernel's way: pinned kernel logs replayed offline, the same programs
/// checked against the running kernel, and random scalar programs compared with the running kernel.
/// </summary>
public partial class ScalarKernelLogTests
{
    [Theory]
    [MemberData(nameof(ScalarKernelLogCases.All), MemberType = typeof(ScalarKernelLogCases))]
    public void A_pinned_kernel_log_is_reproduced(string name, string program, string log)
    {
        var problems = ScalarDiffChecker.Check(Assembler.Assemble(program), log, out int compared);
        Assert.True(problems.Count == 0, $"{name}: {string.Join("\n", problems)}");
        Assert.True(compared > 0, name);
    }

    [KernelTheory]
    [MemberData(nameof(ScalarKernelLogCases.All), MemberType = typeof(ScalarKernelLogCases))]
    public void The_running_kernel_still_prints_the_pinned_log(string name, string program, string log)
    {
        string live = Load(program).Log;
        var liveLines = live.Split('\n').Select(Normalize).ToHashSet();
        foreach (string line in log.Split('\n').Where(l => StateLine().IsMatch(l)))
            Assert.True(liveLines.Contains(Normalize(line)), $"{name}: the kernel no longer prints '{line}'");
    }

    [KernelFact]
    public void Random_scalar_programs_print_as_the_kernel_prints_them()
    {
        int compared = 0;
        for (int seed = 1; seed <= 600; seed++)
        {
            var p = ScalarDiffProgram.Generate(new Random(seed), 40, small: seed % 2 == 0);
            string asm = p.ToAssembly();
            var result = Load(asm);
            Assert.True(result.Succeeded, $"seed {seed}: the kernel rejected\n{asm}\n{result.Log}");
            var problems = ScalarDiffChecker.Check(Assembler.Assemble(asm), result.Log, out int n);
            if (problems.Count > 0) Assert.Fail($"seed {seed}: {problems[0]}\n{asm}");
            compared += n;
        }
        Assert.True(compared > 10_000, $"only {compared} register states compared");
    }

    private static ProgramLoadResult Load(string text)
    {
        var r = KernelProgram.Load(new ProgramLoadRequest
        {
            Type = ProgramType.SocketFilter, Instructions = Assembler.Assemble(text), LogLevel = ProgramLoadRequest.LogVerbose,
        });
        r.Program?.Dispose();
        return r;
    }

    private static string Normalize(string line) => Whitespace().Replace(line.Trim(), " ");

    [GeneratedRegex(@"^(\d+: \(|from \d+ to |verifier bug)")]
    private static partial Regex StateLine();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
