using BpfSharp.Kernel;

namespace BpfSharp.Tests.TestSupport;

/// <summary>A theory that drives bpftool against the running kernel; skipped with the reason where it cannot.</summary>
public sealed class BpftoolTheoryAttribute : TheoryAttribute
{
    public BpftoolTheoryAttribute()
    {
        if (!KernelProbe.Availability.IsPermitted) Skip = $"kernel test skipped: {KernelProbe.Availability.Reason}";
        else if (Bpftool.Path is null) Skip = "bpftool not installed (apt-get install bpftool); cross-check with bpftool skipped";
        else if (!Bpftool.BpffsMounted) Skip = "no bpf filesystem at /sys/fs/bpf (mount -t bpf bpf /sys/fs/bpf); cross-check with bpftool skipped";
    }
}
