using BpfSharp.Stats;

namespace BpfSharp.Kernel;

/// <summary>The kernel's verdict on one program, with the duration of every repeated run.</summary>
/// <param name="Result">Verdict, message, log and statistics of the first run.</param>
/// <param name="Durations">"verification time" of each run, in microseconds.</param>
/// <param name="JitedSize">Bytes of JIT-compiled code of an accepted program (veristat's prog_size_jited), or null.</param>
public sealed record KernelVerification(VerificationResult Result, IReadOnlyList<long> Durations, long? JitedSize = null);
