using BpfSharp.Stats;

namespace BpfSharp.Tests.Stats;

/// <summary>Rows give each field as a comparable value and as veristat's text.</summary>
public class StatRowTests
{
    [Theory]
    [InlineData(Verdict.Success, "success")]
    [InlineData(Verdict.Failure, "failure")]
    [InlineData(Verdict.NotVerified, "not_verified")]
    [InlineData(Verdict.Unsupported, "unsupported")]
    public void Verdict_texts_are_veristats_and_ours(Verdict verdict, string text)
    {
        var row = StatTestRows.Make("a.o", "p", verdict);
        Assert.Equal(text, row.Format(StatField.Verdict));
        Assert.Equal(verdict, row.GetValue(StatField.Verdict).Verdict);
        Assert.True(VerdictNames.TryParse(text, out var parsed));
        Assert.Equal(verdict, parsed);
    }

    [Fact]
    public void File_name_is_the_base_name_and_the_path_is_kept()
    {
        var row = StatTestRows.Make("/tmp/objs/xdp.bpf.o", "prog");
        Assert.Equal("/tmp/objs/xdp.bpf.o", row.FileName);
        Assert.Equal("xdp.bpf.o", row.FileBaseName);
        Assert.Equal("xdp.bpf.o", row.Format(StatField.FileName));
        Assert.Equal("x.o", StatTestRows.Make("x.o", "p").FileBaseName);
    }

    [Fact]
    public void Numbers_print_as_integers_and_unreported_stats_as_NA()
    {
        var row = StatTestRows.Make("a.o", "p", insns: 1461, peak: null, progType: null);
        Assert.Equal("1461", row.Format(StatField.TotalInstructions));
        Assert.Equal(1461, row.GetValue(StatField.TotalInstructions).Number);
        Assert.Equal("N/A", row.Format(StatField.PeakStates));
        Assert.True(row.GetValue(StatField.PeakStates).IsMissing);
        Assert.Equal("N/A", row.Format(StatField.ProgramType));
        Assert.Equal("20", row.Format(StatField.ProgramSize));
    }

    [Theory]
    [InlineData(0L, "0")]
    [InlineData(1048576L, "1")]
    [InlineData(1572864L, "1.5")]
    [InlineData(1310720L, "1.25")]
    [InlineData(1100000L, "1.05")]
    public void Memory_peak_is_MiB_with_up_to_two_decimals(long bytes, string text)
    {
        var row = StatTestRows.Make("a.o", "p", memoryBytes: bytes);
        Assert.Equal(text, row.Format(StatField.MemoryPeak));
        Assert.Equal(bytes / 1048576.0, row.MemoryPeakMiB);
    }

    [Fact]
    public void Repeated_runs_report_the_median_and_the_range()
    {
        var odd = StatTestRows.Make("a.o", "p", duration: 999, durations: [30, 10, 20]);
        Assert.Equal(20, odd.Duration);
        Assert.Equal(10, odd.DurationMin);
        Assert.Equal(30, odd.DurationMax);
        Assert.Equal("20", odd.Format(StatField.Duration));

        var even = StatTestRows.Make("a.o", "p", durations: [10, 40, 11, 100]);
        Assert.Equal(26, even.Duration); // (11 + 40) / 2 = 25.5, rounded away from zero

        var single = StatTestRows.Make("a.o", "p", duration: 77);
        Assert.Equal(77, single.Duration);
        Assert.Equal(77, single.DurationMin);
        Assert.Equal(77, single.DurationMax);
    }

    [Fact]
    public void Stack_depth_is_the_sum_of_the_functions()
    {
        var row = new StatRow("a.o", "p", new VerificationResult { Verdict = Verdict.Success, StackDepths = [32, 16, 8] });
        Assert.Equal("56", row.Format(StatField.StackDepth));
    }

    [Fact]
    public void Values_order_missing_first_then_by_number_or_text()
    {
        Assert.True(StatValue.Missing(StatKind.Number).CompareTo(StatValue.FromNumber(-5)) < 0);
        Assert.True(StatValue.FromNumber(2).CompareTo(StatValue.FromNumber(10)) < 0);
        Assert.True(StatValue.FromText("B").CompareTo(StatValue.FromText("a")) < 0);
        Assert.True(StatValue.FromVerdict(Verdict.Failure).CompareTo(StatValue.FromVerdict(Verdict.Success)) < 0);
        Assert.Equal(0, StatValue.Missing(StatKind.Text).CompareTo(StatValue.Missing(StatKind.Text)));
    }

    [Fact]
    public void A_row_restricted_to_some_fields_reads_the_others_as_missing()
    {
        var row = new StatRow("a.o", "p", new VerificationResult { Verdict = Verdict.Failure, ProgramSize = 0 })
        {
            AvailableFields = new HashSet<StatField> { StatField.FileName, StatField.ProgramName },
        };
        Assert.True(row.GetValue(StatField.Verdict).IsMissing);
        Assert.True(row.GetValue(StatField.ProgramSize).IsMissing);
        Assert.Equal("p", row.Format(StatField.ProgramName));
    }
}
