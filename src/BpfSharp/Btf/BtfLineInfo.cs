namespace BpfSharp.Btf;

/// <summary>A .BTF.ext line_info record: the source position of an instruction.</summary>
/// <param name="InstructionIndex">Index of the instruction in its ELF section (byte offset divided by 8).</param>
/// <param name="FileName">The source file name.</param>
/// <param name="Line">The text of the source line (may be empty).</param>
/// <param name="LineNumber">The 1-based line number (upper 22 bits of line_col).</param>
/// <param name="Column">The column (lower 10 bits of line_col).</param>
/// <param name="FileNameOffset">Offset of <paramref name="FileName"/> in the BTF string section (what the kernel is given).</param>
/// <param name="LineOffset">Offset of <paramref name="Line"/> in the BTF string section.</param>
public readonly record struct BtfLineInfo(int InstructionIndex, string FileName, string Line, uint LineNumber, uint Column,
    uint FileNameOffset = 0, uint LineOffset = 0);
