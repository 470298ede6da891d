using System.Collections.Concurrent;
using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace BpfSharp.Benchmarks;

/// <summary>
/// A column of <see cref="RuntimeBenchmarks"/> computed in the host process when the summary is printed: the
/// workload is prepared again there, its kernel side loaded and timed with BPF_PROG_TEST_RUN (repeat 100,000),
/// and combined with the interpreter's mean from the summary.
/// </summary>
public sealed class RuntimeColumn : IColumn
{
    private static readonly ConcurrentDictionary<string, (long Instructions, double? KernelNs, string? Problem)> Figures = new();
    private readonly RuntimeColumnKind _kind;

    /// <summary>A column showing <paramref name="kind"/>.</summary>
    public RuntimeColumn(RuntimeColumnKind kind) => _kind = kind;

    /// <inheritdoc/>
    public string Id => "Runtime." + _kind;

    /// <inheritdoc/>
    public string ColumnName => _kind switch
    {
        RuntimeColumnKind.Instructions => "Insns/run",
        RuntimeColumnKind.NanosecondsPerInstruction => "ns/insn",
        RuntimeColumnKind.KernelNanoseconds => "Kernel ns/run",
        _ => "Interp/Kernel",
    };

    /// <inheritdoc/>
    public bool AlwaysShow => true;

    /// <inheritdoc/>
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc/>
    public int PriorityInCategory => (int)_kind;

    /// <inheritdoc/>
    public bool IsNumeric => true;

    /// <inheritdoc/>
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc/>
    public string Legend => _kind switch
    {
        RuntimeColumnKind.Instructions => "Instructions one run executes in the interpreter",
        RuntimeColumnKind.NanosecondsPerInstruction => "Interpreter mean / instructions per run",
        RuntimeColumnKind.KernelNanoseconds => $"Kernel BPF_PROG_TEST_RUN mean per run, repeat 100,000; {RuntimeWorkload.JitState()}",
        _ => "Interpreter mean / kernel mean",
    };

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        if (benchmarkCase.Parameters["Program"] is not string name) return "?";
        var (instructions, kernelNs, problem) = Figures.GetOrAdd(name, Measure);
        double? mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        var c = CultureInfo.InvariantCulture;
        return _kind switch
        {
            RuntimeColumnKind.Instructions => instructions.ToString("N0", c),
            RuntimeColumnKind.NanosecondsPerInstruction => mean is { } m ? (m / instructions).ToString("N2", c) : "-",
            RuntimeColumnKind.KernelNanoseconds => kernelNs is { } k ? k.ToString("N0", c) : "n/a: " + problem,
            _ => mean is { } m2 && kernelNs is > 0 ? (m2 / kernelNs.Value).ToString("N1", c) + "x" : "-",
        };
    }

    private static (long, double?, string?) Measure(string name)
    {
        using var workload = RuntimeWorkload.Create(name);
        var kernel = workload.KernelNanosecondsPerRun();
        if (kernel is { } k && k.ReturnValue != (uint)workload.ReturnValue)
            return (workload.Instructions, null, $"r0 differs (kernel {k.ReturnValue}, interpreter {(uint)workload.ReturnValue})");
        return (workload.Instructions, kernel?.Nanoseconds, workload.KernelProblem);
    }
}
