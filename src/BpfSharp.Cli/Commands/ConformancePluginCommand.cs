using System.CommandLine;
using BpfSharp.Runtime.Conformance;

namespace BpfSharp.Cli.Commands;

/// <summary>
/// <c>bpfsharp conformance-plugin [MEMORY_HEX] [--OPTION...]</c>: the plugin the bpf_conformance runner drives
/// (program in hex on stdin, r0 in hex on stdout; see ../shared/conformance/PROTOCOL.md). The arguments are the
/// runner's, taken as they come: the memory argument holds spaces and options may be empty strings.
/// </summary>
internal static class ConformancePluginCommand
{
    public static Command Create()
    {
        var command = new Command("conformance-plugin",
            "Plugin for the bpf_conformance runner: runs the program given in hex on stdin with BpfSharp's interpreter and prints r0 in hex.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        var memory = new Argument<string[]>("MEMORY_HEX") { Description = "Input memory, bytes as hex separated by spaces", Arity = ArgumentArity.ZeroOrMore };
        command.Arguments.Add(memory);
        // The tokens in their order (the command's own token first): the runner's argv after argv[0].
        command.SetAction(parse => ConformancePlugin.Run(
            parse.Tokens.SkipWhile(t => t.Value != "conformance-plugin").Skip(1).Select(t => t.Value).ToList(),
            Console.In, Console.Out));
        return command;
    }
}
