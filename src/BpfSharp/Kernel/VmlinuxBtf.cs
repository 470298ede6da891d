using BpfSharp.Binary;
using BpfSharp.Btf;

namespace BpfSharp.Kernel;

/// <summary>
/// The running kernel's BTF (/sys/kernel/btf/vmlinux), read once: where tracing programs (fentry, fexit, lsm,
/// iter, tp_btf) find the BTF id of what they attach to.
/// </summary>
public static class VmlinuxBtf
{
    /// <summary>Where the kernel publishes its BTF.</summary>
    public const string Path = "/sys/kernel/btf/vmlinux";

    private static readonly Lazy<BtfSpec?> Spec = new(() =>
        File.Exists(Path) ? BtfSpec.Parse(File.ReadAllBytes(Path), new FormatLocation(Path, null)) : null);

    /// <summary>The kernel's BTF, or null when it publishes none.</summary>
    public static BtfSpec? Value => Spec.Value;

    /// <summary>
    /// The BTF id of the attach target named in a section (<c>fentry/tcp_connect</c> → FUNC tcp_connect): the
    /// naming rules libbpf applies per program type and attach type. Null when the kernel has no such target.
    /// </summary>
    public static uint? FindAttachTarget(Loader.AttachType attachType, string name)
    {
        var btf = Value;
        if (btf is null) return null;
        var (prefix, kind) = attachType switch
        {
            Loader.AttachType.TraceRawTp => ("btf_trace_", BtfKind.Typedef),
            Loader.AttachType.LsmMac or Loader.AttachType.LsmCgroup => ("bpf_lsm_", BtfKind.Func),
            Loader.AttachType.TraceIter => ("bpf_iter_", BtfKind.Func),
            _ => ("", BtfKind.Func),
        };
        return btf.TryFind(prefix + name, kind, out uint id) ? id : null;
    }
}
