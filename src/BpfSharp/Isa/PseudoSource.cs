namespace BpfSharp.Isa;

/// <summary>
/// Meanings of the source-register field of ld_imm64 and call instructions, where it is not a register
/// but says how the loader and the verifier must read the immediate.
/// </summary>
public static class PseudoSource
{
    /// <summary>ld_imm64: a plain 64-bit constant.</summary>
    public const byte None = 0;
    /// <summary>ld_imm64: imm is a map file descriptor; the register gets the map.</summary>
    public const byte MapFd = 1;
    /// <summary>ld_imm64: imm is a map fd, the second imm an offset into its value.</summary>
    public const byte MapValue = 2;
    /// <summary>ld_imm64: imm is a kernel BTF id of a variable.</summary>
    public const byte BtfId = 3;
    /// <summary>ld_imm64: imm is the pc-relative address of a BPF function.</summary>
    public const byte Func = 4;
    /// <summary>ld_imm64: imm is an index into the fd array passed at load time.</summary>
    public const byte MapIdx = 5;
    /// <summary>ld_imm64: like <see cref="MapIdx"/>, the second imm an offset into the value.</summary>
    public const byte MapIdxValue = 6;

    /// <summary>call: imm is a helper function id.</summary>
    public const byte Helper = 0;
    /// <summary>call: imm is the pc-relative offset of a BPF function (bpf-to-bpf call).</summary>
    public const byte LocalCall = 1;
    /// <summary>call: imm is the BTF id of a kernel function (kfunc); offset selects the BTF.</summary>
    public const byte KfuncCall = 2;
}
