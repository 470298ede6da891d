namespace BpfSharp.Runtime.Maps;

/// <summary>How the runtime builds maps: the simulated machine and the things the kernel would supply.</summary>
public sealed record MapCreateOptions
{
    /// <summary>Simulated CPUs: per-CPU maps hold this many values; a program passes its cpu (0..CpuCount-1).</summary>
    public int CpuCount { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Whether map values hold a bpf_spin_lock (the kernel learns it from BTF; the runtime is told). Without it,
    /// BPF_F_LOCK is EINVAL as in the kernel.
    /// </summary>
    public bool ValuesHaveSpinLock { get; init; }

    /// <summary>Resolves build IDs for stack trace maps created with BPF_F_STACK_BUILD_ID; null: the current process.</summary>
    public BuildIdResolver? BuildIds { get; init; }

    /// <summary>The defaults.</summary>
    public static MapCreateOptions Default { get; } = new();
}
