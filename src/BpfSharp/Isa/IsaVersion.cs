namespace BpfSharp.Isa;

/// <summary>
/// The eBPF ISA version an instruction needs: the lowest <c>clang -mcpu=vN</c> that can emit it.
/// </summary>
public enum IsaVersion : byte
{
    /// <summary>The base instruction set.</summary>
    V1 = 1,
    /// <summary>Adds jlt/jle/jslt/jsle.</summary>
    V2 = 2,
    /// <summary>Adds the JMP32 class and the atomic operations beyond plain add.</summary>
    V3 = 3,
    /// <summary>Adds sdiv/smod, movsx, sign-extending loads, bswap, gotol, may_goto, load-acquire/store-release.</summary>
    V4 = 4,
}
