using System.CommandLine;
using BpfSharp.Kernel;
using BpfSharp.Loader;
using BpfSharp.Stats;
using BpfSharp.Verifier;
using Spectre.Console;

namespace BpfSharp.Cli.Commands;

/// <summary>
/// <c>bpfsharp stat</c>: veristat's measurement of verification — verdict, instructions processed, states,
/// duration, stack depth, kernel memory — for each program, from the kernel's verifier, from BpfSharp's, or
/// both side by side; and veristat's compare view of two CSV files (<c>-C</c>).
/// </summary>
internal static class StatCommand
{

    public static Command Create()
    {
        var files = new Argument<string[]>("FILE") { Description = "BPF object files, or with -C two CSV files to compare", Arity = ArgumentArity.OneOrMore };
        var backend = new Option<string>("--backend") { Description = "Whose verifier to measure", DefaultValueFactory = _ => "kernel" };
        backend.AcceptOnlyFromAmong("kernel", "bpfsharp", "both");
        var output = new Option<string>("--output", "-o") { Description = "Output format", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "csv", "json");
        var emit = new Option<string?>("--emit", "-e") { Description = "Stats to show, veristat's names, comma separated (file,prog,verdict,duration,insns,states,peak_states,...)" };
        var filter = new Option<string[]>("--filter", "-f") { Description = "veristat filters: globs on file/program, stat comparisons (insns>1000), ! to deny, @FILE to read a list", Arity = ArgumentArity.ZeroOrMore };
        var sort = new Option<string?>("--sort", "-s") { Description = "Sort order, veristat's syntax: stat names, ^ suffix ascending, v descending (also :asc/:desc)" };
        var repeat = new Option<int>("--repeat", "-n") { Description = "Verify each program N times; duration is the median (JSON also gives min and max)", DefaultValueFactory = _ => 1 };
        var compare = new Option<bool>("--compare", "-C") { Description = "Compare two CSV files (ours or veristat's): A, B and DIFF per stat" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Print the verifier log of every rejected program to stderr" };
        var progType = ProgramTypeOption.Create();
        var command = new Command("stat", "Measure verification like veristat: verdict, insns, states, duration, memory.")
        {
            files, backend, output, emit, filter, sort, repeat, compare, verbose, progType,
        };
        command.SetAction(parse =>
        {
            var options = new StatOptions(
                parse.GetValue(files)!, parse.GetValue(backend)!, parse.GetValue(output)!, parse.GetValue(emit), parse.GetValue(filter) ?? [],
                parse.GetValue(sort), parse.GetValue(repeat), parse.GetValue(verbose), ProgramTypeOption.Parse(parse.GetValue(progType)));
            try
            {
                return parse.GetValue(compare) ? Compare(options) : Measure(options);
            }
            catch (StatsUsageException e)
            {
                throw new CliUsageException(e.Message);
            }
        });
        return command;
    }

    private sealed record StatOptions(string[] Files, string Backend, string Output, string? Emit, string[] Filters, string? Sort,
        int Repeat, bool Verbose, LoadOptions LoadOptions);

    private static int Compare(StatOptions o)
    {
        if (o.Files.Length != 2) throw new CliUsageException($"-C compares two CSV files, got {o.Files.Length}");
        var a = StatCsvReader.ReadFile(o.Files[0]);
        var b = StatCsvReader.ReadFile(o.Files[1]);
        var filters = StatFilterSet.Parse(o.Filters);
        var fields = o.Emit is { } emit ? StatFields.ParseEmit(emit) : a.Fields.Intersect(b.Fields).ToArray();
        var joined = StatSorter.Sort(StatJoin.Join(a.Rows, b.Rows).Where(filters.Matches), o.Sort is { } s ? StatFields.ParseSort(s) : null);
        Write(o.Output, fields,
            () => StatTables.ForComparison(joined, fields),
            w => StatCsvWriter.WriteComparison(w, joined, fields),
            stream => StatJsonWriter.WriteComparison(stream, joined, fields));
        return ExitCodes.Success;
    }

    private static int Measure(StatOptions o)
    {
        if (o.Repeat < 1) throw new CliUsageException($"--repeat must be at least 1, got {o.Repeat}");
        var filters = StatFilterSet.Parse(o.Filters);
        var order = o.Sort is { } s ? StatFields.ParseSort(s) : null;
        bool kernel = o.Backend is "kernel" or "both";
        bool ours = o.Backend is "bpfsharp" or "both";
        var availability = kernel ? KernelProbe.Availability : null;
        if (availability is { IsPermitted: false }) Console.Error.WriteLine($"bpfsharp: warning: kernel backend unavailable: {availability.Reason}");
        using var memory = kernel && availability!.IsPermitted ? MemoryAccounting.TryCreate(out _) : null;

        // Read every object first, so the progress bar knows the work and bad files are reported up front.
        int exit = ExitCodes.Success;
        var work = new List<(string File, ObjectSpec Spec, List<ProgramSpec> Programs)>();
        foreach (var file in o.Files)
        {
            if (!filters.MatchesFile(file)) continue;
            try
            {
                var spec = ObjectLoader.LoadFile(file, o.LoadOptions);
                work.Add((file, spec, spec.Programs.Where(p => filters.MatchesName(file, p.Name)).ToList()));
            }
            catch (Exception e) when (CommandRunner.IsBadInput(e))
            {
                Console.Error.WriteLine($"bpfsharp: error: {e.Message}");
                exit = ExitCodes.BadInput;
            }
        }

        var kernelRows = new List<StatRow>();
        var ourRows = new List<StatRow>();
        int total = work.Sum(w => w.Programs.Count);
        void Run(Action<string> progress)
        {
            foreach (var (file, spec, programs) in work)
            {
                using var obj = kernel && availability!.IsPermitted ? KernelObject.Create(spec) : null;
                foreach (var program in programs)
                {
                    progress($"{Path.GetFileName(file)}/{program.Name}");
                    if (kernel) kernelRows.Add(KernelRow(file, program, obj, availability!, memory, o));
                    if (ours) ourRows.Add(OurRow(file, spec, program, o));
                }
            }
        }
        if (total > 1 && !Console.IsErrorRedirected)
        {
            CliConsole.Error.Progress().AutoClear(true).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask("verifying", maxValue: total);
                    Run(name =>
                    {
                        task.Description = Markup.Escape(name);
                        task.Increment(1);
                    });
                });
        }
        else
        {
            Run(_ => { });
        }

