using System.CommandLine;
using BpfSharp.Loader;

namespace BpfSharp.Cli;

/// <summary>
/// The <c>--prog-type</c> option: <c>TYPE</c> sets the type of every program (for objects whose section names say
/// nothing, such as old cilium objects with <c>2/7</c> or <c>from-netdev</c>); <c>NAME=TYPE</c> sets it for one
/// program or section. Repeatable.
/// </summary>
internal static class ProgramTypeOption
{
    public static Option<string[]> Create() => new("--prog-type")
    {
        Description = "Program type when the section name says nothing: TYPE for all programs, or PROG=TYPE (program or section name). Repeatable. Types use the kernel's names: socket_filter, sched_cls, xdp, kprobe, ...",
        AllowMultipleArgumentsPerToken = false,
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static LoadOptions Parse(string[]? values)
    {
        ProgramType? all = null;
        var perProgram = new Dictionary<string, ProgramType>(StringComparer.Ordinal);
        foreach (var value in values ?? [])
        {
            int eq = value.LastIndexOf('=');
            string typeText = eq >= 0 ? value[(eq + 1)..] : value;
            if (!KernelNames.TryParse(typeText, out ProgramType type) || type == ProgramType.Unspec)
                throw new CliUsageException($"unknown program type '{typeText}' (use a kernel name such as socket_filter, sched_cls, xdp, kprobe)");
            if (eq >= 0) perProgram[value[..eq]] = type;
            else all = type;
        }
        return new LoadOptions { ProgramType = all, ProgramTypes = perProgram };
    }
}
