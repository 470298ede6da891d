namespace BpfSharp.Isa;

/// <summary>What an instruction does, once its opcode and its variant fields (offset, immediate, source) are read.</summary>
public enum InstructionKind : byte
{
    /// <summary>Not a valid instruction.</summary>
    Invalid,
    /// <summary>Binary ALU/ALU64 operation, including mov, sdiv and smod.</summary>
    Alu,
    /// <summary>dst = -dst.</summary>
    Neg,
    /// <summary>Sign-extending move (v4).</summary>
    MovSx,
    /// <summary>le16/32/64 or be16/32/64 (ALU class).</summary>
    Endian,
    /// <summary>Unconditional byte swap bswap16/32/64 (ALU64 class, v4).</summary>
    ByteSwap,
    /// <summary>addr_space_cast for arena pointers.</summary>
    AddrSpaceCast,
    /// <summary>64-bit immediate load (two slots).</summary>
    LoadImm64,
    /// <summary>Legacy packet load at an absolute offset.</summary>
    LoadAbs,
    /// <summary>Legacy packet load at register plus offset.</summary>
    LoadInd,
    /// <summary>Load from memory.</summary>
    Load,
    /// <summary>Sign-extending load from memory (v4).</summary>
    LoadSx,
    /// <summary>Store an immediate.</summary>
    StoreImm,
    /// <summary>Store a register.</summary>
    StoreReg,
    /// <summary>Atomic read-modify-write, exchange, compare-exchange, load-acquire or store-release.</summary>
    Atomic,
    /// <summary>Unconditional jump with a 16-bit offset.</summary>
    Jump,
    /// <summary>Unconditional jump with a 32-bit offset (gotol, v4).</summary>
    JumpLong,
    /// <summary>Conditional jump (JMP or JMP32).</summary>
    ConditionalJump,
    /// <summary>may_goto: a jump the runtime takes when the loop budget is exhausted.</summary>
    MayGoto,
    /// <summary>Call of a helper function by id.</summary>
    CallHelper,
    /// <summary>bpf-to-bpf call, pc-relative.</summary>
    CallLocal,
    /// <summary>Call of a kernel function by BTF id.</summary>
    CallKfunc,
    /// <summary>Indirect call through a register (callx).</summary>
    CallX,
    /// <summary>Return from the current function.</summary>
    Exit,
}
