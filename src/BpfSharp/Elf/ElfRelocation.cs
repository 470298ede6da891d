namespace BpfSharp.Elf;

/// <summary>One relocation entry (REL or RELA).</summary>
/// <param name="Offset">r_offset: byte offset inside the section being relocated.</param>
/// <param name="SymbolIndex">The symbol the relocation refers to.</param>
/// <param name="Type">The relocation type (R_BPF_64_64 = 1, R_BPF_64_ABS64 = 2, R_BPF_64_ABS32 = 3, R_BPF_64_NODYLD32 = 4, R_BPF_64_32 = 10).</param>
/// <param name="Addend">The explicit addend of a RELA entry, 0 for REL.</param>
/// <param name="EntryOffset">Byte offset of this entry inside its relocation section, for error messages.</param>
public readonly record struct ElfRelocation(ulong Offset, int SymbolIndex, uint Type, long Addend, long EntryOffset)
{
    /// <summary>R_BPF_64_64: a 64-bit immediate load (ld_imm64) of an address.</summary>
    public const uint Bpf64_64 = 1;
    /// <summary>R_BPF_64_ABS64: a 64-bit absolute data word.</summary>
    public const uint Bpf64Abs64 = 2;
    /// <summary>R_BPF_64_ABS32: a 32-bit absolute data word.</summary>
    public const uint Bpf64Abs32 = 3;
    /// <summary>R_BPF_64_NODYLD32: a 32-bit word in debug or BTF.ext data.</summary>
    public const uint Bpf64NoDyld32 = 4;
    /// <summary>R_BPF_64_32: a call instruction's immediate.</summary>
    public const uint Bpf64_32 = 10;
}
