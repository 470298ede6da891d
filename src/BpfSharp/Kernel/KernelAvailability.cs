namespace BpfSharp.Kernel;

/// <summary>Whether this process may use bpf(2), and if not, why (shown verbatim when kernel tests skip).</summary>
/// <param name="IsPermitted">True when a trivial program loads.</param>
/// <param name="Reason">Why bpf() is not usable, or a short description of the kernel when it is.</param>
public sealed record KernelAvailability(bool IsPermitted, string Reason);
