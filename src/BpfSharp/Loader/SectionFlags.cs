namespace BpfSharp.Loader;

/// <summary>
/// Properties libbpf attaches to a section rule (its <c>sec_def_flags</c>), telling the loader how to prepare
/// a program found in a matching section.
/// </summary>
[Flags]
public enum SectionFlags
{
    /// <summary>No special handling.</summary>
    None = 0,

    /// <summary>The expected attach type may be dropped when the kernel is too old to accept one at load time.</summary>
    ExpectedAttachTypeOptional = 1 << 0,

    /// <summary>Historically attached with BPF_PROG_ATTACH; libbpf keeps this only for its name-listing APIs.</summary>
    Attachable = 1 << 1,

    /// <summary>The load needs a BTF id of the attach target (a kernel function, hook or BPF program), named after the '/'.</summary>
    AttachBtf = 1 << 2,

    /// <summary>The program is loaded sleepable (BPF_F_SLEEPABLE).</summary>
    Sleepable = 1 << 3,

    /// <summary>The XDP program accepts multi-buffer frames (BPF_F_XDP_HAS_FRAGS).</summary>
    XdpFrags = 1 << 4,

    /// <summary>A USDT probe; libbpf picks the attach mechanism when attaching.</summary>
    Usdt = 1 << 5,

    /// <summary>Shorthand for <see cref="Attachable"/> with <see cref="ExpectedAttachTypeOptional"/>, as libbpf spells it.</summary>
    AttachableOptional = Attachable | ExpectedAttachTypeOptional,
}
