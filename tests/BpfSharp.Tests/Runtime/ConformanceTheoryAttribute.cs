namespace BpfSharp.Tests.Runtime;

/// <summary>A theory over the conformance suite, reported as skipped with the reason when the suite is absent.</summary>
public sealed class ConformanceTheoryAttribute : TheoryAttribute
{
    public ConformanceTheoryAttribute()
    {
        if (ConformanceSuite.SkipReason is { } reason) Skip = reason;
    }
}
