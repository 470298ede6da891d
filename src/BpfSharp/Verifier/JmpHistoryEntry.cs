namespace BpfSharp.Verifier;

/// <summary>
/// One record of the path a state took since its parent checkpoint: a jump (from <see cref="PrevIdx"/> to
/// <see cref="Idx"/>) or an instruction whose stack access or linked registers precision backtracking must know.
/// </summary>
internal struct JmpHistoryEntry
{
    public int Idx;
    public int PrevIdx;
    public int Flags;
    public ulong LinkedRegs;

    /// <summary>The instruction spilled to or filled from the stack slot encoded in the flags.</summary>
    public const int StackAccess = 1 << 3;
    /// <summary>Comparison whose source register was a stack pointer.</summary>
    public const int SrcRegStack = 1 << 13;
    /// <summary>Comparison whose destination register was a stack pointer.</summary>
    public const int DstRegStack = 1 << 14;
    public const int SpiShift = 4;
    public const int SpiMask = 0x3f;
    public const int FrameMask = 0x7;

    public static int StackAccessFlags(int frame, int spi) => StackAccess | (spi << SpiShift) | frame;
    public static int SpiOf(int flags) => (flags >> SpiShift) & SpiMask;
    public static int FrameOf(int flags) => flags & FrameMask;
}
