using BpfSharp.Kernel;

namespace BpfSharp.Tests.TestSupport;

/// <summary>
/// A fact that compares recorded kernel answers with the running kernel: it needs bpf() and the corpus, and the
/// running kernel must be the release series (major.minor) the answers were recorded on.
/// </summary>
public sealed class RecordedKernelFactAttribute : FactAttribute
{
    public RecordedKernelFactAttribute(string recordedOn)
    {
        var availability = KernelProbe.Availability;
        if (!availability.IsPermitted) Skip = $"kernel test skipped: {availability.Reason}";
        else if (TestCorpus.SkipReason is { } reason) Skip = reason;
        else if (Series(KernelProbe.Release()) != Series(recordedOn))
            Skip = $"recorded on Linux {recordedOn}, running {KernelProbe.Release()}: answers of another release are not comparable";
    }

    private static string Series(string release)
    {
        var parts = release.Split('.', 3);
        return parts.Length >= 2 ? parts[0] + "." + parts[1] : release;
    }
}
