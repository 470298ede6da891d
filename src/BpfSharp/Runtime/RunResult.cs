namespace BpfSharp.Runtime;

/// <summary>The outcome of one run.</summary>
/// <param name="ReturnValue">r0 at the exit of the outermost frame (64 bits).</param>
/// <param name="Instructions">Instructions executed (callbacks and tail-called programs included).</param>
/// <param name="ElapsedNanoseconds">Wall time of the run.</param>
/// <param name="Trace">Lines written by bpf_trace_printk, in order.</param>
public readonly record struct RunResult(ulong ReturnValue, long Instructions, long ElapsedNanoseconds, IReadOnlyList<string> Trace);
