namespace BpfSharp.Verifier;

/// <summary>
/// One call frame of a verifier state: eleven registers and the frame's stack, allocated on demand in 8-byte
/// slots (byte kinds in <see cref="SlotTypes"/>, eight per slot; spilled registers in <see cref="Spilled"/>).
/// Slot <c>spi</c> covers fp-8*(spi+1) .. fp-8*spi-1; byte <c>j</c> of it is at fp-8*spi-1-j.
/// </summary>
internal sealed class FuncState
{
    public const int MaxStack = 512;
    public const int RegCount = 11;

    public readonly RegState[] Regs = new RegState[RegCount];
    public StackSlotType[] SlotTypes = [];
    public RegState[] Spilled = [];
    /// <summary>Allocated stack in bytes, a multiple of 8.</summary>
    public int AllocatedStack;
    public int CallSite;
    public int FrameNo;
    public int SubprogNo;
    public int CallbackRetMin;
    public int CallbackRetMax;
    public bool InCallbackFn;
    public bool InAsyncCallbackFn;
    public bool InExceptionCallbackFn;
    public int AsyncEntryCnt;
    public int CallbackDepth;
    /// <summary>Idle in a <see cref="StatePool"/>.</summary>
    public bool InPool;

    public int Slots => AllocatedStack / 8;

    public void Init(int callSite, int frameNo, int subprog)
    {
        CallSite = callSite;
        FrameNo = frameNo;
        SubprogNo = subprog;
        CallbackRetMin = 0;
        CallbackRetMax = 0;
        InCallbackFn = InAsyncCallbackFn = InExceptionCallbackFn = false;
        AsyncEntryCnt = 0;
        CallbackDepth = 0;
        AllocatedStack = 0;
        for (int i = 0; i < RegCount; i++) Regs[i].MarkNotInit();
        Regs[10].SetPointer(RegType.Stack);
        Regs[10].FrameNo = (byte)frameNo;
    }

    /// <summary>Grow the stack to at least <paramref name="bytes"/> (rounded up to 8); new bytes are invalid.</summary>
    public void Grow(int bytes)
    {
        int size = (bytes + 7) & ~7;
        if (size <= AllocatedStack) return;
        int slots = size / 8;
        EnsureCapacity(slots);
        int oldSlots = AllocatedStack / 8;
        Array.Clear(SlotTypes, oldSlots * 8, (slots - oldSlots) * 8);
        for (int i = oldSlots; i < slots; i++) Spilled[i].MarkNotInit();
        AllocatedStack = size;
    }

    private void EnsureCapacity(int slots)
    {
        if (Spilled.Length >= slots) return;
        int capacity = Math.Max(slots, Math.Min(64, Math.Max(4, Spilled.Length * 2)));
        var types = new StackSlotType[capacity * 8];
        var spilled = new RegState[capacity];
        Array.Copy(SlotTypes, types, AllocatedStack);
        Array.Copy(Spilled, spilled, AllocatedStack / 8);
        SlotTypes = types;
        Spilled = spilled;
    }

    public void CopyFrom(FuncState src)
    {
        src.Regs.AsSpan().CopyTo(Regs);
        EnsureCapacity(src.AllocatedStack / 8);
        Array.Copy(src.SlotTypes, SlotTypes, src.AllocatedStack);
        Array.Copy(src.Spilled, Spilled, src.AllocatedStack / 8);
        AllocatedStack = src.AllocatedStack;
        CallSite = src.CallSite;
        FrameNo = src.FrameNo;
        SubprogNo = src.SubprogNo;
        CallbackRetMin = src.CallbackRetMin;
        CallbackRetMax = src.CallbackRetMax;
        InCallbackFn = src.InCallbackFn;
        InAsyncCallbackFn = src.InAsyncCallbackFn;
        InExceptionCallbackFn = src.InExceptionCallbackFn;
        AsyncEntryCnt = src.AsyncEntryCnt;
        CallbackDepth = src.CallbackDepth;
    }

    public bool IsSpilled(int spi) => SlotTypes[spi * 8 + 7] == StackSlotType.Spill;

    public bool IsSpilledScalar(int spi) => IsSpilled(spi) && Spilled[spi].Type == RegType.Scalar;

    /// <summary>A 64-bit scalar spill (all eight bytes are part of the spill).</summary>
    public bool IsSpilledScalar64(int spi)
    {
        if (!IsSpilledScalar(spi)) return false;
        for (int j = 0; j < 8; j++)
            if (SlotTypes[spi * 8 + j] != StackSlotType.Spill) return false;
        return true;
    }

    /// <summary>Byte <paramref name="j"/> of slot <paramref name="spi"/>.</summary>
    public ref StackSlotType Slot(int spi, int j) => ref SlotTypes[spi * 8 + j];

    /// <summary>Bytes retained by this frame's arrays.</summary>
    public long RetainedBytes => 11 * 84 + SlotTypes.Length + Spilled.Length * 84L + 64;
}
