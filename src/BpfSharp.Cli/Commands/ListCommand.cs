using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using BpfSharp.Loader;
using Spectre.Console;

namespace BpfSharp.Cli.Commands;

/// <summary><c>bpfsharp list FILE... [-o table|json] [--prog-type TYPE]</c>: the programs and maps of each object.</summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("FILE") { Description = "BPF object files (.o)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output", "-o") { Description = "Output format", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "json");
        var progType = ProgramTypeOption.Create();
        var command = new Command("list", "List the programs and maps of BPF objects.") { files, output, progType };
        command.SetAction(parse => Run(parse.GetValue(files)!, parse.GetValue(output)!, ProgramTypeOption.Parse(parse.GetValue(progType))));
        return command;
    }

    private static int Run(string[] files, string format, LoadOptions options)
    {
        int exit = ExitCodes.Success;
        using var stdout = Console.OpenStandardOutput();
        foreach (var file in files)
        {
            ObjectSpec? spec = null;
            string? error = null;
            try
            {
                spec = ObjectLoader.LoadFile(file, options);
            }
            catch (Exception e) when (CommandRunner.IsBadInput(e))
            {
                error = e.Message;
                Console.Error.WriteLine($"bpfsharp: error: {e.Message}");
                exit = ExitCodes.BadInput;
            }
            if (format == "json") WriteJson(stdout, file, spec, error);
            else if (spec is not null) WriteTable(file, spec);
        }
        return exit;
    }

    private static void WriteTable(string file, ObjectSpec spec)
    {
        var programs = new Table { Title = new TableTitle(Markup.Escape(file)), Border = TableBorder.Simple };
        foreach (var column in new[] { "Program", "Section", "Type", "Attach type", "Insns", "Linked", "ISA" }) programs.AddColumn(column);
        foreach (var p in spec.Programs)
        {
            programs.AddRow(Markup.Escape(p.Name), Markup.Escape(p.SectionName), TypeText(p),
                p.ExpectedAttachType is { } a ? KernelNames.Of(a) : "-",
                p.InstructionCount.ToString(), p.LinkedInstructionCount.ToString(), $"v{(int)p.IsaVersion}");
        }
        CliConsole.Out.Write(programs);
        foreach (var p in spec.Programs)
            foreach (var problem in p.Problems)
                CliConsole.Out.WriteLine($"  {p.Name}: {problem}");
        if (spec.Maps.Count > 0)
        {
            var maps = new Table { Border = TableBorder.Simple };
            foreach (var column in new[] { "Map", "Type", "Key", "Value", "Max entries", "Flags" }) maps.AddColumn(column);
            foreach (var m in spec.Maps)
                maps.AddRow(Markup.Escape(m.Name), KernelNames.Of(m.Type), m.KeySize.ToString(), m.ValueSize.ToString(), m.MaxEntries.ToString(), $"0x{m.Flags:x}");
            CliConsole.Out.Write(maps);
        }
    }

    private static string TypeText(ProgramSpec p) =>
        p.Type == ProgramType.Unspec ? "unspec (use --prog-type)" : KernelNames.Of(p.Type);

    private static void WriteJson(Stream stdout, string file, ObjectSpec? spec, string? error)
    {
        using (var json = new Utf8JsonWriter(stdout, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("file", file);
            if (spec is null)
            {
                json.WriteString("error", error);
            }
            else
            {
                json.WriteStartArray("programs");
                foreach (var p in spec.Programs)
                {
                    json.WriteStartObject();
                    json.WriteString("name", p.Name);
                    json.WriteString("section", p.SectionName);
                    json.WriteString("type", KernelNames.Of(p.Type));
                    if (p.ExpectedAttachType is { } a) json.WriteString("attach_type", KernelNames.Of(a));
                    else json.WriteNull("attach_type");
                    json.WriteNumber("insn_count", p.InstructionCount);
                    json.WriteNumber("linked_insn_count", p.LinkedInstructionCount);
                    json.WriteString("isa_version", $"v{(int)p.IsaVersion}");
                    if (p.Problems.Count > 0)
                    {
                        json.WriteStartArray("problems");
                        foreach (var problem in p.Problems) json.WriteStringValue(problem);
                        json.WriteEndArray();
                    }
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteStartArray("maps");
                foreach (var m in spec.Maps)
                {
                    json.WriteStartObject();
                    json.WriteString("name", m.Name);
                    json.WriteString("type", KernelNames.Of(m.Type));
                    json.WriteNumber("key_size", m.KeySize);
                    json.WriteNumber("value_size", m.ValueSize);
                    json.WriteNumber("max_entries", m.MaxEntries);
                    json.WriteNumber("flags", m.Flags);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        stdout.WriteByte((byte)'\n');
        stdout.Flush();
    }
}
