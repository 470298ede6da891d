namespace BpfSharp.Tests.Runtime;

/// <summary>A fact over the conformance suite, reported as skipped with the reason when the suite is absent.</summary>
public sealed class ConformanceFactAttribute : FactAttribute
{
    public ConformanceFactAttribute()
    {
        if (ConformanceSuite.SkipReason is { } reason) Skip = reason;
    }
}
