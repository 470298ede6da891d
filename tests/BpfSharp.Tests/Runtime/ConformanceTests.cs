using BpfSharp.Runtime;
using BpfSharp.Runtime.Conformance;

namespace BpfSharp.Tests.Runtime;

/// <summary>The interpreter against every test of the eBPF conformance suite (RFC 9669 semantics).</summary>
public class ConformanceTests
{
    [ConformanceTheory]
    [MemberData(nameof(ConformanceSuite.Names), MemberType = typeof(ConformanceSuite))]
    public void Conformance_test_gives_the_expected_r0(string name)
    {
        var test = ConformanceTestReader.ReadFile(ConformanceSuite.PathOf(name));
        Assert.NotEmpty(test.Instructions);
        Assert.NotNull(test.ExpectedResult);
        Assert.Equal(test.ExpectedResult!.Value, ConformanceRunner.Run(test));
    }

    [ConformanceFact]
    public void All_313_conformance_tests_pass()
    {
        var failures = new List<string>();
        int passed = 0;
        foreach (var name in ConformanceSuite.Files)
        {
            try
            {
                var test = ConformanceTestReader.ReadFile(ConformanceSuite.PathOf(name));
                ulong r0 = ConformanceRunner.Run(test);
                if (r0 == test.ExpectedResult) passed++;
                else failures.Add($"{name}: r0 = 0x{r0:x}, expected 0x{test.ExpectedResult:x}");
            }
            catch (Exception e) when (e is BpfRuntimeException or FormatException)
            {
                failures.Add($"{name}: {e.Message}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(313, passed);
    }

    [Fact]
    public void Raw_section_is_read_as_little_endian_words_when_there_is_no_asm()
    {
        var test = ConformanceTestReader.Parse("-- raw\n0x5566778800000018\n0x1122334400000000\n0x0000000000000095\n-- result\n0x1122334455667788\n", "raw.data");
        Assert.Equal(3, test.Instructions.Length);
        Assert.Equal(0x1122334455667788UL, ConformanceRunner.Run(test));
    }

    [Fact]
    public void Asm_labels_exit_label_and_comments_assemble_like_the_suite()
    {
        var test = ConformanceTestReader.Parse(
            "# comment\n-- asm\nmov32 %r0, 1\njeq %r0, 1, exit # taken\nmov32 %r0, 2\nexit\n-- mem\n01 02\n-- result\n1\n-- c\n#include <x.h>\n", "t.data");
        Assert.Equal([0x01, 0x02], test.Memory);
        Assert.Equal(1UL, test.ExpectedResult);
        Assert.Equal(1, test.Instructions[1].Offset);
        Assert.Equal(1UL, ConformanceRunner.Run(test));
    }

    [Theory]
    [InlineData("bogus %r0", "unknown mnemonic 'bogus'")]
    [InlineData("mov %r11x, 1", "is not a register")]
    [InlineData("ja nowhere\nexit", "undefined label 'nowhere'")]
    [InlineData("ldxw %r0, %r1", "is not a memory operand")]
    [InlineData("mov %r0", "expected 2 operands")]
    public void Malformed_assembly_is_a_format_error_naming_the_line(string asm, string message)
    {
        var e = Assert.Throws<FormatException>(() => ConformanceAssembler.Assemble(asm));
        Assert.Contains(message, e.Message);
        Assert.Contains("line 1", e.Message);
    }
}
