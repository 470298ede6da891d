using System.CommandLine;
using BpfSharp.Isa;
using BpfSharp.Loader;

namespace BpfSharp.Cli.Commands;

/// <summary>
/// <c>bpfsharp disasm FILE [-p PROG]</c>: the linked, relocated instructions of each program in the verifier
/// log's syntax, annotated with source lines where the object has line_info.
/// </summary>
internal static class DisasmCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "BPF object file (.o)" };
        var program = new Option<string?>("--program", "-p") { Description = "Only this program (name or section)" };
        var progType = ProgramTypeOption.Create();
        var command = new Command("disasm", "Disassemble the programs of a BPF object after relocation.") { file, program, progType };
        command.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(program), ProgramTypeOption.Parse(parse.GetValue(progType))));
        return command;
    }

    private static int Run(string file, string? programName, LoadOptions options)
    {
        var spec = ObjectLoader.LoadFile(file, options);
        IEnumerable<ProgramSpec> programs = spec.Programs;
        if (programName is not null)
        {
            var one = spec.FindProgram(programName)
                ?? throw new CliUsageException($"{file}: no program or section named '{programName}' (programs: {string.Join(", ", spec.Programs.Select(p => p.Name))})");
            programs = [one];
        }
        var output = Console.Out;
        bool first = true;
        foreach (var p in programs)
        {
            if (!first) output.WriteLine();
            first = false;
            Write(output, p);
        }
        return ExitCodes.Success;
    }

    /// <summary>Writes one program: a header, problems, then each instruction with function labels and source lines.</summary>
    public static void Write(TextWriter output, ProgramSpec p)
    {
        output.WriteLine($"{p.Name}: section {p.SectionName}, type {KernelNames.Of(p.Type)}, {p.InstructionCount} insns, {p.LinkedInstructionCount} linked, ISA v{(int)p.IsaVersion}");
        foreach (var problem in p.Problems) output.WriteLine($"; problem: {problem}");
        var functions = p.Functions.ToDictionary(f => f.Start, f => f.Name);
        var lines = p.LineInfos.GroupBy(l => l.InstructionIndex).ToDictionary(g => g.Key, g => g.Last());
        var symbols = p.Symbols;
        var insns = p.Instructions;
        string? lastSource = null;
        for (int i = 0; i < insns.Length; i++)
        {
            if (functions.TryGetValue(i, out var name))
            {
                output.WriteLine($"{name}:");
                lastSource = null;
            }
            // Like the verifier log, a source line is printed where it starts, not again for each record of it.
            if (lines.TryGetValue(i, out var line) && (line.Line.Length > 0 || line.FileName.Length > 0))
            {
                string source = $"; {line.Line.Trim()} @ {Path.GetFileName(line.FileName)}:{line.LineNumber}";
                if (source != lastSource) output.WriteLine(source);
                lastSource = source;
            }
            output.WriteLine($"{i,5}: {Disassembler.FormatWithOpcode(insns, i, symbols)}");
            if (OpcodeTable.Describe(insns, i).Kind == InstructionKind.LoadImm64) i++;
        }
    }
}
