using BpfSharp.Kernel;

namespace BpfSharp.Tests.TestSupport;

/// <summary>
/// A generator run as a test: skipped unless BPFSHARP_REGENERATE=1 is set and bpf() is permitted, since it rewrites
/// committed sources from what the running kernel answers.
/// </summary>
public sealed class RegenerateFactAttribute : FactAttribute
{
    public RegenerateFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("BPFSHARP_REGENERATE") != "1")
            Skip = "generator: set BPFSHARP_REGENERATE=1 (as root on the reference kernel) to rewrite the generated tables";
        else if (!KernelProbe.Availability.IsPermitted)
            Skip = $"generator needs bpf(): {KernelProbe.Availability.Reason}";
    }
}
