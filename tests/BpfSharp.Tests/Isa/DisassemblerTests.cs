using BpfSharp.Isa;

namespace BpfSharp.Tests.Isa;

public class DisassemblerTests
{
    public static TheoryData<string, string> KernelSyntax() => new()
    {
        // raw "code dst src off imm" -> the verifier log's text
        { "61 1 6 0 0", "r1 = *(u32 *)(r6 +0)" },
        { "79 0 10 -8 0", "r0 = *(u64 *)(r10 -8)" },
        { "91 2 1 4 0", "r2 = *(s8 *)(r1 +4)" },
        { "26 1 0 3 5", "if w1 > 0x5 goto pc+3" },
        { "15 1 0 -4 -1", "if r1 == 0xffffffff goto pc-4" },
        { "cd 3 4 7 0", "if r3 s< r4 goto pc+7" },
        { "db 1 0 0 1", "r0 = atomic64_fetch_add((u64 *)(r1 +0), r0)" },
        { "c3 1 2 8 0", "lock *(u32 *)(r1 +8) += r2" },
        { "db 1 2 0 80", "lock *(u64 *)(r1 +0) &= r2" },
        { "db 1 2 0 241", "r0 = atomic64_cmpxchg((u64 *)(r1 +0), r0, r2)" },
        { "c3 1 2 0 225", "r2 = atomic_xchg((u32 *)(r1 +0), r2)" },
        { "85 0 0 0 1", "call bpf_map_lookup_elem#1" },
        { "85 0 0 0 12", "call bpf_tail_call#12" },
        { "85 0 0 0 999999", "call unknown#999999" },
        { "85 0 1 0 5", "call pc+5" },
        { "85 0 2 0 1234", "call kernel-function#1234" },
        { "05 0 0 -4 0", "goto pc-4" },
        { "06 0 0 0 70000", "gotol pc+70000" },
        { "e5 0 0 3 0", "may_goto pc+3" },
        { "95 0 0 0 0", "exit" },
        { "b7 0 0 0 0", "r0 = 0" },
        { "b4 1 0 0 -5", "w1 = -5" },
        { "bf 1 6 0 0", "r1 = r6" },
        { "07 1 0 0 -1", "r1 += -1" },
        { "3f 1 2 1 0", "r1 s/= r2" },
        { "94 3 0 1 7", "w3 s%= 7" },
        { "bf 1 2 8 0", "r1 = (s8)r2" },
        { "bc 1 2 16 0", "w1 = (s16)w2" },
        { "87 4 0 0 0", "r4 = -r4" },
        { "c7 1 0 0 3", "r1 s>>= 3" },
        { "dc 1 0 0 16", "r1 = be16 r1" },
        { "d4 1 0 0 32", "r1 = le32 r1" },
        { "d7 1 0 0 64", "r1 = bswap64 r1" },
        { "28 0 0 0 12", "r0 = *(u16 *)skb[12]" },
        { "50 0 3 0 14", "r0 = *(u8 *)skb[r3 + 14]" },
        { "7b 10 1 -16 0", "*(u64 *)(r10 -16) = r1" },
        { "62 10 0 -4 42", "*(u32 *)(r10 -4) = 42" },
        { "8d 0 0 0 2", "callx r2" },
    };

    [Theory]
    [MemberData(nameof(KernelSyntax))]
    public void Prints_the_verifier_log_syntax_and_reads_it_back(string fields, string text)
    {
        var insn = Parse(fields);
        Assert.Equal(text, Disassembler.Format(insn));
        Assert.Equal([insn], Assembler.Assemble(text));
    }

    [Fact]
    public void Prints_ld_imm64_with_its_pseudo_sources()
    {
        Instruction[] Load(byte src, int low, int high) => [new Instruction(0x18, 1, src, 0, low), new Instruction(0, 0, 0, 0, high)];
        var symbols = new MapSymbols(["my_map", ".rodata"]);
        var cases = new (Instruction[] Program, string Text)[]
        {
            (Load(PseudoSource.None, 0x55667788, 0x11223344), "r1 = 0x1122334455667788 ll"),
            (Load(PseudoSource.MapFd, 5, 0), "r1 = map[fd:5] ll"),
            (Load(PseudoSource.MapValue, 5, 16), "r1 = map_value[fd:5]+16 ll"),
            (Load(PseudoSource.MapIdx, 0, 0), "r1 = map[my_map] ll"),
            (Load(PseudoSource.MapIdxValue, 1, 8), "r1 = map_value[.rodata]+8 ll"),
            (Load(PseudoSource.MapIdx, 7, 0), "r1 = map[idx:7] ll"),
            (Load(PseudoSource.BtfId, 1234, 0), "r1 = btf_id[1234] ll"),
            (Load(PseudoSource.BtfId, 1234, 3), "r1 = btf_id[1234][fd:3] ll"),
            (Load(PseudoSource.Func, 6, 0), "r1 = func[pc+6] ll"),
        };
        foreach (var (program, text) in cases)
        {
            Assert.Equal(text, Disassembler.Format(program, 0, symbols));
            Assert.Equal(program, Assembler.Assemble(text, symbols));
        }
    }

    [Fact]
    public void Prints_the_opcode_prefix_like_the_verifier_log()
    {
        Instruction[] program = [new Instruction(0x61, 1, 6, 0, 0), new Instruction(0x95, 0, 0, 0, 0)];
        Assert.Equal("(61) r1 = *(u32 *)(r6 +0)", Disassembler.FormatWithOpcode(program, 0));
        Assert.Equal(
            [(0, "(61) r1 = *(u32 *)(r6 +0)"), (1, "(95) exit")],
            Disassembler.Lines(program).ToArray());
    }

    [Fact]
    public void Prints_invalid_slots_raw_so_they_survive_a_round_trip()
    {
        var bad = new Instruction(0xff, 3, 4, -2, 77);
        string text = Disassembler.Format(bad);
        Assert.Equal(".insn code=0xff dst=3 src=4 off=-2 imm=77", text);
        Assert.Equal([bad], Assembler.Assemble(text));
    }

    [Fact]
    public void Random_valid_instructions_round_trip_through_text()
    {
        var property = FsCheck.Fluent.Prop.ForAll(FsCheck.Fluent.ArbMap.Default.ArbFor<int>(), seed =>
        {
            var program = RandomInstructions.Next(new Random(seed));
            string text = Disassembler.Format(program, 0);
            var back = Assembler.Assemble(text);
            return back.SequenceEqual(program);
        });
        FsCheck.Check.One(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(5000), property);
    }

    [Fact]
    public void Any_eight_bytes_round_trip_through_text()
    {
        var random = new Random(12345);
        Span<byte> bytes = stackalloc byte[8];
        for (int i = 0; i < 20000; i++)
        {
            random.NextBytes(bytes);
            var insn = Instruction.Read(bytes);
            Assert.Equal([insn], Assembler.Assemble(Disassembler.Format(insn)));
        }
    }

    private static Instruction Parse(string fields)
    {
        var p = fields.Split(' ');
        return new Instruction(Convert.ToByte(p[0], 16), byte.Parse(p[1]), byte.Parse(p[2]), short.Parse(p[3]), int.Parse(p[4]));
    }
}
