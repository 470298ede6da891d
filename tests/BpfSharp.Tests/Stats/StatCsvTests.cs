using BpfSharp.Stats;
using BpfSharp.Tests.TestSupport;
using FsCheck;
using FsCheck.Fluent;

namespace BpfSharp.Tests.Stats;

/// <summary>CSV is written exactly as veristat writes it and read back, ours and veristat's.</summary>
public class StatCsvTests
{
    internal static string Fixture(string name) => TestObjects.InRepository(Path.Combine("tests", "BpfSharp.Tests", "Stats", "Fixtures", name));

    private static string Write(IEnumerable<StatRow> rows, IReadOnlyList<StatField> fields)
    {
        var text = new StringWriter();
        StatCsvWriter.WriteRows(text, rows, fields);
        return text.ToString();
    }

    [Fact]
    public void Selected_fields_are_written_as_veristat_writes_them()
    {
        StatRow[] rows =
        [
            StatTestRows.Make("/objs/arena_strsearch.bpf.o", "arena_strsearch", Verdict.Failure, insns: 20, states: 2, duration: 121, peak: 2, memoryBytes: 0),
            StatTestRows.Make("bpf_flow.bpf.o", "_dissect", Verdict.Success, insns: 211, states: 13, duration: 479, peak: 13, memoryBytes: 1572864),
        ];
        var fields = StatFields.ParseEmit("file,prog,verdict,duration,insns,states,peak_states,mem_peak");
        Assert.Equal(
            "file_name,prog_name,verdict,duration,total_insns,total_states,peak_states,mem_peak\n"
            + "arena_strsearch.bpf.o,arena_strsearch,failure,121,20,2,2,0\n"
            + "bpf_flow.bpf.o,_dissect,success,479,211,13,13,1\n",
            Write(rows, fields));
    }

    [Fact]
    public void Default_fields_write_veristats_placeholders_for_unreported_stats()
    {
        var row = StatTestRows.Make("x.o", "p", Verdict.Success, insns: 5, states: 1, duration: 7, size: 3, durations: [9, 7, 8]);
        Assert.Equal(
            "file_name,prog_name,verdict,duration,total_insns,total_states,peak_states,max_states_per_insn,max_mark_read_len,"
            + "prog_size,prog_size_jited,prog_type,attach_type,stack_depth,mem_peak\n"
            + "x.o,p,success,8,5,1,0,0,0,3,0,xdp,N/A,0,-1\n",
            Write([row], StatFields.DefaultCsv));
    }

    [Fact]
    public void Our_extra_verdicts_are_written_by_name()
    {
        StatRow[] rows = [StatTestRows.Make("a.o", "p", Verdict.NotVerified), StatTestRows.Make("a.o", "q", Verdict.Unsupported)];
        Assert.Equal("prog_name,verdict\np,not_verified\nq,unsupported\n", Write(rows, [StatField.ProgramName, StatField.Verdict]));
    }

    [Fact]
    public void Veristats_full_csv_reads_and_writes_back_byte_for_byte()
    {
        string text = File.ReadAllText(Fixture("veristat_all_columns.csv"));
        var data = StatCsvReader.Read(new StringReader(text));
        Assert.Equal(StatFields.DefaultCsv, data.Fields);
        Assert.Empty(data.IgnoredColumns);
        Assert.Equal(4, data.Rows.Count);

        var pyperf = data.Rows[2];
        Assert.Equal("pyperf600.bpf.o", pyperf.FileName);
        Assert.Equal("on_event", pyperf.ProgramName);
        Assert.Equal(Verdict.Success, pyperf.Result.Verdict);
        Assert.Equal(1214503, pyperf.Duration);
        Assert.Equal(533517, pyperf.Result.TotalInstructions);
        Assert.Equal(7043, pyperf.Result.PeakStates);
        Assert.Equal(53, pyperf.Result.MarkRead);
        Assert.Equal(7389, pyperf.Result.ProgramSize);
        Assert.Equal(38236, pyperf.JitedSize);
        Assert.Equal("raw_tracepoint", pyperf.ProgramType);
        Assert.Equal("cgroup_inet_ingress", pyperf.AttachType);
        Assert.Equal(368, pyperf.Result.StackDepth);
        Assert.Equal(41.0, pyperf.MemoryPeakMiB);
        Assert.Null(pyperf.Backend);
        Assert.Equal(Verdict.Failure, data.Rows[3].Result.Verdict);

        Assert.Equal(text, Write(data.Rows, data.Fields));
    }

    [Theory]
    [InlineData("baseline_stats.csv")]
    [InlineData("patched_stats.csv")]
    public void The_seed_csvs_write_back_byte_for_byte(string fixture)
    {
        var data = StatCsvReader.ReadFile(Fixture(fixture));
        Assert.Equal(File.ReadAllText(Fixture(fixture)), Write(data.Rows, data.Fields));
    }

