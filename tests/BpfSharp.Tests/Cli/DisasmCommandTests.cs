namespace BpfSharp.Tests.Cli;

public class DisasmCommandTests
{
    [Fact]
    public void Prints_linked_code_with_functions_maps_and_source_lines()
    {
        var r = CliRunner.Run("disasm", "samples/xdp_counter.o", "-p", "xdp_count");
        Assert.Equal(0, r.ExitCode);
        var lines = r.Stdout.Split('\n');
        Assert.StartsWith("xdp_count: section xdp, type xdp, 10 insns, 41 linked, ISA v3", lines[0]);
        Assert.Contains("xdp_count:", lines);
        Assert.Contains("count:", lines);
        Assert.Contains("ip_protocol:", lines);
        Assert.Contains(lines, l => l.EndsWith("(18) r1 = map[proto_count] ll"));
        Assert.Contains(lines, l => l.EndsWith("(18) r2 = map_value[.bss]+0 ll"));
        Assert.Contains(lines, l => l.Contains("(85) call pc+"));
        Assert.Contains(lines, l => l.Contains("(85) call bpf_map_lookup_elem#1"));
        Assert.Contains(lines, l => l.StartsWith("; return count(ip_protocol(data, data_end)) ? XDP_DROP : XDP_PASS; @ xdp_counter.c:"));
        Assert.DoesNotContain("tc_count:", lines);
    }

    [Fact]
    public void Without_a_program_every_program_is_printed()
    {
        var r = CliRunner.Run("disasm", "samples/xdp_counter.o");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("xdp_count: section xdp", r.Stdout);
        Assert.Contains("tc_count: section tc", r.Stdout);
    }

    [Fact]
    public void An_unknown_program_names_the_ones_there_are()
    {
        var r = CliRunner.Run("disasm", "samples/xdp_counter.o", "-p", "nope");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("no program or section named 'nope' (programs: xdp_count, tc_count)", r.Stderr);
    }

    [Fact]
    public void Not_an_object_is_exit_2()
    {
        var r = CliRunner.Run("disasm", "README.md");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("README.md at offset 0x0: not an ELF file (bad magic)", r.Stderr);
    }
}
