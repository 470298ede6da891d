namespace BpfSharp.Runtime;

/// <summary>What a callable address (ld_imm64 with a function source) stands for: an instruction of a program.</summary>
/// <param name="Program">The program holding the function.</param>
/// <param name="InstructionIndex">The function's first instruction.</param>
public sealed record CodeAddress(RuntimeProgram Program, int InstructionIndex);
