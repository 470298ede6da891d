using System.Buffers.Binary;
using BpfSharp.Elf;
using BpfSharp.Tests.TestSupport;

namespace BpfSharp.Tests.Elf;

/// <summary>The ELF reader on the sample object, and on copies with one field broken at a time.</summary>
public class ElfFileTests
{
    private static readonly byte[] Sample = File.ReadAllBytes(TestObjects.InRepository("samples/xdp_counter.o"));

    private static BpfFormatException Broken(Action<byte[]> patch)
    {
        var bytes = (byte[])Sample.Clone();
        patch(bytes);
        return Assert.Throws<BpfFormatException>(() => ElfFile.Parse(bytes, "x.o"));
    }

    private static int SectionHeader(byte[] bytes, string name) =>
        (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(0x28)) + ElfFile.Parse(Sample).FindSection(name)!.Index * 64;

    [Fact]
    public void Reads_sections_symbols_and_relocations()
    {
        var elf = ElfFile.Parse(Sample, "xdp_counter.o");
        Assert.Equal(ElfFile.MachineBpf, elf.Machine);
        var xdp = elf.FindSection("xdp")!;
        Assert.True(xdp.IsExecutable);
        Assert.Equal(10 * 8, xdp.Data.Length);
        Assert.Contains(elf.Symbols, s => s.Name == "xdp_count" && s.Type == ElfSymbolType.Func && s.Binding == ElfSymbolBinding.Global && s.SectionIndex == xdp.Index);
        var relocations = elf.RelocationsFor(xdp.Index);
        Assert.Equal(2, relocations.Count);
        Assert.All(relocations, r => Assert.Equal(ElfRelocation.Bpf64_32, r.Type));
        Assert.Equal(ElfSectionType.NoBits, elf.FindSection(".bss")!.Type);
        Assert.True(elf.FindSection(".bss")!.Data.IsEmpty);
    }

    [Fact]
    public void A_truncated_header_is_named()
    {
        var e = Assert.Throws<BpfFormatException>(() => ElfFile.Parse(Sample[..40], "x.o"));
        Assert.Equal("x.o at offset 0x28: file of 40 bytes is too short for an ELF64 header", e.Message);
    }

    [Fact]
    public void Not_ELF_32_bit_and_big_endian_files_are_refused_clearly()
    {
        Assert.Contains("not an ELF file (bad magic)", Broken(b => b[1] = (byte)'X').Message);
        Assert.Contains("32-bit ELF is not supported", Broken(b => b[4] = 1).Message);
        var bigEndian = Broken(b => b[5] = 2);
        Assert.Equal(5, bigEndian.Offset);
        Assert.Contains("big-endian BPF objects are not supported", bigEndian.Message);
    }

    [Fact]
    public void A_wrong_machine_is_refused()
    {
        var e = Broken(b => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(18), 62));
        Assert.Equal("x.o at offset 0x12: wrong machine 62 (expected EM_BPF, 247): not a BPF object", e.Message);
    }

    [Fact]
    public void A_section_past_the_end_names_the_section()
    {
        var e = Broken(b => BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(SectionHeader(b, "xdp") + 24), 0x100000));
        Assert.Contains("section 'xdp': data (offset 0x100000", e.Message);
        Assert.Equal(SectionHeader(Sample, "xdp") + 24, e.Offset);
    }

    [Fact]
    public void A_bad_section_name_offset_is_named()
    {
        var e = Broken(b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(SectionHeader(b, "xdp")), 0xfffff));
        Assert.Contains("name offset 1048575 is outside the section name table", e.Message);
    }

    [Fact]
    public void A_bad_symbol_name_or_section_index_is_named()
    {
        var elf = ElfFile.Parse(Sample);
        var symtab = elf.Sections.Single(s => s.Type == ElfSectionType.SymTab);
        int sym = (int)symtab.FileOffset + elf.Symbols.First(s => s.Name == "xdp_count").Index * 24;
        var name = Broken(b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(sym), 0xfffff));
        Assert.Equal(".symtab", name.Section);
        Assert.Contains("name offset 1048575 is outside .strtab", name.Message);
        var section = Broken(b => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(sym + 6), 999));
        Assert.Contains("'xdp_count' is in section 999, which does not exist", section.Message);
        Assert.Equal(sym - (long)symtab.FileOffset + 6, section.Offset);
    }

    [Fact]
    public void A_relocation_against_a_missing_symbol_is_named()
    {
        var elf = ElfFile.Parse(Sample);
        var rel = elf.Sections[elf.RelocationSectionOf[elf.FindSection("xdp")!.Index]];
        var e = Broken(b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan((int)rel.FileOffset + 12), 5000));
        Assert.Equal((rel.Name, 12L), (e.Section, e.Offset));
        Assert.Contains("relocation 0 refers to symbol 5000, which does not exist", e.Message);
    }

    [Fact]
    public void Every_truncation_of_the_sample_is_a_format_error()
    {
        for (int length = 0; length < Sample.Length; length += 7)
            Assert.Throws<BpfFormatException>(() => ElfFile.Parse(Sample[..length]));
    }
}
