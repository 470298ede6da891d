using BpfSharp.Kernel;
using BpfSharp.Loader;
using BpfSharp.Stats;
using BpfSharp.Tests.TestSupport;

namespace BpfSharp.Tests.Kernel;

/// <summary>
/// Where bpftool (libbpf) can load an object on this kernel, each of its programs must get the same verdict
/// and the same number of processed instructions from BpfSharp's kernel backend: bpftool pins what it loaded,
/// and the kernel tells each program's verified_insns.
/// </summary>
public class BpftoolCrossCheckTests
{
    // The objects bpftool 7.1 (libbpf 1.1) loads whole on Linux 6.18, with at least one program: libbpf 1.x refuses
    // legacy section names (socket1) and map definitions, and treats .text functions as subprograms. Corpus
    // objects are listed only when ../shared/corpus is there (the corpus tests report when it is not).
    private static readonly string[] CorpusObjects =
    [
        "build/dependent_read.o", "build/packet_access.o", "build/packet_start_ok.o",
        "cilium-examples/cgroup_skb_bpf_bpfel.o", "cilium-examples/kprobe_bpf_bpfel.o", "cilium-examples/kprobe_percpu_bpf_bpfel.o",
        "cilium-examples/kprobepin_bpf_bpfel.o", "cilium-examples/tcx_bpf_bpfel.o", "cilium-examples/tracepoint_in_c_bpf_bpfel.o",
        "cilium-examples/xdp_bpf_bpfel.o", "new_linux/trace_output_kern.o", "new_linux/tracex1_kern.o", "new_linux/tracex2_kern.o",
        "new_linux/tracex3_kern.o", "new_linux/tracex4_kern.o", "new_linux/tracex6_kern.o",
    ];

    public static TheoryData<string> Objects()
    {
        var data = new TheoryData<string>
        {
            TestObjects.InRepository("samples/xdp_counter.o"),
            TestObjects.InRepository("samples/verifier_state_stress.o"),
            TestObjects.InRepository("tests/objects/linking.o"),
        };
        if (TestCorpus.Directory is not null)
            foreach (var relative in CorpusObjects) data.Add(TestCorpus.PathOf(relative));
        return data;
    }

    [BpftoolTheory]
    [MemberData(nameof(Objects))]
    public void Verdicts_and_processed_instructions_match_what_bpftool_loads(string file)
    {
        string path = file;
        string pins = $"/sys/fs/bpf/bpfsharp-check-{Environment.ProcessId}-{Path.GetFileNameWithoutExtension(path)}";
        try
        {
            var (exit, output) = Bpftool.Run("prog", "loadall", path, pins);
            Assert.True(exit == 0, $"bpftool could not load {file}: {output}");
            var spec = ObjectLoader.LoadFile(path);
            using var obj = KernelObject.Create(spec);
            var loaded = Directory.EnumerateFiles(pins).ToList();
            Assert.NotEmpty(loaded);
            foreach (var pinned in loaded)
            {
                using var fd = KernelProgram.OpenPinned(pinned);
                var info = KernelProgram.Info(fd);
                var program = spec.Programs.Single(p => p.Name == Path.GetFileName(pinned));
                var ours = obj.Verify(program).Result;
                Assert.Equal(Verdict.Success, ours.Verdict);
                Assert.Equal((long)info.VerifiedInstructions, ours.TotalInstructions);
            }
        }
        finally
        {
            if (Directory.Exists(pins)) Directory.Delete(pins, recursive: true);
        }
    }
}
