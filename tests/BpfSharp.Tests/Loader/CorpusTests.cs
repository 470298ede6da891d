using BpfSharp.Isa;
using BpfSharp.Loader;
using BpfSharp.Tests.TestSupport;

namespace BpfSharp.Tests.Loader;

/// <summary>Every real object of the shared corpus loads, lists what llvm-objdump shows and disassembles.</summary>
public class CorpusTests
{
    private static readonly string[] Folders = ["linux", "new_linux", "prototype-kernel", "suricata", "ovs", "cilium-examples", "build"];

    public static TheoryData<string> Objects()
    {
        var data = new TheoryData<string>();
        if (TestCorpus.Directory is null) return data;
        foreach (var folder in Folders)
            foreach (var file in Directory.EnumerateFiles(Path.Combine(TestCorpus.Directory, folder), "*.o").Order(StringComparer.Ordinal))
                data.Add($"{folder}/{Path.GetFileName(file)}");
        return data;
    }

    /// <summary>tests/objects/corpus-functions.tsv: what llvm-objdump shows (tests/tools/objdump_counts.py).</summary>
    private static readonly Lazy<ILookup<string, (string Section, string Function, int Slots)>> ObjdumpFunctions = new(() =>
        File.ReadAllLines(TestObjects.InRepository("tests/objects/corpus-functions.tsv"))
            .Select(l => l.Split('\t'))
            .ToLookup(f => f[0], f => (f[1], f[2], int.Parse(f[3]))));

    [CorpusFact]
    public void The_corpus_holds_the_expected_folders()
    {
        Assert.True(Objects().Count >= 130, $"only {Objects().Count} objects found under {TestCorpus.Directory}");
        Assert.True(ObjdumpFunctions.Value.Count >= 130);
    }

    [CorpusTheory]
    [MemberData(nameof(Objects))]
    public void Lists_the_functions_llvm_objdump_shows_with_their_instruction_counts(string relative)
    {
        var spec = ObjectLoader.LoadFile(TestCorpus.PathOf(relative));
        var expected = ObjdumpFunctions.Value[relative].ToList();
        if (expected.Count == 0)
        {
            // llvm-objdump cannot read EM_NONE objects (old OVS builds): each section is then one program.
            Assert.Equal("ovs/datapath.o", relative);
            Assert.Equal(19, spec.Programs.Count);
            return;
        }
        foreach (var (section, function, slots) in expected)
        {
            var program = spec.Programs.FirstOrDefault(p => p.SectionName == section && p.Name == function);
            if (program is not null)
            {
                Assert.Equal(slots, program.InstructionCount);
                continue;
            }
            // Not a program: then a subprogram that some program calls (libbpf's .text functions).
            var uses = spec.Programs.SelectMany(p => p.Functions).Where(f => f.Name == function && f.SectionName == section).ToList();
            Assert.True(uses.Count > 0, $"{relative}: llvm-objdump shows {section}/{function}, which is neither a program nor a called subprogram");
            Assert.All(uses, f => Assert.Equal(slots, f.Length));
        }
        foreach (var p in spec.Programs)
            Assert.Contains((p.SectionName, p.Name, p.InstructionCount), expected);
    }

    [CorpusTheory]
    [MemberData(nameof(Objects))]
    public void Linked_programs_disassemble_without_error(string relative)
    {
        var spec = ObjectLoader.LoadFile(TestCorpus.PathOf(relative));
        Assert.NotEmpty(spec.Programs);
        foreach (var program in spec.Programs)
        {
            Assert.Equal(program.LinkedInstructionCount, program.Functions.Sum(f => f.Length));
            var lines = Disassembler.Lines(program.Instructions, program.Symbols).ToList();
            Assert.DoesNotContain(lines, l => l.Text.Contains(".insn", StringComparison.Ordinal));
            Assert.Equal(program.Instructions, Assembler.Assemble(string.Join('\n', lines.Select(l => l.Text[5..])), program.Symbols));
        }
    }

    public static TheoryData<string, string, string, string?> Types() => new()
    {
        { "linux/sockex1_kern.o", "bpf_prog1", "socket_filter", null },
        { "linux/xdp1_kern.o", "xdp_prog1", "xdp", "xdp" },
        { "linux/tcbpf1_kern.o", "bpf_prog1", "sched_cls", null },
        { "linux/xdp2skb_meta_kern.o", "_tc_mark", "sched_cls", null },
        { "linux/tracex4_kern.o", "bpf_prog2", "kprobe", null },
        { "linux/cpustat_kern.o", "bpf_prog1", "tracepoint", null },
        { "linux/test_overhead_raw_tp_kern.o", "prog", "raw_tracepoint", null },
        { "linux/sampleip_kern.o", "do_sample", "perf_event", null },
        { "linux/sock_flags_kern.o", "bpf_prog1", "cgroup_sock", "cgroup_inet_sock_create" },
        { "linux/tcp_bufs_kern.o", "bpf_bufs", "sock_ops", "cgroup_sock_ops" },
        { "cilium-examples/cgroup_skb_bpf_bpfel.o", "count_egress_packets", "cgroup_skb", "cgroup_inet_egress" },
        { "cilium-examples/fentry_bpf_bpfel.o", "tcp_connect", "tracing", "trace_fentry" },
        { "cilium-examples/tcx_bpf_bpfel.o", "ingress_prog_func", "sched_cls", null },
        { "cilium-examples/xdp_bpf_bpfel.o", "xdp_prog_func", "xdp", "xdp" },
        { "prototype-kernel/xdp_vlan01_kern.o", "_tc_progA", "sched_cls", null },
        { "suricata/xdp_filter.o", "xdp_hashfilter", "xdp", "xdp" },
        { "suricata/lb.o", "lb", "unspec", null },
    };

    [CorpusTheory]
    [MemberData(nameof(Types))]
    public void Program_types_come_from_the_section_names(string relative, string program, string type, string? attach)
    {
        var p = ObjectLoader.LoadFile(TestCorpus.PathOf(relative)).FindProgram(program)!;
        Assert.Equal(type, KernelNames.Of(p.Type));
        Assert.Equal(attach, p.ExpectedAttachType is { } a ? KernelNames.Of(a) : null);
    }

    [CorpusFact]
    public void Invalid_objects_get_clear_errors()
    {
        string bad = TestCorpus.PathOf("invalid/badsymsize.o");
        var e = Assert.Throws<BpfFormatException>(() => ObjectLoader.LoadFile(bad));
        Assert.Equal(bad, e.FileName);
        Assert.Contains("'.symtab'", e.Message);
        Assert.True(e.Offset > 0);

        // A valid ELF whose program is not valid BPF: it lists, and disassembly shows the bad slot raw.
        var lddw = ObjectLoader.LoadFile(TestCorpus.PathOf("invalid/invalid-lddw.o"));
        var program = Assert.Single(lddw.Programs);
        Assert.Equal(2, program.InstructionCount);
        Assert.Equal("(18) .insn code=0x18 dst=15 src=15 off=-1 imm=184549375", Disassembler.FormatWithOpcode(program.Instructions, 1));
    }
}
