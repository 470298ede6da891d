namespace BpfSharp.Tests.Btf;

/// <summary>A fact that is reported as skipped, with the reason, when the running kernel exposes no BTF.</summary>
public sealed class KernelBtfFactAttribute : FactAttribute
{
    /// <summary>Where the running kernel publishes its BTF.</summary>
    public const string Path = "/sys/kernel/btf/vmlinux";

    public KernelBtfFactAttribute()
    {
        if (!File.Exists(Path)) Skip = $"{Path} not present (kernel built without BTF, or not Linux); kernel BTF test skipped";
    }
}
