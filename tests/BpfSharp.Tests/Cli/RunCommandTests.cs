using System.Text.Json;
using BpfSharp.Runtime.Packets;

namespace BpfSharp.Tests.Cli;

public class RunCommandTests
{
    // An IPv4/UDP frame: xdp_count counts protocol 17 in proto_count and passes it (XDP_PASS = 2).
    private static readonly string Udp = Convert.ToHexString(new PacketGenerator(7).EveryKind().First(p => p.Label == "ipv4/udp valid").Frame);

    [Fact]
    public void Run_prints_the_return_value_the_packet_and_the_maps_the_run_changed_as_json()
    {
        var r = CliRunner.Run("run", "samples/xdp_counter.o", "-p", "xdp_count", "--data-hex", Udp, "--repeat", "3", "-o", "json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        var root = doc.RootElement;
        Assert.Equal(2UL, root.GetProperty("return_value").GetUInt64());
        Assert.Equal(Udp.ToLowerInvariant(), root.GetProperty("data_out").GetString());
        Assert.Equal(3, root.GetProperty("runs").GetInt32());
        Assert.True(root.GetProperty("ns_per_run").GetInt64() > 0);
        var maps = root.GetProperty("maps_changed").EnumerateArray().Select(m => m.GetProperty("name").GetString()).ToList();
        Assert.Contains("proto_count", maps);
        Assert.Contains(".bss", maps);
    }

    [Fact]
    public void Profile_lists_the_hottest_instructions_with_their_source_lines()
    {
        var r = CliRunner.Run("run", "samples/xdp_counter.o", "-p", "tc_count", "--data-hex", Udp, "--repeat", "4", "--profile", "-o", "json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        var root = doc.RootElement;
        Assert.Equal(4, root.GetProperty("run_cnt").GetInt64());
        Assert.True(root.GetProperty("run_time_ns").GetInt64() > 0);
        var hottest = root.GetProperty("hottest").EnumerateArray().First();
        Assert.Equal(4, hottest.GetProperty("count").GetInt64());
        Assert.Contains("xdp_counter.c:", hottest.GetProperty("source").GetString());
    }

    [Fact]
    public void A_frame_the_kernel_refuses_is_refused_with_its_errno()
    {
        var r = CliRunner.Run("run", "samples/xdp_counter.o", "-p", "xdp_count", "--data-hex", "0011", "-o", "json");
        Assert.Equal(3, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.Equal(22, doc.RootElement.GetProperty("errno").GetInt32());
    }

    [Fact]
    public void Raw_runs_with_the_input_in_r1_and_its_length_in_r2()
    {
        var r = CliRunner.Run("run", "samples/xdp_counter.o", "-p", "xdp_count", "--raw", "--data-hex", "00 11 22", "-o", "json");
        // xdp_count reads ctx->data_end at r1+4, which is past a 3-byte input: the run stops and names the access.
        Assert.Equal(3, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.Contains("input", doc.RootElement.GetProperty("error").GetString());
    }

    [TestSupport.KernelFact]
    public void Backend_both_runs_the_kernel_on_the_same_input_and_reports_agreement()
    {
        var r = CliRunner.Run("run", "samples/xdp_counter.o", "-p", "tc_count", "--data-hex", Udp, "--repeat", "10", "--backend", "both", "-o", "json");
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        var kernel = doc.RootElement.GetProperty("kernel");
        Assert.Equal(JsonValueKind.Null, kernel.GetProperty("problem").ValueKind);
        Assert.Equal(doc.RootElement.GetProperty("return_value").GetUInt64(), kernel.GetProperty("return_value").GetUInt64());
        Assert.True(kernel.GetProperty("return_value_match").GetBoolean());
        Assert.True(kernel.GetProperty("data_out_match").GetBoolean());
    }

    [Fact]
    public void Raw_has_no_kernel_counterpart()
    {
        var r = CliRunner.Run("run", "samples/xdp_counter.o", "-p", "xdp_count", "--raw", "--backend", "both");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("--raw has no kernel equivalent", r.Stderr);
    }

    [Fact]
    public void Bad_hex_and_missing_program_choice_are_usage_errors()
    {
        var bad = CliRunner.Run("run", "samples/xdp_counter.o", "-p", "xdp_count", "--data-hex", "zz");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("--data-hex", bad.Stderr);
        var ambiguous = CliRunner.Run("run", "samples/xdp_counter.o", "--data-hex", Udp);
        Assert.NotEqual(0, ambiguous.ExitCode);
        Assert.Contains("choose one with -p", ambiguous.Stderr);
    }
}
