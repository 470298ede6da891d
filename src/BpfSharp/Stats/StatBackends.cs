namespace BpfSharp.Stats;

/// <summary>The values of <see cref="StatRow.Backend"/>.</summary>
public static class StatBackends
{
    /// <summary>The kernel's verifier (BPF_PROG_LOAD).</summary>
    public const string Kernel = "kernel";

    /// <summary>BpfSharp's own verifier.</summary>
    public const string BpfSharp = "bpfsharp";
}
