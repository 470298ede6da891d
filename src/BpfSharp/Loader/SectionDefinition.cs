namespace BpfSharp.Loader;

/// <summary>
/// One row of the section-name table: an ELF section name pattern and what libbpf infers for programs found
/// in a section it matches.
/// </summary>
public sealed record SectionDefinition
{
    /// <summary>Creates a rule. The comparison kind follows from <paramref name="pattern"/>'s last character, or is a plain prefix for legacy rules.</summary>
    /// <param name="pattern">The pattern as libbpf spells it: ending in '+' (name or name/extras), in '/' (prefix), or neither (exact).</param>
    /// <param name="type">Program type a matching section gets.</param>
    /// <param name="expectedAttachType">Expected attach type, or null where libbpf leaves it unset (0).</param>
    /// <param name="flags">libbpf's handling flags for the rule.</param>
    /// <param name="isLegacy">True for the prefix-matched rules of libbpf 0.x and samples/bpf's bpf_load.c.</param>
    public SectionDefinition(string pattern, ProgramType type, AttachType? expectedAttachType, SectionFlags flags, bool isLegacy)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        Pattern = pattern;
        Type = type;
        ExpectedAttachType = expectedAttachType;
        Flags = flags;
        IsLegacy = isLegacy;
        Kind = isLegacy ? SectionPatternKind.LegacyPrefix
            : pattern[^1] == '/' ? SectionPatternKind.SlashPrefix
            : pattern[^1] == '+' ? SectionPatternKind.ExactOrSlashExtras
            : SectionPatternKind.Exact;
    }

    /// <summary>The pattern as libbpf spells it (e.g. <c>kprobe+</c>, <c>cgroup/sock</c>).</summary>
    public string Pattern { get; }

    /// <summary>Program type a matching section gets.</summary>
    public ProgramType Type { get; }

    /// <summary>Expected attach type, or null where libbpf leaves it unset (0, which would otherwise read as <see cref="AttachType.CgroupInetIngress"/>).</summary>
    public AttachType? ExpectedAttachType { get; }

    /// <summary>libbpf's handling flags for the rule.</summary>
    public SectionFlags Flags { get; }

    /// <summary>True for the prefix-matched rules kept for objects written for libbpf 0.x, samples/bpf's bpf_load.c or iproute2.</summary>
    public bool IsLegacy { get; }

    /// <summary>How <see cref="Pattern"/> is compared with a section name.</summary>
    public SectionPatternKind Kind { get; }

    /// <summary>Whether <paramref name="sectionName"/> matches this rule (case-sensitive, like libbpf).</summary>
    public bool Matches(ReadOnlySpan<char> sectionName)
    {
        var pattern = Pattern.AsSpan();
        switch (Kind)
        {
            case SectionPatternKind.Exact:
                return sectionName.SequenceEqual(pattern);
            case SectionPatternKind.ExactOrSlashExtras:
                var stem = pattern[..^1];
                return sectionName.StartsWith(stem, StringComparison.Ordinal)
                    && (sectionName.Length == stem.Length || sectionName[stem.Length] == '/');
            default:
                return sectionName.StartsWith(pattern, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// The part of a matching <paramref name="sectionName"/> after the rule's '/' separator (the attach target of
    /// <c>fentry/tcp_connect</c> is <c>tcp_connect</c>), or null when the rule has no such part or the name omits it.
    /// </summary>
    public string? ExtrasOf(string sectionName)
    {
        ArgumentNullException.ThrowIfNull(sectionName);
        if (!Matches(sectionName)) return null;
        if (Kind == SectionPatternKind.ExactOrSlashExtras)
        {
            int stemLength = Pattern.Length - 1;
            return sectionName.Length > stemLength ? sectionName[(stemLength + 1)..] : null;
        }
        return Pattern[^1] == '/' ? sectionName[Pattern.Length..] : null;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Pattern} -> {KernelNames.Of(Type)}/{(ExpectedAttachType is { } a ? KernelNames.Of(a) : "-")}{(IsLegacy ? " (legacy)" : "")}";
}
