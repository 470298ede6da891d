using BpfSharp.Kernel;

namespace BpfSharp.Tests.TestSupport;

/// <summary>A fact that needs both the BPF object corpus and bpf(2); skipped with the reason when either is missing.</summary>
public sealed class KernelCorpusFactAttribute : FactAttribute
{
    public KernelCorpusFactAttribute()
    {
        if (TestCorpus.SkipReason is { } reason) Skip = reason;
        else if (!KernelProbe.Availability.IsPermitted) Skip = $"kernel test skipped: {KernelProbe.Availability.Reason}";
    }
}
