using BpfSharp.Stats;

namespace BpfSharp.Kernel;

/// <summary>The kernel's verdict on one program, with the duration of every repeated run.</summary>
/// <param name="Result">Verdict, message, log and statistics of the first run.</param>
/// <param name="Durations">"verification time" of each run, in microseconds.</param>
public sealed record KernelVerification(VerificationResult Result, IReadOnlyList<long> Durations);