        if (o.Verbose)
        {
            foreach (var row in kernelRows.Concat(ourRows).Where(r => r.Result.Verdict == Verdict.Failure))
                Console.Error.WriteLine($"--- {row.FileName}/{row.ProgramName}: verifier log ---\n{row.Result.Log.TrimEnd()}\n");
        }

        if (o.Backend == "both")
        {
            var joined = StatSorter.Sort(StatJoin.Join(kernelRows, ourRows).Where(filters.Matches), order);
            var fields = o.Emit is { } e ? StatFields.ParseEmit(e) : o.Output == "table" ? BothTable : StatFields.DefaultCsv;
            Write(o.Output, fields,
                () => StatTables.ForBackends(joined, fields),
                w => StatCsvWriter.WriteBackends(w, joined, fields),
                stream => StatJsonWriter.WriteBackends(stream, joined, fields));
        }
        else
        {
            var rows = StatSorter.Sort((kernel ? kernelRows : ourRows).Where(filters.Matches), order);
            var fields = o.Emit is { } e ? StatFields.ParseEmit(e) : DefaultFields(o.Output);
            Write(o.Output, fields,
                () => StatTables.ForRows(rows, fields),
                w => StatCsvWriter.WriteRows(w, rows, fields),
                stream => StatJsonWriter.WriteRows(stream, rows, fields));
            if (o.Output == "table")
                foreach (var row in rows.Where(r => r.Result.Verdict is Verdict.NotVerified or Verdict.Unsupported or Verdict.Failure))
                    Console.Out.WriteLine($"{row.FileBaseName}/{row.ProgramName}: {VerdictNames.ToText(row.Result.Verdict)}: {row.Result.Message}");
        }
        return exit;
    }

    private static StatRow KernelRow(string file, ProgramSpec program, KernelObject? obj, KernelAvailability availability, MemoryAccounting? memory, StatOptions o)
    {
        if (obj is null)
        {
            return Row(file, program, "kernel", new VerificationResult
            {
                Verdict = Verdict.NotVerified,
                Message = $"bpf() unavailable: {availability.Reason}",
                ProgramSize = program.LinkedInstructionCount,
            });
        }
        var verification = obj.Verify(program, new VerifyOptions { Repeat = o.Repeat, Memory = memory });
        return Row(file, program, "kernel", verification.Result, verification.Durations, verification.JitedSize);
    }

    /// <summary>BpfSharp's verifier, repeated like the kernel's: the median duration, the other figures of the first run.</summary>
    private static StatRow OurRow(string file, ObjectSpec spec, ProgramSpec program, StatOptions o)
    {
        var first = BpfVerifier.Verify(spec, program, new VerifierOptions { LogLevel = o.Verbose ? 1 : 0 });
        var durations = new List<long>();
        if (first.Result.DurationMicroseconds is long d) durations.Add(d);
        for (int i = 1; i < o.Repeat && first.Result.Verdict is Verdict.Success or Verdict.Failure; i++)
        {
            var again = BpfVerifier.Verify(spec, program);
            if (again.Result.DurationMicroseconds is long t) durations.Add(t);
        }
        return Row(file, program, "bpfsharp", first.Result, durations.Count > 1 ? durations : null);
    }

    private static StatRow Row(string file, ProgramSpec program, string backend, VerificationResult result,
        IReadOnlyList<long>? durations = null, long? jited = null) => new(file, program.Name, result)
    {
        ProgramType = KernelNames.Of(program.Type),
        AttachType = program.ExpectedAttachType is { } a ? KernelNames.Of(a) : null,
        Backend = backend,
        Durations = durations ?? [],
        JitedSize = jited,
    };

    // The side-by-side table has three columns per stat: by default only what the two verifiers must agree on.
    private static readonly StatField[] BothTable =
        [StatField.FileName, StatField.ProgramName, StatField.Verdict, StatField.TotalInstructions, StatField.TotalStates, StatField.PeakStates];

    // veristat's defaults: a short table, every stat in CSV; JSON, like CSV, carries everything.
    private static IReadOnlyList<StatField> DefaultFields(string output) => output == "table" ? StatFields.DefaultTable : StatFields.DefaultCsv;

    private static void Write(string output, IReadOnlyList<StatField> fields, Func<StatTable> table, Action<TextWriter> csv, Action<Stream> json)
    {
        switch (output)
        {
            case "csv":
                csv(Console.Out);
                Console.Out.Flush();
                break;
            case "json":
                using (var stdout = Console.OpenStandardOutput()) json(stdout);
                break;
            default:
                Render(table());
                break;
        }
    }

    // In a terminal a Spectre.Console table; in a pipe veristat's own plain layout, which never wraps.
    private static void Render(StatTable table)
    {
        if (Console.IsOutputRedirected)
        {
            Console.Out.Write(table.ToText());
            return;
        }
        var rendered = new Table { Border = TableBorder.Simple };
        foreach (var column in table.Columns)
        {
            var c = new TableColumn(Markup.Escape(column.Header)) { NoWrap = true };
            if (column.Alignment == StatAlignment.Right) c.RightAligned();
            rendered.AddColumn(c);
        }
        foreach (var row in table.Rows) rendered.AddRow(row.Select(Markup.Escape).ToArray());
        CliConsole.Out.Write(rendered);
    }
}
