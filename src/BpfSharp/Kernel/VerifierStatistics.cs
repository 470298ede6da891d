namespace BpfSharp.Kernel;

/// <summary>The statistics the verifier prints at the end of its log. Missing values are null.</summary>
/// <param name="ProcessedInstructions">"processed N insns".</param>
/// <param name="InstructionLimit">"(limit M)".</param>
/// <param name="MaxStatesPerInstruction">"max_states_per_insn".</param>
/// <param name="TotalStates">"total_states".</param>
/// <param name="PeakStates">"peak_states".</param>
/// <param name="MarkRead">"mark_read".</param>
/// <param name="VerificationTimeMicroseconds">"verification time N usec" (log level 4).</param>
/// <param name="StackDepths">"stack depth A+B+..." per function (log level 4).</param>
public sealed record VerifierStatistics(
    long? ProcessedInstructions, long? InstructionLimit, long? MaxStatesPerInstruction, long? TotalStates,
    long? PeakStates, long? MarkRead, long? VerificationTimeMicroseconds, IReadOnlyList<int>? StackDepths)
{
    /// <summary>True when the log has the final statistics line, i.e. the program reached the verifier.</summary>
    public bool ReachedVerifier => ProcessedInstructions is not null;
}
