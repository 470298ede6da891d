namespace BpfSharp.Tests.TestSupport;

/// <summary>A theory that is reported as skipped, with the reason, when the BPF object corpus is absent.</summary>
public sealed class CorpusTheoryAttribute : TheoryAttribute
{
    public CorpusTheoryAttribute()
    {
        if (TestCorpus.SkipReason is { } reason) Skip = reason;
    }
}
