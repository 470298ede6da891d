using BpfSharp.Kernel;
using BpfSharp.Loader;
using BpfSharp.Tests.TestSupport;
using BpfSharp.Verifier;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// Small objects in tests/objects/verifier, each reproducing a disagreement with the kernel once found on real
/// programs (linked scalars through alu32 and stale deltas, packet pointers after transitive pulls and tail calls,
/// sign-extending ctx loads, sleepable programs, sockmap lookups as references, bpf_spin_lock found through the
/// value's BTF, tail calls in subprograms, bpf_loop flags precision, sk_lookup contexts, reads through socket pointers,
/// bpf_get_retval in cgroup_device/sysctl, writable raw tracepoints). What the kernel said is recorded in
/// kernel-verdicts.tsv beside them (checked live below); BpfSharp must say the same.
/// </summary>
public class VerifierRegressionObjectTests
{
    private const string Folder = "tests/objects/verifier";
    private const string Recorded = Folder + "/kernel-verdicts.tsv";

    private static string[] Files() =>
        Directory.GetFiles(TestObjects.InRepository(Folder), "*.o").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();

    public static TheoryData<string> Objects() => new(Files());

    private static IEnumerable<(ObjectSpec Object, ProgramSpec Program)> Programs(string file)
    {
        var obj = ObjectLoader.LoadFile(Path.Combine(TestObjects.InRepository(Folder), file));
        return obj.Programs.Select(p => (obj, p));
    }

    [Theory]
    [MemberData(nameof(Objects))]
    public void BpfSharp_says_what_the_kernel_said(string file)
    {
        var recorded = CorpusKernelVerdict.Load(Recorded, out _);
        foreach (var (obj, program) in Programs(file))
        {
            var key = file + "/" + program.Name;
            Assert.True(recorded.TryGetValue(key, out var kernel), $"{key}: no recorded kernel answer (rerun with BPFSHARP_REGENERATE=1)");
            var ours = KernelCorpusVerdictsTests.Record(file, program.Name, BpfVerifier.Verify(obj, program).Result);
            Assert.True(ours == kernel, $"{key}\n    kernel   {kernel!.ToLine()}\n    bpfsharp {ours.ToLine()}");
        }
    }

    [RecordedKernelFact(KernelCorpusVerdictsTests.RecordedOn)]
    public void The_recorded_answers_are_what_the_running_kernel_says()
    {
        var recorded = CorpusKernelVerdict.Load(Recorded, out _);
        foreach (var file in Files())
        {
            var programs = Programs(file).ToList();
            using var kernel = KernelObject.Create(programs[0].Object);
            foreach (var (_, program) in programs)
            {
                var now = KernelCorpusVerdictsTests.Record(file, program.Name, kernel.Verify(program).Result);
                Assert.True(recorded.TryGetValue(now.Key, out var then) && then == now,
                    $"{now.Key}: recorded {then?.ToLine() ?? "nothing"}\n    kernel now {now.ToLine()}");
            }
        }
    }

    [RegenerateFact]
    public void Regenerate_the_recorded_answers()
    {
        var lines = new List<string>
        {
            "# kernel " + KernelProbe.Release(),
            "# What the reference kernel's verifier says about the objects in this folder (file, program, verdict, insns",
            "# processed, total states, peak states, message). Written by VerifierRegressionObjectTests (BPFSHARP_REGENERATE=1).",
        };
        foreach (var file in Files())
        {
            var programs = Programs(file).ToList();
            using var kernel = KernelObject.Create(programs[0].Object);
            foreach (var (_, program) in programs)
                lines.Add(KernelCorpusVerdictsTests.Record(file, program.Name, kernel.Verify(program).Result).ToLine());
        }
        File.WriteAllLines(TestObjects.InRepository(Recorded), lines);
    }
}
