namespace BpfSharp.Stats;

/// <summary>
/// What one verification of one program produced: the same shape for the kernel's verifier and BpfSharp's,
/// so that <c>stat --backend both</c> and the tests compare them field by field. Statistics the verifier did
/// not report are null.
/// </summary>
public sealed class VerificationResult
{
    /// <summary>How it ended.</summary>
    public required Verdict Verdict { get; init; }

    /// <summary>
    /// For <see cref="Verdict.Failure"/>: the verifier's error message (the last line of its log before the
    /// statistics). For <see cref="Verdict.NotVerified"/> and <see cref="Verdict.Unsupported"/>: why.
    /// </summary>
    public string? Message { get; init; }

    /// <summary>The verifier log (empty when none was produced).</summary>
    public string Log { get; init; } = "";

    /// <summary>errno of the failed load, or null.</summary>
    public int? Errno { get; init; }

    /// <summary>"verification time N usec".</summary>
    public long? DurationMicroseconds { get; init; }

    /// <summary>"processed N insns": instructions the verifier processed.</summary>
    public long? TotalInstructions { get; init; }

    /// <summary>"total_states".</summary>
    public long? TotalStates { get; init; }

    /// <summary>"peak_states".</summary>
    public long? PeakStates { get; init; }

    /// <summary>"max_states_per_insn".</summary>
    public long? MaxStatesPerInstruction { get; init; }

    /// <summary>"mark_read".</summary>
    public long? MarkRead { get; init; }

    /// <summary>"stack depth A+B+...": the stack depth of each function, main program first.</summary>
    public IReadOnlyList<int>? StackDepths { get; init; }

    /// <summary>Sum of <see cref="StackDepths"/>, as veristat reports it.</summary>
    public long? StackDepth => StackDepths?.Sum();

    /// <summary>Number of instructions given to the verifier (veristat's prog_size).</summary>
    public int ProgramSize { get; init; }

    /// <summary>Peak kernel memory charged during the load, in bytes, or null when it could not be measured.</summary>
    public long? MemoryPeakBytes { get; init; }

    /// <summary>BpfSharp's verifier: managed bytes allocated during the verification, or null.</summary>
    public long? ManagedAllocatedBytes { get; init; }

    /// <summary>BpfSharp's verifier: peak bytes held by live verifier states, or null.</summary>
    public long? RetainedPeakBytes { get; init; }
}
