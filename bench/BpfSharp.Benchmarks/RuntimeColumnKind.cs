namespace BpfSharp.Benchmarks;

/// <summary>What a <see cref="RuntimeColumn"/> shows.</summary>
public enum RuntimeColumnKind
{
    /// <summary>Instructions one run executes.</summary>
    Instructions,
    /// <summary>The interpreter's mean divided by the instructions.</summary>
    NanosecondsPerInstruction,
    /// <summary>The kernel's mean time per run (BPF_PROG_TEST_RUN, repeat 100,000).</summary>
    KernelNanoseconds,
    /// <summary>Interpreter mean / kernel mean.</summary>
    Ratio,
}
