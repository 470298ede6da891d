using System.Text.Json;
using BpfSharp.Tests.TestSupport;

namespace BpfSharp.Tests.Cli;

public class StatCommandTests
{
    private static List<JsonElement> JsonLines(string stdout) =>
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    [KernelFact]
    public void Kernel_csv_has_veristats_columns_and_the_verifiers_numbers()
    {
        var r = CliRunner.Run("stat", "-o", "csv", "samples/verifier_state_stress.o");
        Assert.Equal(0, r.ExitCode);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("file_name,prog_name,verdict,duration,total_insns,total_states,peak_states,max_states_per_insn,max_mark_read_len,prog_size,prog_size_jited,prog_type,attach_type,stack_depth,mem_peak", lines[0]);
        var cells = lines[1].Split(',');
        Assert.Equal(("verifier_state_stress.o", "verifier_state_stress", "success"), (cells[0], cells[1], cells[2]));
        Assert.InRange(long.Parse(cells[4]), 9000, 10000);
        Assert.Equal("5984", cells[9]);
    }

    [KernelFact]
    public void Repeated_runs_report_the_median_with_min_and_max_in_json()
    {
        var r = CliRunner.Run("stat", "-o", "json", "-n", "3", "samples/xdp_counter.o");
        Assert.Equal(0, r.ExitCode);
        foreach (var row in JsonLines(r.Stdout))
        {
            Assert.Equal("kernel", row.GetProperty("backend").GetString());
            long min = row.GetProperty("duration_min").GetInt64(), max = row.GetProperty("duration_max").GetInt64();
            Assert.InRange(row.GetProperty("duration").GetInt64(), min, max);
            Assert.Equal("samples/xdp_counter.o", row.GetProperty("file_path").GetString());
        }
    }

    [Fact]
    public void The_bpfsharp_backend_measures_without_a_kernel()
    {
        var r = CliRunner.Run("stat", "--backend", "bpfsharp", "-o", "json", "-e", "file,prog,verdict,insns,states,peak_states,mem_alloc,mem_retained",
            "samples/xdp_counter.o", "samples/verifier_state_stress.o");
        Assert.Equal(0, r.ExitCode);
        var rows = JsonLines(r.Stdout);
        Assert.Equal(3, rows.Count);
        Assert.All(rows, row => Assert.Equal("success", row.GetProperty("verdict").GetString()));
        var stress = rows.Single(row => row.GetProperty("prog_name").GetString() == "verifier_state_stress");
        // The seed's stress program: the kernel processes 9477 instructions and keeps 749 states.
        Assert.Equal(9477, stress.GetProperty("total_insns").GetInt64());
        Assert.Equal(749, stress.GetProperty("total_states").GetInt64());
        Assert.True(stress.GetProperty("mem_alloc").GetDouble() > 0);
        Assert.True(stress.GetProperty("mem_retained").GetDouble() > 0);
    }

    [KernelFact]
    public void Both_backends_side_by_side_agree_on_the_samples()
    {
        var r = CliRunner.Run("stat", "--backend", "both", "samples/xdp_counter.o", "samples/verifier_state_stress.o");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Verdict (kernel)", r.Stdout);
        Assert.Contains("Verdict (bpfsharp)", r.Stdout);
        Assert.Contains("MATCH", r.Stdout);
        Assert.DoesNotContain("MISMATCH", r.Stdout);
    }

    [Fact]
    public void Compare_reads_veristats_own_csv()
    {
        var r = CliRunner.Run("stat", "-C", "tests/BpfSharp.Tests/Stats/Fixtures/baseline_stats.csv",
            "tests/BpfSharp.Tests/Stats/Fixtures/patched_stats.csv", "-e", "file,prog,verdict,duration,insns", "-f", "arena*");
        Assert.Equal(0, r.ExitCode);
        var row = r.Stdout.Split('\n').Single(l => l.StartsWith("arena_strsearch.bpf.o", StringComparison.Ordinal));
        Assert.Contains("MATCH", row);
        Assert.Contains("-57 (-47.11%)", row);
        Assert.Contains("+0 (+0.00%)", row);
    }

    [KernelFact]
    public void Compare_works_on_two_runs_of_our_own()
    {
        string a = Path.GetTempFileName(), b = Path.GetTempFileName();
        try
        {
            File.WriteAllText(a, CliRunner.Run("stat", "-o", "csv", "samples/xdp_counter.o").Stdout);
            File.WriteAllText(b, CliRunner.Run("stat", "-o", "csv", "samples/xdp_counter.o").Stdout);
            var r = CliRunner.Run("stat", "-C", a, b, "-o", "csv", "-e", "file,prog,verdict,insns");
            Assert.Equal(0, r.ExitCode);
            var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("file_name,prog_name,verdict_base,verdict_comp,verdict_diff,total_insns_base,total_insns_comp,total_insns_diff", lines[0]);
            Assert.Equal(3, lines.Length);
            // Same verdict and same instruction count in both runs of the same objects.
            Assert.All(lines.Skip(1), l => Assert.Matches(@",success,success,MATCH,(\d+),\1,\+0 \(\+0\.00%\)$", l));
        }
        finally
        {
            File.Delete(a);
            File.Delete(b);
        }
    }

    [KernelFact]
    public void Filters_and_sorting_follow_veristat()
    {
        var r = CliRunner.Run("stat", "-o", "csv", "-e", "prog,insns", "-s", "insns^", "-f", "insns>50",
            "samples/xdp_counter.o", "samples/verifier_state_stress.o", "tests/objects/linking.o");
        Assert.Equal(0, r.ExitCode);
        var progs = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')[0]).ToArray();
        Assert.Equal(["xdp_count", "tc_count", "verifier_state_stress"], progs);
        var denied = CliRunner.Run("stat", "-o", "csv", "-e", "prog", "-f", "!*stress*", "samples/xdp_counter.o", "samples/verifier_state_stress.o");
        Assert.DoesNotContain("verifier_state_stress", denied.Stdout);
    }

    [Fact]
    public void Bad_filters_are_usage_errors()
    {
        var r = CliRunner.Run("stat", "-e", "frobs", "samples/xdp_counter.o");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("frobs", r.Stderr);
    }
}
