namespace BpfSharp.Loader;

/// <summary>
/// What <see cref="SectionRules.Resolve"/> inferred from an ELF section name. The default value is the
/// "nothing matched" result: <see cref="ProgramType.Unspec"/>, no attach type, <see cref="IsKnown"/> false.
/// </summary>
public readonly record struct SectionMatch
{
    /// <summary>Program type, or <see cref="ProgramType.Unspec"/> when no rule matched.</summary>
    public ProgramType Type { get; init; }

    /// <summary>Expected attach type, or null when libbpf leaves it unset (0) or no rule matched.</summary>
    public AttachType? ExpectedAttachType { get; init; }

    /// <summary>Handling flags of the matched rule.</summary>
    public SectionFlags Flags { get; init; }

    /// <summary>Pattern of the matched rule (e.g. <c>kprobe+</c>), for diagnostics; null when no rule matched.</summary>
    public string? Rule { get; init; }

    /// <summary>True when only a legacy (libbpf 0.x / bpf_load.c prefix) rule matched.</summary>
    public bool IsLegacy { get; init; }

    /// <summary>Text after the rule's '/' separator, e.g. the function of <c>kprobe/do_sys_open</c>; null when absent.</summary>
    public string? Extras { get; init; }

    /// <summary>The name began with '?', libbpf's mark for a program that is not loaded unless asked for.</summary>
    public bool AutoloadDisabled { get; init; }

    /// <summary>Whether a rule matched.</summary>
    public bool IsKnown => Rule is not null;

    /// <summary>Whether the program is loaded sleepable.</summary>
    public bool IsSleepable => (Flags & SectionFlags.Sleepable) != 0;

    /// <summary>Whether loading needs the BTF id of an attach target (fentry, fexit, lsm, iter, tp_btf, freplace, …).</summary>
    public bool NeedsAttachTarget => (Flags & SectionFlags.AttachBtf) != 0;
}
