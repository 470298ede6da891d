using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using BpfSharp.Isa;
using BpfSharp.Loader;
using BpfSharp.Runtime;
using BpfSharp.Runtime.Maps;
using Spectre.Console;

namespace BpfSharp.Cli.Commands;

/// <summary>
/// <c>bpfsharp run FILE -p PROG [--data FILE|--data-hex HEX] [--ctx-hex HEX] [--repeat N] [--raw] [--profile]
/// [--backend bpfsharp|both] [-o table|json]</c>: runs a program in the userspace runtime like BPF_PROG_TEST_RUN and
/// prints the return value, the output packet, the maps the run changed, the trace output and the time per run
/// (median of the repeats); with <c>--backend both</c> also the running kernel's BPF_PROG_TEST_RUN on the same input,
/// side by side. Exit code 0 when the program ran to its exit (and, with both, the kernel agreed), 3 otherwise.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "BPF object file (.o)" };
        var program = new Option<string?>("--program", "-p") { Description = "The program (name or section); needed when the object has several" };
        var data = new Option<string?>("--data") { Description = "File holding the input packet (or raw input with --raw)" };
        var dataHex = new Option<string?>("--data-hex") { Description = "The input as hex bytes (spaces allowed)" };
        var ctxHex = new Option<string?>("--ctx-hex") { Description = "ctx_in as hex bytes (the fields a test run may set)" };
        var repeat = new Option<int>("--repeat") { Description = "Run N times; the time is the median", DefaultValueFactory = _ => 1 };
        var raw = new Option<bool>("--raw") { Description = "Run with r1 = the input bytes and r2 = their length instead of a context" };
        var profile = new Option<bool>("--profile") { Description = "Count executions per instruction and print run_cnt, run_time_ns and the hottest instructions" };
        var backend = new Option<string>("--backend") { Description = "bpfsharp: the userspace runtime; both: also the running kernel's BPF_PROG_TEST_RUN, compared", DefaultValueFactory = _ => "bpfsharp" };
        backend.AcceptOnlyFromAmong("bpfsharp", "both");
        var output = new Option<string>("--output", "-o") { Description = "Output format", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "json");
        var progType = ProgramTypeOption.Create();
        var command = new Command("run", "Run a BPF program in the userspace runtime, like BPF_PROG_TEST_RUN.")
        {
            file, program, data, dataHex, ctxHex, repeat, raw, profile, backend, output, progType,
        };
        command.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(program), parse.GetValue(data), parse.GetValue(dataHex),
            parse.GetValue(ctxHex), parse.GetValue(repeat), parse.GetValue(raw), parse.GetValue(profile), parse.GetValue(backend) == "both", parse.GetValue(output)!,
            ProgramTypeOption.Parse(parse.GetValue(progType))));
        return command;
    }

    private static int Run(string file, string? programName, string? dataFile, string? dataHex, string? ctxHex, int repeat, bool raw,
        bool profile, bool both, string output, LoadOptions options)
    {
        if (repeat < 1) throw new CliUsageException($"--repeat must be at least 1 (got {repeat})");
        if (dataFile is not null && dataHex is not null) throw new CliUsageException("give the input with --data or --data-hex, not both");
        var input = dataFile is not null ? ReadFile(dataFile) : dataHex is not null ? ParseHex(dataHex, "--data-hex") : [];
        var context = ctxHex is not null ? ParseHex(ctxHex, "--ctx-hex") : [];
        if (raw && context.Length > 0) throw new CliUsageException("--raw runs without a context: drop --ctx-hex");
        if (raw && both) throw new CliUsageException("--raw has no kernel equivalent: BPF_PROG_TEST_RUN always gives the program its context");

        var spec = ObjectLoader.LoadFile(file, options);
        var prog = programName is not null
            ? spec.FindProgram(programName) ?? throw new CliUsageException($"{file}: no program or section named '{programName}' (programs: {string.Join(", ", spec.Programs.Select(p => p.Name))})")
            : spec.Programs.Count == 1 ? spec.Programs[0]
            : throw new CliUsageException($"{file} has {spec.Programs.Count} programs: choose one with -p ({string.Join(", ", spec.Programs.Select(p => p.Name))})");
        if (!raw && Runtime.Context.TestRunContexts.Of(prog.Type) is null)
            throw new CliUsageException($"{prog.Name} is a {KernelNames.Of(prog.Type)} program: the runtime builds test-run contexts for socket_filter, sched_cls and xdp; use --raw to run it with r1 = the input");

        var runner = ProgramRunner.Create(spec, prog);
        if (profile) runner.Program.EnableProfiling();
        var before = Snapshot(runner.Maps);
        var times = new List<long>(repeat);
        ProgramRunResult? first = null;
        for (int i = 0; i < repeat; i++)
        {
            var result = raw ? runner.RunRaw(input) : runner.Run(input, context);
            first ??= result;
            if (!result.Succeeded) break;
            times.Add(result.ElapsedNanoseconds);
        }
        var changed = ChangedMaps(before, Snapshot(runner.Maps));
        var kernel = both ? KernelRun.Of(spec, prog, input, context, repeat) : null;
        var report = new RunReport(file, prog, first!, input, times, changed, runner, profile, kernel);
        if (output == "json") report.WriteJson(Console.Out);
        else report.WriteTable();
        return first!.Succeeded && (kernel is null || kernel.Agrees(first)) ? ExitCodes.Success : ExitCodes.Rejected;
    }

    private static byte[] ReadFile(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"{path}: {e.Message}");
        }
    }

    /// <summary>Hex bytes, with optional spaces, colons or a 0x prefix.</summary>
    internal static byte[] ParseHex(string text, string option)
    {
        var digits = new string(text.Where(c => !char.IsWhiteSpace(c) && c != ':').ToArray());
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) digits = digits[2..];
        if (digits.Length % 2 != 0) throw new CliUsageException($"{option}: odd number of hex digits ({digits.Length})");
        try
        {
            return Convert.FromHexString(digits);
        }
        catch (FormatException)
        {
            throw new CliUsageException($"{option}: not hex: '{text}'");
        }
    }

    /// <summary>Every map's contents as hex key to hex value (per-CPU values concatenated).</summary>
    private static Dictionary<string, Dictionary<string, string>> Snapshot(IReadOnlyDictionary<string, BpfMap> maps)
    {
        var all = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (name, map) in maps)
        {
            var entries = new Dictionary<string, string>(StringComparer.Ordinal);
            var key = new byte[Math.Max(1, map.KeySize)];
            byte[]? previous = null;
            var value = new byte[map.SyscallValueSize];
            for (int n = 0; n < 1_000_000 && map.KeySize > 0 && map.GetNextKey(previous, key) == 0; n++)
            {
                previous = (byte[])key.Clone();
                if (map.LookupElem(previous, value) == 0) entries[Convert.ToHexString(previous)] = Convert.ToHexString(value);
            }
            all[name] = entries;
        }
        return all;
    }

    private static List<(string Map, int Entries, int Changed)> ChangedMaps(Dictionary<string, Dictionary<string, string>> before,
        Dictionary<string, Dictionary<string, string>> after)
    {
        var result = new List<(string, int, int)>();
        foreach (var (name, now) in after)
        {
            var then = before.GetValueOrDefault(name) ?? new Dictionary<string, string>();
            int changed = now.Count(e => !then.TryGetValue(e.Key, out var v) || v != e.Value) + then.Keys.Count(k => !now.ContainsKey(k));
            if (changed > 0) result.Add((name, now.Count, changed));
        }
        return result;
    }

    private sealed record RunReport(string File, ProgramSpec Program, ProgramRunResult Result, byte[] Input, List<long> Times,
        List<(string Map, int Entries, int Changed)> Maps, ProgramRunner Runner, bool Profile, KernelRun? Kernel)
    {
        private long Median => Times.Count == 0 ? 0 : Times.Order().ElementAt(Times.Count / 2);

        private IEnumerable<(int Index, long Count, string Text, string? Source)> Hottest()
        {
            var counts = Runner.Program.InstructionCounts;
            if (counts is null) return [];
            var lines = Program.LineInfos.GroupBy(l => l.InstructionIndex).ToDictionary(g => g.Key, g => g.Last());
            string? SourceAt(int i)
            {
                for (int j = i; j >= 0; j--)
                    if (lines.TryGetValue(j, out var l) && l.Line.Length > 0) return $"{l.Line.Trim()} @ {Path.GetFileName(l.FileName)}:{l.LineNumber}";
                return null;
            }
            return Enumerable.Range(0, Program.Instructions.Length).Where(i => counts[i] > 0).OrderByDescending(i => counts[i]).Take(10)
                .Select(i => (i, counts[i], Disassembler.Format(Program.Instructions, i, Program.Symbols), SourceAt(i)));
        }

        public void WriteTable()
        {
            var o = CliConsole.Out;
            var table = new Table().AddColumn("").AddColumn("");
            table.ShowHeaders = false;
            table.AddRow("program", Markup.Escape($"{Program.Name} ({KernelNames.Of(Program.Type)}) in {File}"));
            if (Result.Succeeded)
            {
                table.AddRow("return value", $"{Result.ReturnValue} (0x{Result.ReturnValue:x})");
                table.AddRow("instructions", Result.Instructions.ToString(CultureInfo.InvariantCulture));
                table.AddRow("ns per run", Markup.Escape($"{Median} (median of {Times.Count}; min {Times.Min()}, max {Times.Max()})"));
            }
            else
            {
                table.AddRow("error", Markup.Escape(Result.Error!));
                if (Result.Errno != 0) table.AddRow("errno", Result.Errno.ToString(CultureInfo.InvariantCulture));
            }
            if (Result.Data is { } data) table.AddRow("data out", Markup.Escape($"{data.Length} bytes{(data.AsSpan().SequenceEqual(Input) ? ", unchanged" : "")}: {Convert.ToHexString(data).ToLowerInvariant()}"));
            if (Result.Redirect is { } r) table.AddRow("redirect", Markup.Escape(r));
            foreach (var m in Maps) table.AddRow("map changed", Markup.Escape($"{m.Map}: {m.Changed} entries changed, {m.Entries} now"));
            foreach (var p in Runner.MapProblems) table.AddRow("map problem", Markup.Escape(p));
            foreach (var line in Result.Trace) table.AddRow("trace", Markup.Escape(line));
            if (Kernel is { } k)
            {
                if (k.Problem is { } problem) table.AddRow("kernel", Markup.Escape(problem));
                else
                {
                    table.AddRow("kernel return value", Markup.Escape($"{k.ReturnValue} (0x{k.ReturnValue:x}) {(k.ReturnValueMatches(Result) ? "MATCH" : "MISMATCH")}"));
                    table.AddRow("kernel data out", Markup.Escape($"{k.Data!.Length} bytes {(k.DataMatches(Result) ? "MATCH" : "MISMATCH: " + Convert.ToHexString(k.Data).ToLowerInvariant())}"));
                    table.AddRow("kernel ns per run", Markup.Escape($"{k.NanosecondsPerRun} (mean of {k.Repeat}, BPF_PROG_TEST_RUN)"));
                }
            }
            o.Write(table);
            if (!Profile) return;
            o.WriteLine($"run_cnt {Runner.Program.RunCount}  run_time_ns {Runner.Program.TotalNanoseconds}");
            var hot = new Table().AddColumn("insn").AddColumn("count").AddColumn("instruction").AddColumn("source");
            foreach (var h in Hottest()) hot.AddRow(h.Index.ToString(CultureInfo.InvariantCulture), h.Count.ToString(CultureInfo.InvariantCulture), Markup.Escape(h.Text), Markup.Escape(h.Source ?? ""));
            o.Write(hot);
        }

        public void WriteJson(TextWriter writer)
        {
            var doc = new Dictionary<string, object?>
            {
                ["file"] = File,
                ["program"] = Program.Name,
                ["type"] = KernelNames.Of(Program.Type),
                ["succeeded"] = Result.Succeeded,
                ["error"] = Result.Error,
                ["errno"] = Result.Errno == 0 ? null : Result.Errno,
                ["return_value"] = Result.Succeeded ? Result.ReturnValue : null,
                ["instructions"] = Result.Succeeded ? Result.Instructions : null,
                ["data_out"] = Result.Data is { } d ? Convert.ToHexString(d).ToLowerInvariant() : null,
                ["redirect"] = Result.Redirect,
                ["trace"] = Result.Trace,
                ["maps_changed"] = Maps.Select(m => new Dictionary<string, object> { ["name"] = m.Map, ["changed"] = m.Changed, ["entries"] = m.Entries }).ToList(),
                ["map_problems"] = Runner.MapProblems,
                ["runs"] = Times.Count,
                ["ns_per_run"] = Times.Count == 0 ? null : Median,
                ["ns_min"] = Times.Count == 0 ? null : Times.Min(),
                ["ns_max"] = Times.Count == 0 ? null : Times.Max(),
            };
            if (Kernel is { } k)
                doc["kernel"] = new Dictionary<string, object?>
                {
                    ["problem"] = k.Problem,
                    ["errno"] = k.Errno == 0 ? null : k.Errno,
                    ["return_value"] = k.Problem is null ? k.ReturnValue : null,
                    ["data_out"] = k.Data is { } kd ? Convert.ToHexString(kd).ToLowerInvariant() : null,
                    ["ns_per_run"] = k.Problem is null ? k.NanosecondsPerRun : null,
                    ["return_value_match"] = k.ReturnValueMatches(Result),
                    ["data_out_match"] = k.DataMatches(Result),
                };
            if (Profile)
            {
                doc["run_cnt"] = Runner.Program.RunCount;
                doc["run_time_ns"] = Runner.Program.TotalNanoseconds;
                doc["hottest"] = Hottest().Select(h => new Dictionary<string, object?> { ["insn"] = h.Index, ["count"] = h.Count, ["text"] = h.Text, ["source"] = h.Source }).ToList();
            }
            writer.WriteLine(JsonSerializer.Serialize(doc));
        }
    }

    /// <summary>The same input through the running kernel's BPF_PROG_TEST_RUN.</summary>
    private sealed record KernelRun(uint ReturnValue, byte[]? Data, long NanosecondsPerRun, int Repeat, int Errno, string? Problem)
    {
        public static KernelRun Of(ObjectSpec spec, ProgramSpec program, byte[] input, byte[] context, int repeat)
        {
            var availability = Kernel.KernelProbe.Availability;
            if (!availability.IsPermitted) return Unavailable($"not run: bpf() is not permitted here ({availability.Reason})");
            using var kernel = Kernel.KernelObject.Create(spec);
            var load = kernel.Load(program, Kernel.ProgramLoadRequest.LogBasic);
            if (load.Program is not { } fd)
                return Unavailable($"not loaded: {Kernel.Errno.Describe(load.Errno)} {Kernel.VerifierLogParser.ErrorMessage(load.Log) ?? ""}".TrimEnd());
            using (fd)
            {
                try
                {
                    var r = Kernel.KernelProgram.TestRun(fd, new Kernel.TestRunRequest { Data = input, Context = context, Repeat = (uint)repeat, DataOutSlack = 16384 });
                    return new KernelRun(r.ReturnValue, r.Data, r.DurationNanoseconds, repeat, 0, null);
                }
                catch (Kernel.KernelException e)
                {
                    return new KernelRun(0, null, 0, repeat, e.ErrorNumber, $"input refused: {Kernel.Errno.Describe(e.ErrorNumber)}");
                }
            }
        }

        private static KernelRun Unavailable(string why) => new(0, null, 0, 0, 0, why);

        public bool ReturnValueMatches(ProgramRunResult ours) =>
            Problem is null ? ours.Succeeded && (uint)ours.ReturnValue == ReturnValue : Errno != 0 && Errno == ours.Errno;

        public bool DataMatches(ProgramRunResult ours) => Problem is null ? Data is { } d && ours.Data is { } o && d.AsSpan().SequenceEqual(o) : Errno != 0 && Errno == ours.Errno;

        public bool Agrees(ProgramRunResult ours) => Problem is not null && Errno == 0 || ReturnValueMatches(ours) && DataMatches(ours);
    }
}
