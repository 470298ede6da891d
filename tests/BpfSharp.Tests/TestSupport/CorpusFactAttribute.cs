namespace BpfSharp.Tests.TestSupport;

/// <summary>A fact that is reported as skipped, with the reason, when the BPF object corpus is absent.</summary>
public sealed class CorpusFactAttribute : FactAttribute
{
    public CorpusFactAttribute()
    {
        if (TestCorpus.SkipReason is { } reason) Skip = reason;
    }
}
