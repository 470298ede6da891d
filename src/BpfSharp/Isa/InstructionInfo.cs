namespace BpfSharp.Isa;

/// <summary>The result of decoding one instruction: what it is, which ISA version it needs, or why it is invalid.</summary>
/// <param name="Kind">What the instruction does; <see cref="InstructionKind.Invalid"/> when it is not valid.</param>
/// <param name="Version">The lowest ISA version that has this instruction.</param>
/// <param name="Problem">Why the instruction is invalid, or null.</param>
public readonly record struct InstructionInfo(InstructionKind Kind, IsaVersion Version, string? Problem)
{
    /// <summary>True when the instruction is valid.</summary>
    public bool IsValid => Kind != InstructionKind.Invalid;

    internal static InstructionInfo Bad(string problem) => new(InstructionKind.Invalid, IsaVersion.V1, problem);
}
