using BpfSharp.Stats;

namespace BpfSharp.Tests.Stats;

/// <summary>The table model has veristat's titles and alignments; its text form is veristat's layout.</summary>
public class StatTableTests
{
    [Fact]
    public void Rows_table_has_veristats_titles_alignments_and_text()
    {
        StatRow[] rows =
        [
            StatTestRows.Make("dir/bpf_flow.bpf.o", "_dissect", insns: 211, states: 13, duration: 479),
            StatTestRows.Make("arena_strsearch.bpf.o", "arena_strsearch", Verdict.Failure, insns: 20, states: 2, duration: 121),
        ];
        var table = StatTables.ForRows(rows, StatFields.ParseEmit("file,prog,verdict,duration,insns,states"));
        Assert.Equal(["File", "Program", "Verdict", "Duration (us)", "Insns", "States"], table.Columns.Select(c => c.Header));
        Assert.Equal(
            [StatAlignment.Left, StatAlignment.Left, StatAlignment.Left, StatAlignment.Right, StatAlignment.Right, StatAlignment.Right],
            table.Columns.Select(c => c.Alignment));
        Assert.Equal(
            "File                   Program          Verdict  Duration (us)  Insns  States\n"
            + "---------------------  ---------------  -------  -------------  -----  ------\n"
            + "bpf_flow.bpf.o         _dissect         success            479    211      13\n"
            + "arena_strsearch.bpf.o  arena_strsearch  failure            121     20       2\n"
            + "---------------------  ---------------  -------  -------------  -----  ------\n",
            table.ToText());
    }

    [Fact]
    public void Every_row_needs_a_cell_per_column() =>
        Assert.Throws<ArgumentException>(() => new StatTable([new StatTableColumn("A", StatAlignment.Left)], [["x", "y"]]));
}
