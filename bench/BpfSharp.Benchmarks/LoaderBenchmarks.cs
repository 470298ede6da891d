using BenchmarkDotNet.Attributes;
using BpfSharp.Isa;
using BpfSharp.Loader;

namespace BpfSharp.Benchmarks;

/// <summary>
/// Cost of reading, linking and printing objects: the work every later command (list, disasm, stat, verify,
/// run) starts with. The sample ships with the repository; the large object (xdp_tx_iptunnel, 283 instructions,
/// legacy maps) is read from ../shared/corpus when it is there.
/// </summary>
[MemoryDiagnoser]
public class LoaderBenchmarks
{
    private byte[] _sample = [];
    private byte[] _large = [];
    private ProgramSpec _program = null!;
    private string _text = "";

    [GlobalSetup]
    public void Setup()
    {
        string root = Paths.RepositoryRoot();
        _sample = File.ReadAllBytes(Path.Combine(root, "samples", "xdp_counter.o"));
        string large = Path.Combine(root, "..", "shared", "corpus", "linux", "xdp_tx_iptunnel_kern.o");
        _large = File.Exists(large) ? File.ReadAllBytes(large) : _sample;
        _program = ObjectLoader.Load(_large).Programs[0];
        _text = string.Join('\n', Disassembler.Lines(_program.Instructions, _program.Symbols).Select(l => l.Text[5..]));
    }

    /// <summary>ELF + BTF + BTF.ext + maps + linking of the sample (2 programs, 3 subprogram copies).</summary>
    [Benchmark(Baseline = true)]
    public ObjectSpec LoadSample() => ObjectLoader.Load(_sample);

    /// <summary>The same for a 283-instruction object with legacy maps and no BTF.</summary>
    [Benchmark]
    public ObjectSpec LoadLarge() => ObjectLoader.Load(_large);

    /// <summary>Printing every instruction of the large program in the verifier's syntax.</summary>
    [Benchmark]
    public int Disassemble()
    {
        int length = 0;
        foreach (var (_, text) in Disassembler.Lines(_program.Instructions, _program.Symbols)) length += text.Length;
        return length;
    }

    /// <summary>Reading that text back.</summary>
    [Benchmark]
    public Instruction[] Assemble() => Assembler.Assemble(_text, _program.Symbols);
}
