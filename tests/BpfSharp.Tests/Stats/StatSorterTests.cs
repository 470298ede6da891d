using BpfSharp.Stats;

namespace BpfSharp.Tests.Stats;

/// <summary>-s sorts by several keys with their directions, then by file and program, stably.</summary>
public class StatSorterTests
{
    private static readonly StatRow[] Rows =
    [
        StatTestRows.Make("b.o", "p2", Verdict.Success, insns: 50, states: 5),
        StatTestRows.Make("a.o", "p9", Verdict.Failure, insns: 50, states: 7),
        StatTestRows.Make("dir/a.o", "p1", Verdict.Success, insns: 900, states: 5),
        StatTestRows.Make("c.o", "p0", Verdict.Success, insns: null, states: 5),
        StatTestRows.Make("B.o", "p5", Verdict.Failure, insns: 50, states: 1),
    ];

    private static string[] Order(string spec) =>
        StatSorter.Sort(Rows, StatFields.ParseSort(spec)).Select(r => r.ProgramName).ToArray();

    [Fact]
    public void Default_order_is_file_then_program_ordinal() =>
        Assert.Equal(["p5", "p1", "p9", "p2", "p0"], StatSorter.Sort(Rows).Select(r => r.ProgramName));

    [Fact]
    public void Counts_sort_biggest_first_by_default_and_ties_fall_back_to_file_and_program()
    {
        Assert.Equal(["p1", "p5", "p9", "p2", "p0"], Order("insns"));
        Assert.Equal(["p0", "p5", "p9", "p2", "p1"], Order("insns^"));
    }

    [Fact]
    public void Several_keys_apply_in_turn_with_their_own_directions()
    {
        Assert.Equal(["p5", "p9", "p1", "p2", "p0"], Order("verdict,insns"));
        Assert.Equal(["p9", "p5", "p1", "p2", "p0"], Order("verdict,states,insns"));
        Assert.Equal(["p1", "p2", "p0", "p5", "p9"], Order("verdictv,file"));
        Assert.Equal(["p9", "p5", "p2", "p1", "p0"], Order("prog:desc"));
    }

    [Fact]
    public void Comparison_rows_sort_by_the_chosen_variant()
    {
        var joined = StatJoin.Join(
            [StatTestRows.Make("a.o", "x", insns: 100), StatTestRows.Make("a.o", "y", insns: 100), StatTestRows.Make("a.o", "z", insns: 10)],
            [StatTestRows.Make("a.o", "x", insns: 90), StatTestRows.Make("a.o", "y", insns: 300), StatTestRows.Make("a.o", "w", insns: 5)]);
        string[] Sorted(string spec) => StatSorter.Sort(joined, StatFields.ParseSort(spec)).Select(r => r.ProgramName).ToArray();
        Assert.Equal(["w", "x", "y", "z"], Sorted(""));
        Assert.Equal(["y", "x", "w", "z"], Sorted("insns"));          // B, biggest first; z has no B
        Assert.Equal(["x", "y", "z", "w"], Sorted("insns_a"));
        Assert.Equal(["y", "x", "w", "z"], Sorted("insns_diff"));    // +200, -10, then the one-sided rows
        Assert.Equal(["w", "z", "x", "y"], Sorted("insns_pct^"));
        // As in veristat, a one-sided row's "lowest number" becomes the highest once made absolute.
        Assert.Equal(["w", "z", "y", "x"], Sorted("|insns_diff|"));
    }
}
