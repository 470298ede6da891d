namespace BpfSharp.Verifier;

/// <summary>
/// A whole abstract machine state on one verification path: its call frames, held references and locks,
/// and the bookkeeping of state pruning (parent checkpoint, pending branch count, jump history).
/// Instances come from a <see cref="StatePool"/> and are reused once freed.
/// </summary>
internal sealed class VerifierState
{
    public const int MaxFrames = 8;

    public readonly FuncState?[] Frames = new FuncState?[MaxFrames];
    public int CurFrame;
    /// <summary>Idle in a <see cref="StatePool"/>.</summary>
    public bool InPool;
    /// <summary>The checkpoint this path continues from (precision backtracking walks these).</summary>
    public VerifierState? Parent;
    /// <summary>Paths still to be explored from this state (itself and its pushed branches).</summary>
    public int Branches;
    public int InsnIdx;
    public int FirstInsnIdx;
    public int LastInsnIdx;
    public JmpHistoryEntry[] History = [];
    public int HistoryCount;
    public RefState[] Refs = [];
    public int RefCount;
    public int ActiveLocks;
    public int ActiveLockId;
    public int ActiveLockPtr;
    public int ActiveRcuLock;
    public int ActivePreemptLocks;
    public int ActiveIrqId;
    public int MayGotoDepth;
    public int CallbackUnrollDepth;
    public int DfsDepth;
    public bool InSleepable;
    public bool Cleaned;
    public bool Speculative;
    /// <summary>For a loop back-edge copy: the explored state it matched.</summary>
    public VerifierState? EqualState;
    /// <summary>The explored-state list node holding this state, when it is a checkpoint.</summary>
    public StateListNode? Node;

    public FuncState Frame => Frames[CurFrame]!;

    /// <summary>
    /// Forget everything but the reusable arrays, as a freshly allocated state: a pooled state may come from an
    /// earlier verification, and no field of it may leak into this one.
    /// </summary>
    public void Reset()
    {
        CurFrame = 0;
        Parent = null;
        Branches = 0;
        InsnIdx = FirstInsnIdx = LastInsnIdx = 0;
        HistoryCount = 0;
        Array.Clear(Refs, 0, RefCount);
        RefCount = 0;
        ActiveLocks = ActiveLockId = ActiveLockPtr = ActiveRcuLock = ActivePreemptLocks = ActiveIrqId = 0;
        MayGotoDepth = CallbackUnrollDepth = DfsDepth = 0;
        InSleepable = Cleaned = Speculative = false;
        EqualState = null;
        Node = null;
    }

    public RegState[] Regs => Frames[CurFrame]!.Regs;

    public void PushHistory(in JmpHistoryEntry entry)
    {
        if (HistoryCount == History.Length)
            Array.Resize(ref History, Math.Max(8, History.Length * 2));
        History[HistoryCount++] = entry;
    }

    public void ClearHistory() => HistoryCount = 0;

    public void AddRef(in RefState r)
    {
        if (RefCount == Refs.Length)
            Array.Resize(ref Refs, Math.Max(4, Refs.Length * 2));
        Refs[RefCount++] = r;
    }

    public void RemoveRefAt(int index)
    {
        Array.Copy(Refs, index + 1, Refs, index, RefCount - index - 1);
        RefCount--;
        Refs[RefCount] = default;
    }

    /// <summary>Instruction index of frame <paramref name="frame"/>: the current insn or the call into the next frame.</summary>
    public int FrameInsnIdx(int frame) => frame == CurFrame ? InsnIdx : Frames[frame + 1]!.CallSite;

    public bool SameCallsites(VerifierState other)
    {
        if (CurFrame != other.CurFrame) return false;
        for (int fr = CurFrame; fr >= 0; fr--)
            if (Frames[fr]!.CallSite != other.Frames[fr]!.CallSite) return false;
        return true;
    }

    /// <summary>Bytes this state's arrays retain (for the memory figures).</summary>
    public long RetainedBytes
    {
        get
        {
            long bytes = 160 + History.Length * 24L + Refs.Length * 16L;
            for (int i = 0; i <= CurFrame; i++)
                if (Frames[i] is { } f) bytes += f.RetainedBytes;
            return bytes;
        }
    }
}
