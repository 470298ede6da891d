using BpfSharp.Stats;

namespace BpfSharp.Tests.Stats;

/// <summary>-f filters parse and combine as veristat's do.</summary>
public class StatFilterTests
{
    private static readonly StatRow[] Rows =
    [
        StatTestRows.Make("xdp_lb.bpf.o", "xdp_main", Verdict.Success, insns: 1500, states: 90),
        StatTestRows.Make("xdp_lb.bpf.o", "tc_egress", Verdict.Failure, insns: 20, states: 2, progType: "sched_cls"),
        StatTestRows.Make("/objs/pyperf.bpf.o", "on_event", Verdict.Success, insns: 1000, states: 40, progType: "raw_tracepoint"),
        StatTestRows.Make("loop.bpf.o", "loop_xdp", Verdict.NotVerified, insns: null, states: null),
        StatTestRows.Make("loop.bpf.o", "stub", Verdict.Unsupported, insns: null, states: null),
    ];

    private static string[] Shown(params string[] filters)
    {
        var set = StatFilterSet.Parse(filters);
        return Rows.Where(set.Matches).Select(r => r.ProgramName).ToArray();
    }

    [Theory]
    [InlineData("insns>1000", "xdp_main")]
    [InlineData("insns>=1000", "xdp_main,on_event")]
    [InlineData("insns<1000", "tc_egress,loop_xdp,stub")]
    [InlineData("insns<=20", "tc_egress,loop_xdp,stub")]
    [InlineData("insns==1000", "on_event")]
    [InlineData("insns=1000", "on_event")]
    [InlineData("insns!=1000", "xdp_main,tc_egress,loop_xdp,stub")]
    [InlineData("insns<>1000", "xdp_main,tc_egress,loop_xdp,stub")]
    [InlineData("total_insns> 1000", "xdp_main")]
    [InlineData("states>-1", "xdp_main,tc_egress,on_event,loop_xdp,stub")]
    public void Each_operator_compares_the_stat(string filter, string expected) =>
        Assert.Equal(expected.Split(','), Shown(filter));

    [Theory]
    [InlineData("verdict=failure", "tc_egress")]
    [InlineData("verdict=FAIL", "tc_egress")]
    [InlineData("verdict=f", "tc_egress")]
    [InlineData("verdict==0", "tc_egress")]
    [InlineData("verdict=success", "xdp_main,on_event")]
    [InlineData("verdict=s", "xdp_main,on_event")]
    [InlineData("verdict=true", "xdp_main,on_event")]
    [InlineData("verdict!=success", "tc_egress,loop_xdp,stub")]
    [InlineData("verdict=not_verified", "loop_xdp")]
    [InlineData("verdict=unsupported", "stub")]
    public void Verdicts_compare_by_veristats_numbers(string filter, string expected) =>
        Assert.Equal(expected.Split(','), Shown(filter));

    [Theory]
    [InlineData("xdp*", "xdp_main,tc_egress")]
    [InlineData("*xdp*", "xdp_main,tc_egress,loop_xdp")]
    [InlineData("*_xdp", "loop_xdp")]
    [InlineData("xdp_lb.bpf.o/tc*", "tc_egress")]
    [InlineData("/on_*", "on_event")]
    [InlineData("loop*/", "loop_xdp,stub")]
    [InlineData("pyperf.bpf.o", "on_event")]
    [InlineData("*", "xdp_main,tc_egress,on_event,loop_xdp,stub")]
    [InlineData("/", "xdp_main,tc_egress,on_event,loop_xdp,stub")]
    public void Globs_match_the_file_base_name_or_the_program(string filter, string expected) =>
        Assert.Equal(expected.Split(','), Shown(filter));

    [Fact]
    public void Globs_are_whole_and_case_sensitive()
    {
        Assert.Empty(Shown("XDP*"));
        Assert.Empty(Shown("xdp"));
        Assert.Empty(Shown("/objs/pyperf.bpf.o"));
    }

    [Fact]
    public void Negation_denies_and_deny_wins()
    {
        Assert.Equal(["on_event", "loop_xdp", "stub"], Shown("!xdp_lb*"));
        Assert.Equal(["xdp_main"], Shown("xdp*", "!tc*", "!loop*"));
        Assert.Equal(["xdp_main", "on_event"], Shown("!verdict!=success"));
        // veristat rejects on either side of a negated FILE/PROG.
        Assert.Equal(["on_event"], Shown("!xdp_lb.bpf.o/nothing", "!loop.bpf.o/"));
        Assert.Equal(["tc_egress", "on_event", "stub"], Shown("!/*xdp*"));
    }

    [Fact]
    public void Filters_of_one_kind_are_alternatives_and_the_kinds_must_both_pass()
    {
        Assert.Equal(["xdp_main", "tc_egress", "on_event"], Shown("xdp_lb*", "pyperf*"));
        Assert.Equal(["xdp_main", "tc_egress"], Shown("insns>1000", "verdict=failure"));
        Assert.Equal(["xdp_main"], Shown("xdp*", "insns>100"));
        Assert.Equal(["xdp_main", "on_event"], Shown("xdp_lb*", "pyperf*", "insns>100"));
    }

    [Fact]
    public void Unreported_stats_compare_as_veristats_zero()
    {
        Assert.Equal(["loop_xdp", "stub"], Shown("insns=0"));
        Assert.Equal(["xdp_main", "tc_egress", "on_event", "loop_xdp", "stub"], Shown("mem_peak=-1"));
    }

