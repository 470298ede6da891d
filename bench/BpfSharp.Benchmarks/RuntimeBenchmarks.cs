using BenchmarkDotNet.Attributes;

namespace BpfSharp.Benchmarks;

/// <summary>
/// Time of one run of a program in BpfSharp's interpreter, beside the kernel's time for the same program on the
/// same input (BPF_PROG_TEST_RUN, repeat 100,000, JIT as configured): <see cref="RuntimeWorkload"/> describes the
/// programs. The columns after the mean (<see cref="RuntimeColumn"/>) give instructions per run, ns per executed
/// instruction, the kernel's ns per run and the ratio interpreter/kernel; without bpf() the kernel columns say why.
/// Packet programs run through <see cref="Runtime.ProgramRunner"/> with a repeat, as the kernel's test run does: the
/// ctx and packet are built once per <see cref="RuntimeWorkload.RunsPerCall"/> runs.
/// </summary>
/// <remarks><c>dotnet run -c Release --project bench/BpfSharp.Benchmarks -- --filter '*RuntimeBenchmarks*'</c></remarks>
[MemoryDiagnoser]
[Config(typeof(RuntimeBenchmarkConfig))]
public class RuntimeBenchmarks
{
    private RuntimeWorkload _workload = null!;

    /// <summary>Which workload (see <see cref="RuntimeWorkload.Names"/>).</summary>
    [ParamsSource(nameof(Programs))]
    public string Program { get; set; } = "loop";

    /// <summary>The workloads measured.</summary>
    public static IEnumerable<string> Programs => RuntimeWorkload.Names;

    /// <summary>Prepares the workload (interpreter side only: the kernel figures are taken by the columns).</summary>
    [GlobalSetup]
    public void Setup()
    {
        _workload = RuntimeWorkload.Create(Program, kernel: false);
        Console.WriteLine($"// {Program}: {_workload.Description}, r0 = {_workload.ReturnValue}, {_workload.Instructions} insns per run");
    }

    /// <summary>Releases the workload.</summary>
    [GlobalCleanup]
    public void Cleanup() => _workload.Dispose();

    /// <summary>One run in the interpreter (the mean of <see cref="RuntimeWorkload.RunsPerCall"/> per invocation).</summary>
    [Benchmark(OperationsPerInvoke = RuntimeWorkload.RunsPerCall)]
    public ulong Interpreter() => _workload.Run();
}
