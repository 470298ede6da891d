using BpfSharp.Kernel;

namespace BpfSharp.Tests.TestSupport;

/// <summary>A fact that needs bpf(2) and a memory cgroup to measure kernel memory in; skipped with the reason otherwise.</summary>
public sealed class MemoryCgroupFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Reason = new(() =>
    {
        if (!KernelProbe.Availability.IsPermitted) return $"kernel test skipped: {KernelProbe.Availability.Reason}";
        using var memory = MemoryAccounting.TryCreate(out string reason);
        return memory is null ? $"memory measurement test skipped: {reason}" : null;
    });

    public MemoryCgroupFactAttribute()
    {
        if (Reason.Value is { } reason) Skip = reason;
    }
}
