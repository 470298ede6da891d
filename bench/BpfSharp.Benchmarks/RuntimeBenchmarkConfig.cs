using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace BpfSharp.Benchmarks;

/// <summary>
/// The configuration of <see cref="RuntimeBenchmarks"/>: a short job (the whole class in well under three minutes)
/// and the columns comparing with the kernel.
/// </summary>
public sealed class RuntimeBenchmarkConfig : ManualConfig
{
    /// <summary>Creates the configuration.</summary>
    public RuntimeBenchmarkConfig()
    {
        AddJob(Job.ShortRun);
        foreach (var kind in Enum.GetValues<RuntimeColumnKind>()) AddColumn(new RuntimeColumn(kind));
    }
}
