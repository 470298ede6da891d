using BpfSharp.Isa;

namespace BpfSharp.Runtime.Conformance;

/// <summary>One test of the eBPF conformance suite (a <c>.data</c> file).</summary>
/// <param name="Name">The file name.</param>
/// <param name="Instructions">The program (assembled from <c>-- asm</c>, or <c>-- raw</c> when there is no asm).</param>
/// <param name="Memory">The input memory (<c>-- mem</c>), empty when there is none.</param>
/// <param name="ExpectedResult">The expected r0 (<c>-- result</c>), or null.</param>
/// <param name="ExpectedError">The last non-empty line of <c>-- error</c>, or null.</param>
public sealed record ConformanceTest(string Name, Instruction[] Instructions, byte[] Memory, ulong? ExpectedResult, string? ExpectedError);
