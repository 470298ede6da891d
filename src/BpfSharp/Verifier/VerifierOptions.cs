namespace BpfSharp.Verifier;

/// <summary>How to run BpfSharp's verifier.</summary>
public sealed class VerifierOptions
{
    /// <summary>Log level as the kernel's: 0 none, 1 the failing path, 2 every instruction. Statistics are always kept.</summary>
    public int LogLevel { get; init; }

    /// <summary>
    /// Reuse freed states and explored-state list nodes from a dedicated pool (default). Off: allocate every
    /// state afresh, for measuring what the pool saves.
    /// </summary>
    public bool PoolStates { get; init; } = true;

    /// <summary>
    /// Number of possible CPUs of the machine the program would load on (bounds bpf_get_smp_processor_id's
    /// result). Defaults to this machine's.
    /// </summary>
    public int PossibleCpus { get; init; } = Environment.ProcessorCount;
}
