namespace BpfSharp.Runtime;

/// <summary>
/// What one test run of a program gave, like BPF_PROG_TEST_RUN: the return value, the packet and context after the
/// run, what the program printed and where it redirected; or why it did not run (an input the kernel would refuse,
/// a program error).
/// </summary>
/// <param name="ReturnValue">r0 at the final exit.</param>
/// <param name="Data">The packet as data_out would hold it (null for programs without a packet).</param>
/// <param name="Context">The context after the run (null without one).</param>
/// <param name="Trace">Lines written by bpf_trace_printk.</param>
/// <param name="Instructions">Instructions executed.</param>
/// <param name="ElapsedNanoseconds">Time spent in the interpreter.</param>
/// <param name="Redirect">The redirect the program asked for, or null.</param>
/// <param name="Errno">When the input was refused: the kernel's errno for it; 0 otherwise.</param>
/// <param name="Error">Why the program did not run or stopped (refused input, runtime error), or null.</param>
public sealed record ProgramRunResult(ulong ReturnValue, byte[]? Data, byte[]? Context, IReadOnlyList<string> Trace, long Instructions,
    long ElapsedNanoseconds, string? Redirect, int Errno, string? Error)
{
    /// <summary>Whether the program ran to its exit.</summary>
    public bool Succeeded => Error is null;
}