    [Fact]
    public void The_seed_csvs_read_with_their_columns()
    {
        var data = StatCsvReader.ReadFile(Fixture("baseline_stats.csv"));
        Assert.Equal(StatFields.ParseEmit("file,prog,verdict,duration,insns,states,peak_states,mem_peak"), data.Fields);
        Assert.Equal(27, data.Rows.Count);
        var first = data.Rows[0];
        Assert.Equal(("arena_strsearch.bpf.o", "arena_strsearch", Verdict.Failure), (first.FileName, first.ProgramName, first.Result.Verdict));
        Assert.Equal(121, first.Duration);
        Assert.Equal(0, first.MemoryPeakMiB);
        // Columns the CSV lacks read as missing, not as zero.
        Assert.Equal("N/A", first.Format(StatField.ProgramSize));
        Assert.Equal("N/A", first.Format(StatField.StackDepth));
    }

    [Fact]
    public void Any_subset_and_order_of_columns_reads_and_unknown_columns_are_skipped()
    {
        var data = StatCsvReader.Read(new StringReader(
            "insns,backend,prog,verdict,file,mem_peak,prog_type\r\n"
            + "300,kernel,p1,success,a.o,-1,N/A\r\n"
            + " 42 ,bpfsharp,p2,unsupported,b.o,3,xdp\r\n"));
        Assert.Equal([StatField.TotalInstructions, StatField.ProgramName, StatField.Verdict, StatField.FileName, StatField.MemoryPeak, StatField.ProgramType], data.Fields);
        Assert.Equal(["backend"], data.IgnoredColumns);
        Assert.Equal(300, data.Rows[0].Result.TotalInstructions);
        Assert.Null(data.Rows[0].MemoryPeakMiB);
        Assert.Null(data.Rows[0].ProgramType);
        Assert.Equal(Verdict.Unsupported, data.Rows[1].Result.Verdict);
        Assert.Equal(42, data.Rows[1].Result.TotalInstructions);
        Assert.Equal(3 * 1048576L, data.Rows[1].Result.MemoryPeakBytes);
        Assert.Equal("xdp", data.Rows[1].ProgramType);
    }

    [Theory]
    [InlineData("", "no header line")]
    [InlineData("file_name,verdict\na.o,success\n", "line 1: the header needs file_name and prog_name columns")]
    [InlineData("file_name,prog_name,verdict\na.o,p\n", "line 2: 2 values for 3 columns")]
    [InlineData("file_name,prog_name,verdict\na.o,p,success\nb.o,q,passed\n", "line 3: unrecognized verdict 'passed'")]
    [InlineData("file_name,prog_name,total_insns\na.o,p,lots\n", "line 2: 'lots' is not an integer (total_insns)")]
    [InlineData("file_name,prog_name\n,p\n", "line 2: empty file_name or prog_name")]
    public void Malformed_csv_is_a_format_error_naming_the_line(string text, string reason)
    {
        var e = Assert.Throws<BpfFormatException>(() => StatCsvReader.Read(new StringReader(text), "stats.csv"));
        Assert.Equal($"stats.csv: {reason}", e.Message);
    }

    [Fact]
    public void Writing_what_was_read_gives_the_same_text() =>
        Prop.ForAll(
            (from verdict in Gen.Elements(Enum.GetValues<Verdict>())
             from insns in Gen.Choose(0, 1_000_000)
             from states in Gen.Choose(0, 50_000)
             from duration in Gen.Choose(1, 9_000_000)
             from mib in Gen.Choose(-1, 4096)
             from type in Gen.Elements("xdp", "sched_cls", "kprobe", null)
             from name in Gen.Elements("p", "prog_1", "_dissect")
             select new StatRow("dir/obj.bpf.o", name, new VerificationResult
             {
                 Verdict = verdict,
                 TotalInstructions = insns,
                 TotalStates = states,
                 PeakStates = states / 2,
                 MaxStatesPerInstruction = states % 13,
                 MarkRead = states % 7,
                 DurationMicroseconds = duration,
                 MemoryPeakBytes = mib < 0 ? null : mib * 1048576L,
                 StackDepths = [insns % 512],
                 ProgramSize = insns / 3,
             }) { ProgramType = type, AttachType = type, JitedSize = insns * 2 }).ArrayOf().ToArbitrary(),
            rows =>
            {
                // Every count is set: an unreported one would come back as veristat's placeholder 0.
                string first = Write(rows, StatFields.DefaultCsv);
                var read = StatCsvReader.Read(new StringReader(first));
                string second = Write(read.Rows, read.Fields);
                Assert.Equal(first, second);
                foreach (var (x, y) in read.Rows.Zip(rows))
                {
                    Assert.Equal(StatFields.DefaultCsv.Select(y.Format), StatFields.DefaultCsv.Select(x.Format));
                }
            }).QuickCheckThrowOnFailure();
}
