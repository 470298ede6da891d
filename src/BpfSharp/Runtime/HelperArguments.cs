namespace BpfSharp.Runtime;

/// <summary>The arguments of a helper call: r1 to r5, and the index of the call instruction (for error messages).</summary>
public readonly record struct HelperArguments(ulong R1, ulong R2, ulong R3, ulong R4, ulong R5, int InstructionIndex);
