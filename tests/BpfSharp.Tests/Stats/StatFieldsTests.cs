using BpfSharp.Stats;
using FsCheck;
using FsCheck.Fluent;

namespace BpfSharp.Tests.Stats;

/// <summary>The stat table holds veristat's names, aliases, titles and defaults; -e and -s lists parse as veristat's do.</summary>
public class StatFieldsTests
{
    [Theory]
    [InlineData(StatField.FileName, "file_name", "File")]
    [InlineData(StatField.ProgramName, "prog_name", "Program")]
    [InlineData(StatField.Verdict, "verdict", "Verdict")]
    [InlineData(StatField.Duration, "duration", "Duration (us)")]
    [InlineData(StatField.TotalInstructions, "total_insns", "Insns")]
    [InlineData(StatField.TotalStates, "total_states", "States")]
    [InlineData(StatField.PeakStates, "peak_states", "Peak states")]
    [InlineData(StatField.MaxStatesPerInstruction, "max_states_per_insn", "Max states per insn")]
    [InlineData(StatField.MarkRead, "max_mark_read_len", "Max mark read length")]
    [InlineData(StatField.ProgramSize, "prog_size", "Program size")]
    [InlineData(StatField.JitedSize, "prog_size_jited", "Jited size")]
    [InlineData(StatField.ProgramType, "prog_type", "Program type")]
    [InlineData(StatField.AttachType, "attach_type", "Attach type")]
    [InlineData(StatField.StackDepth, "stack_depth", "Stack depth")]
    [InlineData(StatField.MemoryPeak, "mem_peak", "Peak memory (MiB)")]
    public void Names_and_titles_are_veristats(StatField field, string name, string header)
    {
        var info = StatFields.Get(field);
        Assert.Equal(field, info.Field);
        Assert.Equal(name, info.Name);
        Assert.Equal(header, info.Header);
    }

    [Theory]
    [InlineData("filename", StatField.FileName)]
    [InlineData("file", StatField.FileName)]
    [InlineData("progname", StatField.ProgramName)]
    [InlineData("prog", StatField.ProgramName)]
    [InlineData("dur", StatField.Duration)]
    [InlineData("insns", StatField.TotalInstructions)]
    [InlineData("states", StatField.TotalStates)]
    [InlineData("mark_read", StatField.MarkRead)]
    [InlineData("stack", StatField.StackDepth)]
    public void Aliases_name_their_stat(string alias, StatField field)
    {
        Assert.True(StatFields.TryParse(alias, out var parsed));
        Assert.Equal(field, parsed);
    }

    [Fact]
    public void Every_name_and_alias_round_trips_and_no_alias_is_shared()
    {
        var all = StatFields.All.SelectMany(i => i.Names.Select(n => (Name: n, i.Field))).ToArray();
        Assert.Equal(all.Length, all.Select(a => a.Name).Distinct().Count());
        foreach (var (name, field) in all)
        {
            Assert.True(StatFields.TryParse(name, out var parsed), name);
            Assert.Equal(field, parsed);
        }
        Assert.Equal(Enum.GetValues<StatField>(), StatFields.All.Select(i => i.Field));
    }

    [Theory]
    [InlineData("Insns")]
    [InlineData("INSNS")]
    [InlineData("all")]
    [InlineData("insns_a")]
    [InlineData("")]
    public void Lookup_is_exact_and_case_sensitive(string name) => Assert.False(StatFields.TryParse(name, out _));

    [Fact]
    public void Defaults_are_veristats()
    {
        Assert.Equal(
            [StatField.FileName, StatField.ProgramName, StatField.Verdict, StatField.Duration, StatField.TotalInstructions,
             StatField.TotalStates, StatField.ProgramSize, StatField.JitedSize],
            StatFields.DefaultTable);
        Assert.Equal(
            "file_name,prog_name,verdict,duration,total_insns,total_states,peak_states,max_states_per_insn,max_mark_read_len,"
            + "prog_size,prog_size_jited,prog_type,attach_type,stack_depth,mem_peak",
            string.Join(',', StatFields.DefaultCsv.Select(f => StatFields.Get(f).Name)));
    }

