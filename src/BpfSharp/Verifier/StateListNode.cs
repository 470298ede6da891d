namespace BpfSharp.Verifier;

/// <summary>
/// A node of an explored-state list (the kernel's bpf_verifier_state_list): a checkpoint and the hit/miss
/// counters that decide when it stops being worth comparing against. Nodes are pooled with their states.
/// </summary>
internal sealed class StateListNode
{
    public VerifierState State = null!;
    public int MissCnt;
    public int HitCnt;
    public bool InFreeList;
    /// <summary>Idle in a <see cref="StatePool"/>.</summary>
    public bool InPool;
    public StateListNode? Prev;
    public StateListNode? Next;

    /// <summary>Remove from whatever list holds this node.</summary>
    public void Unlink()
    {
        if (Prev is not null) Prev.Next = Next;
        if (Next is not null) Next.Prev = Prev;
        Prev = Next = null;
    }

    /// <summary>Insert right after <paramref name="head"/> (a list sentinel).</summary>
    public void InsertAfter(StateListNode head)
    {
        Next = head.Next;
        Prev = head;
        if (head.Next is not null) head.Next.Prev = this;
        head.Next = this;
    }
}
