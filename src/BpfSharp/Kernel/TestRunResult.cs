namespace BpfSharp.Kernel;

/// <summary>Output of BPF_PROG_TEST_RUN.</summary>
/// <param name="ReturnValue">r0 at exit.</param>
/// <param name="Data">The packet after the run.</param>
/// <param name="Context">The context after the run (when one was given).</param>
/// <param name="DurationNanoseconds">Mean duration of one run, as the kernel measured it.</param>
public sealed record TestRunResult(uint ReturnValue, byte[] Data, byte[] Context, uint DurationNanoseconds);
