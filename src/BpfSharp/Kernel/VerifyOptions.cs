namespace BpfSharp.Kernel;

/// <summary>How <see cref="KernelObject.Verify"/> runs the kernel's verifier.</summary>
public sealed class VerifyOptions
{
    /// <summary>
    /// Extra log level bits to request (1 or 2); 0 gives statistics only (level 4) and, when the program is
    /// rejected, a second load at level 1 for the error message, so the measured duration stays the verifier's.
    /// </summary>
    public uint LogLevel { get; init; }

    /// <summary>How many times to verify (durations of all runs are kept; the other statistics are the first run's).</summary>
    public int Repeat { get; init; } = 1;

    /// <summary>Where to measure kernel memory, or null to skip.</summary>
    public MemoryAccounting? Memory { get; init; }
}
