using BpfSharp.Stats;

namespace BpfSharp.Tests.Stats;

/// <summary>--backend both: the kernel's and BpfSharp's values of each program side by side, with MATCH/MISMATCH.</summary>
public class StatBackendsTests
{
    private static readonly IReadOnlyList<StatField> Fields = StatFields.ParseEmit("file,prog,verdict,insns,dur");

    private static IReadOnlyList<StatJoinRow> Joined() => StatJoin.Join(
        [
            StatTestRows.Make("x.o", "agree", insns: 100, duration: 40, backend: StatBackends.Kernel),
            StatTestRows.Make("x.o", "differ", Verdict.Failure, insns: 12, duration: 30, backend: StatBackends.Kernel),
            StatTestRows.Make("x.o", "unsupported", insns: 50, duration: 20, backend: StatBackends.Kernel),
            StatTestRows.Make("x.o", "kernel_only", insns: 9, backend: StatBackends.Kernel),
            StatTestRows.Make("x.o", "eperm", Verdict.NotVerified, insns: null, duration: null, backend: StatBackends.Kernel),
        ],
        [
            StatTestRows.Make("x.o", "agree", insns: 100, duration: 50, backend: StatBackends.BpfSharp),
            StatTestRows.Make("x.o", "differ", Verdict.Success, insns: 15, duration: 30, backend: StatBackends.BpfSharp),
            StatTestRows.Make("x.o", "unsupported", Verdict.Unsupported, insns: null, duration: null, backend: StatBackends.BpfSharp,
                message: "callx is not supported"),
            StatTestRows.Make("x.o", "eperm", insns: 80, backend: StatBackends.BpfSharp),
        ]);

    private static IReadOnlyList<string> Cells(string program) =>
        StatTables.ForBackends(Joined(), Fields).Rows.Single(r => r[1] == program);

    [Fact]
    public void Headers_name_the_backends()
    {
        var table = StatTables.ForBackends(Joined(), Fields);
        Assert.Equal(
            ["File", "Program", "Verdict (kernel)", "Verdict (bpfsharp)", "Verdict (DIFF)", "Insns (kernel)", "Insns (bpfsharp)",
             "Insns (DIFF)", "Duration (us) (kernel)", "Duration (us) (bpfsharp)", "Duration (us) (DIFF)"],
            table.Columns.Select(c => c.Header));
        // MATCH/MISMATCH read as text; a measurement's difference as a number.
        Assert.Equal(StatAlignment.Left, table.Columns[7].Alignment);
        Assert.Equal(StatAlignment.Right, table.Columns[10].Alignment);
    }

    [Fact]
    public void Agreeing_results_match_and_measurements_show_their_difference() =>
        Assert.Equal(["x.o", "agree", "success", "success", "MATCH", "100", "100", "MATCH", "40", "50", "+10 (+25.00%)"], Cells("agree"));

    [Fact]
    public void Disagreeing_results_mismatch() =>
        Assert.Equal(["x.o", "differ", "failure", "success", "MISMATCH", "12", "15", "MISMATCH", "30", "30", "+0 (+0.00%)"], Cells("differ"));

    [Fact]
    public void An_unsupported_side_says_so_instead_of_mismatching() =>
        Assert.Equal(
            ["x.o", "unsupported", "success", "unsupported", "UNSUPPORTED", "50", "N/A", "UNSUPPORTED", "20", "N/A", "UNSUPPORTED"],
            Cells("unsupported"));

    [Fact]
    public void A_side_that_never_reached_its_verifier_says_so() =>
        Assert.Equal(
            ["x.o", "eperm", "not_verified", "success", "NOT_VERIFIED", "N/A", "80", "NOT_VERIFIED", "N/A", "50", "NOT_VERIFIED"],
            Cells("eperm"));

    [Fact]
    public void A_program_one_backend_did_not_report_is_NA() =>
        Assert.Equal(["x.o", "kernel_only", "success", "N/A", "N/A", "9", "N/A", "N/A", "50", "N/A", "N/A"], Cells("kernel_only"));

    [Fact]
    public void A_number_one_backend_did_not_report_is_not_a_mismatch()
    {
        var row = new StatJoinRow("x.o", "p", StatTestRows.Make("x.o", "p", peak: 7), StatTestRows.Make("x.o", "p", peak: null));
        Assert.Equal("N/A", StatDiff.Backends(row, StatField.PeakStates));
        Assert.Equal(StatDiff.Match, StatDiff.Backends(row, StatField.ProgramType));
    }

    [Fact]
    public void Backend_csv_has_kernel_bpfsharp_diff_columns()
    {
        var text = new StringWriter();
        StatCsvWriter.WriteBackends(text, Joined().Where(r => r.ProgramName is "agree" or "unsupported"), Fields);
        Assert.Equal(
            "file_name,prog_name,verdict_kernel,verdict_bpfsharp,verdict_diff,total_insns_kernel,total_insns_bpfsharp,"
            + "total_insns_diff,duration_kernel,duration_bpfsharp,duration_diff\n"
            + "x.o,agree,success,success,MATCH,100,100,MATCH,40,50,+10 (+25.00%)\n"
            + "x.o,unsupported,success,unsupported,UNSUPPORTED,50,N/A,UNSUPPORTED,20,N/A,UNSUPPORTED\n",
            text.ToString());
    }
}
