using BpfSharp.Stats;

namespace BpfSharp.Tests.Stats;

/// <summary>Builds rows for the stat tests.</summary>
internal static class StatTestRows
{
    public static StatRow Make(
        string file, string prog, Verdict verdict = Verdict.Success, long? insns = 100, long? states = 10,
        long? duration = 50, long? peak = null, long? memoryBytes = null, string? progType = "xdp", string? message = null,
        IReadOnlyList<long>? durations = null, string? backend = null, int size = 20) =>
        new(file, prog, new VerificationResult
        {
            Verdict = verdict,
            Message = message,
            TotalInstructions = insns,
            TotalStates = states,
            PeakStates = peak,
            DurationMicroseconds = duration,
            MemoryPeakBytes = memoryBytes,
            ProgramSize = size,
        })
        {
            ProgramType = progType,
            Durations = durations ?? [],
            Backend = backend,
        };
}
