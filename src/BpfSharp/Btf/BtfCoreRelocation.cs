namespace BpfSharp.Btf;

/// <summary>A .BTF.ext CO-RE relocation record: an instruction whose immediate or offset depends on the target
/// kernel's types.</summary>
/// <param name="InstructionIndex">Index of the instruction in its ELF section (byte offset divided by 8).</param>
/// <param name="TypeId">The local BTF id of the root type the access starts from.</param>
/// <param name="AccessString">The access spec: colon-separated indexes such as <c>0:1:2</c> (first an array
/// index, then member or element indexes); for type and enum relocations, <c>0</c> or the enumerator index.</param>
/// <param name="Kind">What to compute.</param>
/// <param name="AccessStringOffset">Offset of <paramref name="AccessString"/> in the BTF string section (what the kernel is given).</param>
public readonly record struct BtfCoreRelocation(int InstructionIndex, uint TypeId, string AccessString, BtfCoreRelocationKind Kind,
    uint AccessStringOffset = 0);
