using System.CommandLine;
using BpfSharp.Kernel;
using BpfSharp.Loader;
using BpfSharp.Stats;
using BpfSharp.Verifier;

namespace BpfSharp.Cli.Commands;

/// <summary>
/// <c>bpfsharp verify FILE [-p PROG] [-l 1|2] [--backend bpfsharp|kernel]</c>: verify the programs of an object
/// and print the verifier log (the failing path at level 1, every instruction at level 2) and the statistics line.
/// Exit code 0 when every program is accepted, 3 when one is rejected or cannot be verified.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "BPF object file (.o)" };
        var program = new Option<string?>("--program", "-p") { Description = "Only this program (name or section)" };
        var level = new Option<int>("--log-level", "-l") { Description = "Log level: 1 the failing path, 2 every instruction", DefaultValueFactory = _ => 1 };
        level.AcceptOnlyFromAmong("0", "1", "2");
        var backend = new Option<string>("--backend") { Description = "Whose verifier: BpfSharp's or the running kernel's", DefaultValueFactory = _ => "bpfsharp" };
        backend.AcceptOnlyFromAmong("bpfsharp", "kernel");
        var progType = ProgramTypeOption.Create();
        var command = new Command("verify", "Verify BPF programs and print the verifier log and statistics.")
        {
            file, program, level, backend, progType,
        };
        command.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(program), parse.GetValue(level),
            parse.GetValue(backend)!, ProgramTypeOption.Parse(parse.GetValue(progType))));
        return command;
    }

    private static int Run(string file, string? programName, int level, string backend, LoadOptions options)
    {
        var spec = ObjectLoader.LoadFile(file, options);
        IEnumerable<ProgramSpec> programs = spec.Programs;
        if (programName is not null)
        {
            var one = spec.FindProgram(programName)
                ?? throw new CliUsageException($"{file}: no program or section named '{programName}' (programs: {string.Join(", ", spec.Programs.Select(p => p.Name))})");
            programs = [one];
        }
        var list = programs.ToList();
        bool allAccepted = true;
        KernelObject? kernelObject = null;
        if (backend == "kernel")
        {
            var availability = KernelProbe.Availability;
            if (!availability.IsPermitted) throw new CliUsageException($"the kernel backend is unavailable: {availability.Reason}");
            kernelObject = KernelObject.Create(spec);
        }
        try
        {
            foreach (var p in list)
            {
                VerificationResult result = kernelObject is not null
                    ? kernelObject.Verify(p, new VerifyOptions { LogLevel = (uint)level }).Result
                    : BpfVerifier.Verify(spec, p, new VerifierOptions { LogLevel = level }).Result;
                if (list.Count > 1) Console.Out.WriteLine($"--- {p.Name} ({KernelNames.Of(p.Type)}) ---");
                if (result.Log.Length > 0) Console.Out.Write(result.Log.EndsWith('\n') ? result.Log : result.Log + "\n");
                string verdict = VerdictNames.ToText(result.Verdict);
                Console.Out.WriteLine(result.Message is { Length: > 0 } m ? $"{p.Name}: {verdict}: {m}" : $"{p.Name}: {verdict}");
                if (kernelObject is null && p.CoreRelocations.Count > 0)
                    Console.Error.WriteLine($"bpfsharp: note: {p.Name} has {p.CoreRelocations.Count} CO-RE relocations; BpfSharp does not apply them yet, so it verified the offsets as compiled (the kernel rewrites them from its own BTF)");
                if (result.Verdict != Verdict.Success) allAccepted = false;
            }
        }
        finally
        {
            kernelObject?.Dispose();
        }
        return allAccepted ? ExitCodes.Success : ExitCodes.Rejected;
    }
}