    [Fact]
    public void Only_names_and_the_verdict_sort_ascending_by_default() =>
        Assert.Equal(
            [StatField.FileName, StatField.ProgramName, StatField.Verdict],
            StatFields.All.Where(i => i.AscendingByDefault).Select(i => i.Field));

    [Fact]
    public void Emit_list_keeps_order_aliases_and_duplicates()
    {
        Assert.Equal(
            [StatField.FileName, StatField.ProgramName, StatField.Verdict, StatField.Duration, StatField.TotalInstructions,
             StatField.TotalStates, StatField.PeakStates, StatField.MemoryPeak],
            StatFields.ParseEmit("file,prog,verdict,duration,insns,states,peak_states,mem_peak"));
        Assert.Equal([StatField.TotalInstructions, StatField.TotalInstructions], StatFields.ParseEmit("insns,total_insns"));
    }

    [Fact]
    public void Emit_list_skips_empty_items_and_may_be_empty()
    {
        Assert.Equal([StatField.FileName, StatField.ProgramName], StatFields.ParseEmit(",file,,prog,"));
        Assert.Empty(StatFields.ParseEmit(""));
        Assert.Empty(StatFields.ParseEmit(",,"));
    }

    [Theory]
    [InlineData("file,bogus", "bogus")]
    [InlineData("all", "all")]
    [InlineData("+insns", "+insns")]
    [InlineData("-insns", "-insns")]
    [InlineData("Insns", "Insns")]
    [InlineData("insns_c", "insns_c")]
    public void Unknown_emit_names_are_usage_errors(string spec, string bad)
    {
        var e = Assert.Throws<StatsUsageException>(() => StatFields.ParseEmit(spec));
        Assert.Equal(bad, e.Argument);
        Assert.Contains($"'{bad}'", e.Message);
    }

    [Fact]
    public void Sort_directions_default_per_stat_and_take_veristats_suffixes()
    {
        var specs = StatFields.ParseSort("insns,file,verdict,dur^,progv,states.,peak_states!,mark_read_,stack:asc,prog:desc");
        Assert.Equal(
            [false, true, true, true, false, false, false, false, true, false],
            specs.Select(s => s.Ascending));
        Assert.Equal(StatField.ProgramName, specs[4].Field);
        Assert.Equal(StatField.StackDepth, specs[8].Field);
    }

    [Fact]
    public void Sort_specs_carry_variant_and_absolute_value()
    {
        var specs = StatFields.ParseSort("insns_diff,|insns_pct|^,dur_a,states_b,verdict_diff");
        Assert.Equal([StatVariant.Diff, StatVariant.Pct, StatVariant.A, StatVariant.B, StatVariant.Diff], specs.Select(s => s.Variant));
        Assert.Equal([false, true, false, false, false], specs.Select(s => s.Absolute));
        Assert.Equal([false, true, false, false, true], specs.Select(s => s.Ascending));
        Assert.Equal("|total_insns_pct|^", specs[1].ToString());
        Assert.Equal("total_insns_diffv", specs[0].ToString());
    }

    [Fact]
    public void A_spec_prints_in_a_form_that_parses_back_to_itself() =>
        Prop.ForAll(
            (from field in Gen.Elements(Enum.GetValues<StatField>())
             from variant in Gen.Elements(Enum.GetValues<StatVariant>())
             from up in ArbMap.Default.GeneratorFor<bool>()
             from bars in ArbMap.Default.GeneratorFor<bool>()
             select new StatSpec(field, up, variant, bars)).ToArbitrary(),
            spec => StatFields.ParseSort(spec.ToString()).Single() == spec).QuickCheckThrowOnFailure();

    [Fact]
    public void A_lone_direction_character_is_not_a_direction()
    {
        var e = Assert.Throws<StatsUsageException>(() => StatFields.ParseSort("v"));
        Assert.Equal("Unrecognized stat name 'v'", e.Message);
    }
}
