namespace BpfSharp.Kernel;

/// <summary>The outcome of one BPF_PROG_LOAD: a descriptor on success, the errno otherwise, and the verifier log.</summary>
/// <param name="Program">The loaded program, or null when the load failed.</param>
/// <param name="Errno">errno of the failure (0 on success).</param>
/// <param name="Log">The verifier log (empty at log level 0).</param>
public sealed record ProgramLoadResult(BpfFileDescriptor? Program, int Errno, string Log)
{
    /// <summary>True when the kernel accepted the program.</summary>
    public bool Succeeded => Program is not null;
}
