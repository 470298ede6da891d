using BpfSharp.Loader;

namespace BpfSharp.Tests.TestSupport;

/// <summary>A corpus program of a type BPF_PROG_TEST_RUN takes (socket_filter, sched_cls, xdp), and whether it qualifies.</summary>
/// <param name="Path">Corpus-relative object path.</param>
/// <param name="Object">The object spec.</param>
/// <param name="Program">The program.</param>
/// <param name="UsesMaps">True when the program references maps: their state carries from one run to the next.</param>
/// <param name="TailCalls">True when it calls bpf_tail_call: the oracle's prog arrays are empty, so tail calls fall through.</param>
internal sealed record TestRunCandidate(string Path, ObjectSpec Object, ProgramSpec Program, bool UsesMaps, bool TailCalls)
{
    /// <summary>"path/program" for messages.</summary>
    public string Key => $"{Path}/{Program.Name}";
}
