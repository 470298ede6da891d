using BenchmarkDotNet.Attributes;
using BpfSharp.Loader;
using BpfSharp.Verifier;

namespace BpfSharp.Benchmarks;

/// <summary>
/// Time and managed allocation of one verification by BpfSharp's verifier, with the state pool (the seed patch's
/// dedicated cache for explored states, shared per thread across verifications) and without it (every state a
/// fresh allocation). Programs: the verifier stress sample (9,477 insns processed, 749 states), the XDP sample,
/// and, when ../shared/corpus is present, OVS's parser (sched_cls, 3,700 insns) and xdp_tx_iptunnel.
/// The kernel's own time for the same programs comes from <c>bpfsharp stat --backend both -n 5</c>.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class VerifierBenchmarks
{
    private ObjectSpec _object = null!;
    private ProgramSpec _program = null!;
    private VerifierOptions _options = null!;

    /// <summary>Which program.</summary>
    [Params("stress", "xdp_count", "ovs_parser", "xdp_tx_iptunnel")]
    public string Program { get; set; } = "stress";

    /// <summary>States, frames and list nodes from the pool (true) or plain allocation (false).</summary>
    [Params(true, false)]
    public bool Pool { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string root = Paths.RepositoryRoot();
        string corpus = Path.Combine(root, "..", "shared", "corpus");
        (string file, string? name, ProgramType? type) = Program switch
        {
            "stress" => (Path.Combine(root, "samples", "verifier_state_stress.o"), (string?)null, (ProgramType?)null),
            "xdp_count" => (Path.Combine(root, "samples", "xdp_counter.o"), "xdp_count", null),
            "ovs_parser" => (Path.Combine(corpus, "ovs", "datapath.o"), "ovs_parser", ProgramType.SchedCls),
            _ => (Path.Combine(corpus, "linux", "xdp_tx_iptunnel_kern.o"), null, (ProgramType?)null),
        };
        if (!File.Exists(file))
        {
            // Without the corpus, measure the stress sample under this name rather than fail the whole run.
            Console.WriteLine($"// {file} not found: measuring the stress sample instead");
            file = Path.Combine(root, "samples", "verifier_state_stress.o");
            name = null;
            type = null;
        }
        _object = ObjectLoader.LoadFile(file, type is { } t ? new LoadOptions { ProgramType = t } : null);
        _program = name is null ? _object.Programs[0] : _object.Programs.First(p => p.Name == name);
        _options = new VerifierOptions { PoolStates = Pool };
        var outcome = BpfVerifier.Verify(_object, _program, _options);
        Console.WriteLine($"// {Program}: {outcome.Result.Verdict}, {outcome.Result.TotalInstructions} insns, {outcome.Result.TotalStates} states, peak {outcome.Result.PeakStates}");
    }

    /// <summary>One whole verification (CFG checks, walk, pruning, liveness), no log.</summary>
    [Benchmark]
    public long Verify() => BpfVerifier.Verify(_object, _program, _options).Result.TotalInstructions ?? -1;
}