    [Fact]
    public void Program_types_compare_as_enum_numbers_or_names()
    {
        Assert.Equal(["xdp_main", "loop_xdp", "stub"], Shown("prog_type=6"));
        Assert.Equal(["tc_egress"], Shown("prog_type=sched_cls"));
    }

    [Fact]
    public void Absolute_value_needs_the_bars()
    {
        var row = new StatJoinRow("a.o", "p", StatTestRows.Make("a.o", "p", insns: 100), StatTestRows.Make("a.o", "p", insns: 40));
        Assert.False(StatFilterSet.Parse(["insns_diff>50"]).Matches(row));
        Assert.True(StatFilterSet.Parse(["|insns_diff|>50"]).Matches(row));
        Assert.True(StatFilterSet.Parse(["insns_diff=-60"]).Matches(row));
    }

    [Fact]
    public void Comparison_filters_take_the_variant_b_by_default()
    {
        var row = new StatJoinRow("a.o", "p", StatTestRows.Make("a.o", "p", insns: 100), StatTestRows.Make("a.o", "p", insns: 40));
        Assert.True(StatFilterSet.Parse(["insns=40"]).Matches(row));
        Assert.True(StatFilterSet.Parse(["insns_b=40"]).Matches(row));
        Assert.True(StatFilterSet.Parse(["insns_a=100"]).Matches(row));
        Assert.True(StatFilterSet.Parse(["insns_pct=-60"]).Matches(row));
        Assert.True(StatFilterSet.Parse(["verdict_diff=match"]).Matches(row));
        var oneSided = new StatJoinRow("a.o", "p", StatTestRows.Make("a.o", "p"), null);
        Assert.False(StatFilterSet.Parse(["insns_b>-1000000"]).Matches(oneSided));
        Assert.True(StatFilterSet.Parse(["insns_a=100"]).Matches(oneSided));
    }

    [Fact]
    public void Parsed_filters_expose_their_parts()
    {
        var stat = StatFilter.Parse("|insns_diff|>=100");
        Assert.Equal(StatFilterKind.Stat, stat.Kind);
        Assert.Equal(StatField.TotalInstructions, stat.Field);
        Assert.Equal(StatVariant.Diff, stat.Variant);
        Assert.True(stat.Absolute);
        Assert.Equal(StatOperator.GreaterOrEqual, stat.Operator);
        Assert.Equal(100, stat.Value);

        var name = StatFilter.Parse("file*.o/prog*", deny: true);
        Assert.Equal(StatFilterKind.Name, name.Kind);
        Assert.Equal("file*.o", name.FileGlob);
        Assert.Equal("prog*", name.ProgramGlob);
        Assert.Null(name.AnyGlob);
        Assert.Equal("!file*.o/prog*", name.ToString());

        Assert.Equal(StatOperator.LessOrEqual, StatFilter.Parse("insns<=5").Operator);
        Assert.Equal(StatOperator.NotEqual, StatFilter.Parse("insns<>5").Operator);
    }

    [Theory]
    [InlineData("bogus>5", "Unrecognized stat name in 'bogus>5'")]
    [InlineData("xdp*=5", "Unrecognized stat name in 'xdp*=5'")]
    [InlineData("insns=<5", "Unrecognized stat name in 'insns=<5'")]
    [InlineData("file=3", "Non-integer stat is specified in 'file=3'")]
    [InlineData("prog_name!=x", "Non-integer stat is specified in 'prog_name!=x'")]
    [InlineData("insns>many", "Invalid integer value in 'insns>many'")]
    [InlineData("insns>", "Invalid integer value in 'insns>'")]
    [InlineData("insns>5x", "Invalid integer value in 'insns>5x'")]
    [InlineData("insns>99999999999999999999", "Invalid integer value in 'insns>99999999999999999999'")]
    public void Bad_filters_are_usage_errors_naming_the_filter(string filter, string message)
    {
        var e = Assert.Throws<StatsUsageException>(() => StatFilterSet.Parse([filter]));
        Assert.Equal(message, e.Message);
        Assert.Equal(filter, e.Argument);
    }

    [Fact]
    public void A_filter_file_holds_one_filter_per_line_with_comments_and_negation()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, ["# which programs", "", "  xdp*  ", "!tc*", "@not_a_file", "insns>10"]);
            var set = StatFilterSet.Parse(["@" + path]);
            Assert.Equal(["xdp*", "@not_a_file", "insns>10"], set.Allow.Select(f => f.Expression));
            Assert.Equal(["tc*"], set.Deny.Select(f => f.Expression));
            Assert.Equal(["xdp_main"], Rows.Where(set.Matches).Select(r => r.ProgramName));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_missing_filter_file_is_a_usage_error()
    {
        var e = Assert.Throws<StatsUsageException>(() => StatFilterSet.Parse(["@/nonexistent/filters.txt"]));
        Assert.StartsWith("Failed to open filters in '/nonexistent/filters.txt'", e.Message);
    }

    [Fact]
    public void Files_are_skipped_only_when_no_program_of_them_can_pass()
    {
        var set = StatFilterSet.Parse(["xdp_main", "!skip*", "other.o/p*"]);
        Assert.True(set.MatchesFile("/objs/any.o"));   // xdp_main may be a program in it
        Assert.False(set.MatchesFile("/objs/skip_me.o"));
        var byFile = StatFilterSet.Parse(["other.o/p*"]);
        Assert.True(byFile.MatchesFile("dir/other.o"));
        Assert.False(byFile.MatchesFile("dir/another.o"));
        Assert.True(StatFilterSet.Parse(["insns>5"]).MatchesFile("x.o"));
        Assert.True(new StatFilterSet().IsEmpty);
    }
}
