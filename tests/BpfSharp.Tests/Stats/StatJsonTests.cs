using System.Text.Json;
using BpfSharp.Stats;

namespace BpfSharp.Tests.Stats;

/// <summary>JSON Lines output: one object per row, keyed by the CSV names, with repeat ranges and messages.</summary>
public class StatJsonTests
{
    private static JsonElement[] Lines(Action<Stream> write)
    {
        using var stream = new MemoryStream();
        write(stream);
        string text = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        Assert.EndsWith("\n", text);
        return text.TrimEnd('\n').Split('\n').Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToArray();
    }

    [Fact]
    public void A_row_is_an_object_keyed_by_field_names()
    {
        var row = StatTestRows.Make("/objs/lb.bpf.o", "xdp_main", insns: 1500, states: 90, peak: null, memoryBytes: 1572864,
            durations: [30, 10, 20], backend: StatBackends.Kernel);
        var json = Lines(s => StatJsonWriter.WriteRows(s, [row], StatFields.ParseEmit("file,prog,verdict,dur,insns,peak_states,mem_peak,prog_type"))).Single();
        Assert.Equal(
            ["file_name", "file_path", "prog_name", "verdict", "duration", "duration_min", "duration_max", "total_insns",
             "peak_states", "mem_peak", "mem_peak_bytes", "prog_type", "backend"],
            json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("lb.bpf.o", json.GetProperty("file_name").GetString());
        Assert.Equal("/objs/lb.bpf.o", json.GetProperty("file_path").GetString());
        Assert.Equal("success", json.GetProperty("verdict").GetString());
        Assert.Equal(20, json.GetProperty("duration").GetInt64());
        Assert.Equal(10, json.GetProperty("duration_min").GetInt64());
        Assert.Equal(30, json.GetProperty("duration_max").GetInt64());
        Assert.Equal(1500, json.GetProperty("total_insns").GetInt64());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("peak_states").ValueKind);
        Assert.Equal(1.5, json.GetProperty("mem_peak").GetDouble());
        Assert.Equal(1572864, json.GetProperty("mem_peak_bytes").GetInt64());
        Assert.Equal("xdp", json.GetProperty("prog_type").GetString());
        Assert.Equal("kernel", json.GetProperty("backend").GetString());
    }

    [Theory]
    [InlineData(Verdict.Failure, "R1 invalid mem access 'scalar'")]
    [InlineData(Verdict.NotVerified, "map 'big' could not be created: ENOMEM")]
    [InlineData(Verdict.Unsupported, "bpf_loop callbacks are not supported yet")]
    [InlineData(Verdict.Failure, null)]
    public void Unsuccessful_rows_carry_their_message(Verdict verdict, string? message)
    {
        var json = Lines(s => StatJsonWriter.WriteRows(s, [StatTestRows.Make("a.o", "p", verdict, message: message)], [StatField.Verdict])).Single();
        Assert.Equal(VerdictNames.ToText(verdict), json.GetProperty("verdict").GetString());
        Assert.Equal(message, json.GetProperty("message").GetString());
    }

    [Fact]
    public void Successful_rows_and_single_runs_have_no_extra_keys()
    {
        var json = Lines(s => StatJsonWriter.WriteRows(s, [StatTestRows.Make("a.o", "p", duration: 5)], [StatField.Verdict, StatField.Duration])).Single();
        Assert.Equal(["verdict", "duration"], json.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Each_row_is_one_line()
    {
        var lines = Lines(s => StatJsonWriter.WriteRows(s, [StatTestRows.Make("a.o", "p"), StatTestRows.Make("a.o", "q")], [StatField.ProgramName]));
        Assert.Equal(["p", "q"], lines.Select(l => l.GetProperty("prog_name").GetString()));
    }

    [Fact]
    public void A_comparison_row_has_both_sides_and_the_differences()
    {
        var joined = StatJoin.Join(
            [StatTestRows.Make("a.o", "p", insns: 100, duration: 121), StatTestRows.Make("a.o", "old")],
            [StatTestRows.Make("a.o", "p", insns: 100, duration: 64)]);
        var lines = Lines(s => StatJsonWriter.WriteComparison(s, joined, StatFields.ParseEmit("file,prog,verdict,dur,insns")));
        var old = lines[0];
        Assert.Equal("old", old.GetProperty("prog_name").GetString());
        Assert.Equal(JsonValueKind.Null, old.GetProperty("b").ValueKind);
        Assert.Equal(JsonValueKind.Null, old.GetProperty("diff").GetProperty("verdict").ValueKind);
        var p = lines[1];
        Assert.Equal(["file_name", "prog_name", "a", "b", "diff"], p.EnumerateObject().Select(x => x.Name));
        Assert.Equal(121, p.GetProperty("a").GetProperty("duration").GetInt64());
        Assert.Equal(64, p.GetProperty("b").GetProperty("duration").GetInt64());
        Assert.Equal("-57 (-47.11%)", p.GetProperty("diff").GetProperty("duration").GetString());
        Assert.Equal("MATCH", p.GetProperty("diff").GetProperty("verdict").GetString());
        Assert.False(p.GetProperty("a").TryGetProperty("file_name", out _));
    }

    [Fact]
    public void A_backend_row_names_its_sides()
    {
        var joined = StatJoin.Join(
            [StatTestRows.Make("a.o", "p", backend: StatBackends.Kernel)],
            [StatTestRows.Make("a.o", "p", Verdict.Unsupported, message: "not yet", backend: StatBackends.BpfSharp)]);
        var json = Lines(s => StatJsonWriter.WriteBackends(s, joined, StatFields.ParseEmit("file,prog,verdict,insns"))).Single();
        Assert.Equal(["file_name", "prog_name", "kernel", "bpfsharp", "diff"], json.EnumerateObject().Select(x => x.Name));
        Assert.Equal("not yet", json.GetProperty("bpfsharp").GetProperty("message").GetString());
        Assert.Equal("UNSUPPORTED", json.GetProperty("diff").GetProperty("total_insns").GetString());
    }
}
