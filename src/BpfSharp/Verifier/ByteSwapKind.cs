namespace BpfSharp.Verifier;

/// <summary>What a BPF_END instruction does with the byte order (on the little-endian machines the kernel runs on here).</summary>
public enum ByteSwapKind : byte
{
    /// <summary><c>le16/le32/le64</c> (ALU, BPF_TO_LE): no swap on a little-endian host, only truncation.</summary>
    ToLittleEndian,

    /// <summary><c>be16/be32/be64</c> (ALU, BPF_TO_BE): swap, then truncation for 16 and 32 bits.</summary>
    ToBigEndian,

    /// <summary><c>bswap16/32/64</c> (ALU64): unconditional swap, then truncation for 16 and 32 bits.</summary>
    Swap,
}
