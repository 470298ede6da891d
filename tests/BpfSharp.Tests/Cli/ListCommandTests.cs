using System.Text.Json;
using BpfSharp.Tests.TestSupport;

namespace BpfSharp.Tests.Cli;

public class ListCommandTests
{
    [Fact]
    public void Json_output_has_one_object_per_file_in_the_documented_shape()
    {
        var r = CliRunner.Run("list", "-o", "json", "samples/xdp_counter.o", "tests/objects/legacy_maps.o");
        Assert.Equal(0, r.ExitCode);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        var sample = JsonDocument.Parse(lines[0]).RootElement;
        Assert.Equal("samples/xdp_counter.o", sample.GetProperty("file").GetString());
        var programs = sample.GetProperty("programs").EnumerateArray().ToList();
        Assert.Equal(2, programs.Count);
        var xdp = programs[0];
        Assert.Equal(["name", "section", "type", "attach_type", "insn_count", "linked_insn_count", "isa_version"],
            xdp.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("xdp_count", "xdp", "xdp", "xdp"), (xdp.GetProperty("name").GetString(), xdp.GetProperty("section").GetString(),
            xdp.GetProperty("type").GetString(), xdp.GetProperty("attach_type").GetString()));
        Assert.Equal((10, 41, "v3"), (xdp.GetProperty("insn_count").GetInt32(), xdp.GetProperty("linked_insn_count").GetInt32(), xdp.GetProperty("isa_version").GetString()));
        Assert.Equal(JsonValueKind.Null, programs[1].GetProperty("attach_type").ValueKind);
        Assert.Equal("sched_cls", programs[1].GetProperty("type").GetString());
        var map = sample.GetProperty("maps")[0];
        Assert.Equal(["name", "type", "key_size", "value_size", "max_entries", "flags"], map.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("proto_count", "array", 4, 8, 256, 0), (map.GetProperty("name").GetString(), map.GetProperty("type").GetString(),
            map.GetProperty("key_size").GetInt32(), map.GetProperty("value_size").GetInt32(), map.GetProperty("max_entries").GetInt32(), map.GetProperty("flags").GetInt32()));
        Assert.Equal("tests/objects/legacy_maps.o", JsonDocument.Parse(lines[1]).RootElement.GetProperty("file").GetString());
    }

    [Fact]
    public void Table_output_lists_programs_and_maps()
    {
        var r = CliRunner.Run("list", "samples/xdp_counter.o");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("xdp_count", r.Stdout);
        Assert.Contains("sched_cls", r.Stdout);
        Assert.Contains("proto_count", r.Stdout);
        Assert.Contains(".rodata", r.Stdout);
    }

    [Fact]
    public void A_malformed_file_is_exit_2_with_file_section_and_offset_and_no_stack_trace()
    {
        // Make the .BTF section claim more bytes than the file has.
        string bad = Path.Combine(Path.GetTempPath(), $"bpfsharp-bad-{Environment.ProcessId}.o");
        var bytes = File.ReadAllBytes(TestObjects.InRepository("samples/xdp_counter.o"));
        var btf = BpfSharp.Elf.ElfFile.Parse(bytes).FindSection(".BTF")!;
        int header = (int)BitConverter.ToUInt64(bytes, 0x28) + btf.Index * 64;
        BitConverter.GetBytes(0xffffffUL).CopyTo(bytes, header + 32);
        File.WriteAllBytes(bad, bytes);
        try
        {
            var r = CliRunner.Run("list", "-o", "json", bad, "samples/xdp_counter.o");
            Assert.Equal(2, r.ExitCode);
            Assert.StartsWith($"bpfsharp: error: {bad} at offset 0x", r.Stderr);
            Assert.Contains("section '.BTF': data (offset 0x", r.Stderr);
            Assert.DoesNotContain("   at ", r.Stderr);
            var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(JsonDocument.Parse(lines[0]).RootElement.TryGetProperty("error", out _));
            Assert.Equal(2, JsonDocument.Parse(lines[1]).RootElement.GetProperty("programs").GetArrayLength());
        }
        finally
        {
            File.Delete(bad);
        }
    }

    [Fact]
    public void A_missing_file_is_exit_2()
    {
        var r = CliRunner.Run("list", "no/such/file.o");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no/such/file.o", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [CorpusFact]
    public void Prog_type_overrides_what_the_section_name_cannot_say()
    {
        string lb = TestCorpus.PathOf("suricata/lb.o");
        var plain = JsonDocument.Parse(CliRunner.Run("list", "-o", "json", lb).Stdout).RootElement;
        Assert.Equal("unspec", plain.GetProperty("programs")[0].GetProperty("type").GetString());
        var typed = JsonDocument.Parse(CliRunner.Run("list", "-o", "json", "--prog-type", "socket_filter", lb).Stdout).RootElement;
        Assert.Equal("socket_filter", typed.GetProperty("programs")[0].GetProperty("type").GetString());
        var perProgram = JsonDocument.Parse(CliRunner.Run("list", "-o", "json", "--prog-type", "lb=BPF_PROG_TYPE_SCHED_CLS", lb).Stdout).RootElement;
        Assert.Equal("sched_cls", perProgram.GetProperty("programs")[0].GetProperty("type").GetString());
    }

    [Fact]
    public void An_unknown_program_type_is_a_usage_error()
    {
        var r = CliRunner.Run("list", "--prog-type", "frobnicator", "samples/xdp_counter.o");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("unknown program type 'frobnicator'", r.Stderr);
    }
}
