namespace BpfSharp.Tests.TestSupport;

/// <summary>One packet through a loaded program with BPF_PROG_TEST_RUN.</summary>
/// <param name="PacketLabel">The generator's label of the input.</param>
/// <param name="Input">data_in.</param>
/// <param name="ReturnValue">r0 at exit (meaningless when <see cref="Errno"/> is set).</param>
/// <param name="Output">data_out (empty when the run was refused).</param>
/// <param name="DurationNanoseconds">The kernel's measured duration.</param>
/// <param name="Errno">0, or the errno of a refused run (EINVAL for a frame the test run does not take).</param>
internal sealed record KernelTestRun(string PacketLabel, byte[] Input, uint ReturnValue, byte[] Output, uint DurationNanoseconds, int Errno);
