using System.Runtime.CompilerServices;
using BpfSharp.Isa;

namespace BpfSharp.Tests.Isa;

public class OpcodeTableTests
{
    [Fact]
    public void An_instruction_is_eight_bytes_laid_out_as_on_the_wire()
    {
        Assert.Equal(8, Unsafe.SizeOf<Instruction>());
        var insn = new Instruction(0x61, 1, 6, -2, 0x01020304);
        Span<byte> bytes = stackalloc byte[8];
        insn.Write(bytes);
        Assert.Equal(new byte[] { 0x61, 0x61, 0xfe, 0xff, 0x04, 0x03, 0x02, 0x01 }, bytes.ToArray());
        Assert.Equal(insn, Instruction.ReadAll(bytes)[0]);
    }

    [Fact]
    public void A_stream_that_is_not_a_multiple_of_eight_is_a_format_error()
    {
        var e = Assert.Throws<BpfFormatException>(() => Instruction.ReadAll(new byte[12], new Binary.FormatLocation("x.o", "xdp")));
        Assert.Equal("x.o", e.FileName);
        Assert.Equal("xdp", e.Section);
        Assert.Equal(8, e.Offset);
    }

    public static TheoryData<string, IsaVersion> Versions() => new()
    {
        { "r0 = 0", IsaVersion.V1 },
        { "w1 += w2", IsaVersion.V1 },
        { "if r1 > r2 goto pc+1", IsaVersion.V1 },
        { "if r1 < r2 goto pc+1", IsaVersion.V2 },
        { "if r1 s<= 0x3 goto pc+1", IsaVersion.V2 },
        { "if w1 > w2 goto pc+1", IsaVersion.V3 },
        { "if w1 < 0x3 goto pc+1", IsaVersion.V3 },
        { "lock *(u64 *)(r1 +0) += r2", IsaVersion.V1 },
        { "lock *(u32 *)(r1 +0) |= r2", IsaVersion.V3 },
        { "r2 = atomic64_fetch_add((u64 *)(r1 +0), r2)", IsaVersion.V3 },
        { "r0 = atomic_cmpxchg((u32 *)(r1 +0), r0, r2)", IsaVersion.V3 },
        { "r1 s/= r2", IsaVersion.V4 },
        { "r1 = (s32)r2", IsaVersion.V4 },
        { "r1 = *(s16 *)(r2 +0)", IsaVersion.V4 },
        { "r1 = bswap32 r1", IsaVersion.V4 },
        { "r1 = be32 r1", IsaVersion.V1 },
        { "gotol pc+1", IsaVersion.V4 },
        { "may_goto pc+1", IsaVersion.V4 },
        { "r1 = load_acquire((u8 *)(r2 +0))", IsaVersion.V4 },
        { "call pc+1", IsaVersion.V1 },
        { "r1 = 0x1 ll", IsaVersion.V1 },
    };

    [Theory]
    [MemberData(nameof(Versions))]
    public void Each_instruction_knows_the_ISA_version_it_needs(string text, IsaVersion expected)
    {
        Assert.Equal(expected, OpcodeTable.RequiredVersion(Assembler.Assemble(text)));
    }

    public static TheoryData<string, string> Invalid() => new()
    {
        // code dst src off imm, expected problem
        { "ff 0 0 0 0", "unknown opcode ff" },
        { "3f 1 2 2 0", "invalid signed division offset 2" },
        { "bc 1 2 32 0", "invalid mov offset 32" },
        { "dc 1 0 0 8", "invalid byte swap width 8" },
        { "d3 1 2 0 0", "invalid atomic operation 0x0 for 1-byte access" },
        { "85 0 3 0 1", "invalid call source 3" },
        { "87 1 2 0 0", "reserved src field is 2" },
        { "61 1 2 0 5", "reserved imm field is 5" },
        { "b7 11 0 0 0", "invalid dst register r11" },
        { "18 1 7 0 0", "invalid ld_imm64 source 7" },
        { "07 1 0 3 1", "reserved offset field is 3" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_encodings_are_named(string fields, string problem)
    {
        var p = fields.Split(' ');
        var insn = new Instruction(Convert.ToByte(p[0], 16), byte.Parse(p[1]), byte.Parse(p[2]), short.Parse(p[3]), int.Parse(p[4]));
        Instruction[] program = insn.IsLoadImm64 ? [insn, default] : [insn];
        var info = OpcodeTable.Describe(program, 0);
        Assert.False(info.IsValid);
        Assert.Equal(problem, info.Problem);
    }

    [Fact]
    public void An_ld_imm64_needs_a_clean_second_slot()
    {
        var first = new Instruction(0x18, 1, 0, 0, 1);
        Assert.Equal("ld_imm64 is missing its second slot", OpcodeTable.Describe([first], 0).Problem);
        Assert.Equal("ld_imm64 second slot has non-zero reserved fields",
            OpcodeTable.Describe([first, new Instruction(0x07, 0, 0, 0, 0)], 0).Problem);
        Assert.True(OpcodeTable.Describe([first, new Instruction(0, 0, 0, 0, 9)], 0).IsValid);
    }
}
