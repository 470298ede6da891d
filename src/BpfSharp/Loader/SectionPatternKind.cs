namespace BpfSharp.Loader;

/// <summary>How a <see cref="SectionDefinition"/>'s pattern is compared with a section name.</summary>
public enum SectionPatternKind
{
    /// <summary>The name must equal the pattern (libbpf rule without a suffix, e.g. <c>socket</c>).</summary>
    Exact,

    /// <summary>The name must start with the pattern, which ends in '/' (libbpf rule such as <c>kprobe/</c> in 0.x).</summary>
    SlashPrefix,

    /// <summary>
    /// The name must equal the pattern without its trailing '+', or continue it with '/' and extras
    /// (libbpf rule such as <c>kprobe+</c>: <c>kprobe</c> and <c>kprobe/do_sys_open</c> match, <c>kprobe2</c> does not).
    /// </summary>
    ExactOrSlashExtras,

    /// <summary>The name only has to start with the pattern: the "sloppy" matching of libbpf 0.x and samples/bpf's bpf_load.c.</summary>
    LegacyPrefix,
}
