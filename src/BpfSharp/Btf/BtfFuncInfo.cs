namespace BpfSharp.Btf;

/// <summary>A .BTF.ext func_info record: which BTF func starts at an instruction.</summary>
/// <param name="InstructionIndex">Index of the function's first instruction in its ELF section (the byte offset
/// in the file divided by 8).</param>
/// <param name="TypeId">The id of the function's <see cref="BtfKind.Func"/> type.</param>
public readonly record struct BtfFuncInfo(int InstructionIndex, uint TypeId);
