using BpfSharp.Kernel;

namespace BpfSharp.Tests.TestSupport;

/// <summary>A fact that needs bpf(2); reported as skipped, with the probe's reason, where bpf() is not permitted.</summary>
public sealed class KernelFactAttribute : FactAttribute
{
    public KernelFactAttribute()
    {
        var availability = KernelProbe.Availability;
        if (!availability.IsPermitted) Skip = $"kernel test skipped: {availability.Reason}";
    }
}
