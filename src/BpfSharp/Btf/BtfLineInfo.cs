namespace BpfSharp.Btf;

/// <summary>A .BTF.ext line_info record: the source position of an instruction.</summary>
/// <param name="InstructionIndex">Index of the instruction in its ELF section (byte offset divided by 8).</param>
/// <param name="FileName">The source file name.</param>
/// <param name="Line">The text of the source line (may be empty).</param>
/// <param name="LineNumber">The 1-based line number (upper 22 bits of line_col).</param>
/// <param name="Column">The column (lower 10 bits of line_col).</param>
public readonly record struct BtfLineInfo(int InstructionIndex, string FileName, string Line, uint LineNumber, uint Column);
