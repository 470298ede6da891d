using BpfSharp.Isa;

namespace BpfSharp.Tests.Isa;

public class AssemblerTests
{
    [Fact]
    public void Labels_resolve_to_relative_offsets_forward_and_backward()
    {
        var program = Assembler.Assemble("""
            r0 = 0
            loop:
              r0 += 1
              if r0 < 10 goto loop   ; back edge
              goto out
              r0 = 5
            out:
              exit
            """);
        Assert.Equal(-2, program[2].Offset);
        Assert.Equal(1, program[3].Offset);
        Assert.Equal(InstructionKind.Exit, OpcodeTable.Describe(program[5]).Kind);
    }

    [Fact]
    public void Calls_accept_helper_names_ids_and_local_labels()
    {
        var program = Assembler.Assemble("""
            call bpf_map_lookup_elem
            call map_update_elem
            call 5
            call sub
            exit
            sub:
            r0 = 1
            exit
            """);
        Assert.Equal(1, program[0].Immediate);
        Assert.Equal(2, program[1].Immediate);
        Assert.Equal(5, program[2].Immediate);
        Assert.Equal(PseudoSource.LocalCall, program[3].Src);
        Assert.Equal(1, program[3].Immediate);
    }

    [Fact]
    public void A_pasted_verifier_log_assembles()
    {
        var program = Assembler.Assemble("""
            ; int x = skb->len; @ prog.c:5
            0: (61) r1 = *(u32 *)(r1 +0)          ; R1_w=scalar()
            1: (b7) r0 = 0
            2: (95) exit
            """);
        Assert.Equal(3, program.Length);
        Assert.Equal(0x61, program[0].Opcode);
    }

    [Fact]
    public void Hand_written_spacing_is_accepted()
    {
        Assert.Equal(Assembler.Assemble("r1 = *(u32 *)(r6 +8)"), Assembler.Assemble("r1 = *(u32*)(r6+8)"));
        Assert.Equal(Assembler.Assemble("*(u64 *)(r10 -8) = r1"), Assembler.Assemble("*(u64 *)(r10 - 8) = r1"));
        Assert.Equal(Assembler.Assemble("r1 = *(u8 *)(r2 +0)"), Assembler.Assemble("r1 = *(u8 *)(r2)"));
    }

    [Theory]
    [InlineData("r0 = 1\nfrobnicate r1", "line 2: unknown instruction in 'frobnicate r1'")]
    [InlineData("r11 = 1", "line 1: no register r11 in 'r11 = 1'")]
    [InlineData("w1 = r2", "line 1: both registers must have the same width in 'w1 = r2'")]
    [InlineData("goto nowhere", "line 1: unknown label 'nowhere'")]
    [InlineData("r1 = map[missing] ll", "line 1: unknown map 'missing' in 'r1 = map[missing] ll'")]
    [InlineData("r1 = 0x100000000", "line 1: 4294967296 does not fit in 32 bits (add 'll' for a 64-bit constant) in 'r1 = 0x100000000'")]
    [InlineData("call bpf_map_lookup_elem#2", "line 1: bpf_map_lookup_elem is helper #1, not #2 in 'call bpf_map_lookup_elem#2'")]
    [InlineData("x:\nx:\nexit", "line 2: label 'x' is defined twice in 'x:'")]
    public void Errors_name_the_line(string text, string message)
    {
        var e = Assert.Throws<BpfFormatException>(() => Assembler.Assemble(text, sourceName: "t.s"));
        Assert.Equal("t.s: " + message, e.Message);
    }

    [Fact]
    public void Map_names_resolve_through_symbols()
    {
        var program = Assembler.Assemble("r1 = map[counters] ll\nr2 = map_value[.data]+4 ll", new MapSymbols(["counters", ".data"]));
        Assert.Equal((PseudoSource.MapIdx, 0), (program[0].Src, program[0].Immediate));
        Assert.Equal((PseudoSource.MapIdxValue, 1, 4), (program[2].Src, program[2].Immediate, program[3].Immediate));
    }

    [Fact]
    public void Mangled_text_raises_only_format_errors()
    {
        // Disassembly of random valid instructions with characters deleted, duplicated or replaced.
        const string alphabet = "rw0123456789+-*/=<>&|^%()[]:#,.xsul lbfgotcaipmdek_ ";
        var random = new Random(424242);
        int rejected = 0;
        for (int i = 0; i < 20000; i++)
        {
            var text = Disassembler.Format(RandomInstructions.Next(random), 0).ToCharArray().ToList();
            int edits = 1 + random.Next(3);
            for (int k = 0; k < edits && text.Count > 0; k++)
            {
                int at = random.Next(text.Count);
                switch (random.Next(3))
                {
                    case 0: text.RemoveAt(at); break;
                    case 1: text.Insert(at, text[at]); break;
                    default: text[at] = alphabet[random.Next(alphabet.Length)]; break;
                }
            }
            try
            {
                Assembler.Assemble(new string(text.ToArray()), new MapSymbols(["m"]));
            }
            catch (BpfFormatException)
            {
                rejected++;
            }
        }
        Assert.InRange(rejected, 1000, 19999);
    }
}
