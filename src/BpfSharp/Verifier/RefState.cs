namespace BpfSharp.Verifier;

/// <summary>Kind of an acquired resource a state must release before exit.</summary>
internal enum RefKind : byte
{
    /// <summary>A referenced pointer (socket, ringbuf record, ...).</summary>
    Pointer = 1,
    /// <summary>bpf_spin_lock.</summary>
    Lock = 2,
    /// <summary>Saved IRQ state.</summary>
    Irq = 4,
}

/// <summary>An acquired reference or lock held by a state.</summary>
internal struct RefState
{
    public int Id;
    public int InsnIdx;
    public RefKind Kind;
    /// <summary>For locks: which object (map index + 1) the lock is in.</summary>
    public int Ptr;
}
