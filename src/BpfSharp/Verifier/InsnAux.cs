namespace BpfSharp.Verifier;

/// <summary>What the verifier knows about one instruction beyond its encoding (the kernel's bpf_insn_aux_data).</summary>
internal struct InsnAux
{
    /// <summary>Explored states are kept and compared here.</summary>
    public bool PrunePoint;
    /// <summary>Reached by a jump or a return: the jump history records arrivals here.</summary>
    public bool JmpPoint;
    /// <summary>Always checkpoint here (loops through callbacks, may_goto).</summary>
    public bool ForceCheckpoint;
    /// <summary>A helper call that runs a callback synchronously (bpf_loop, for_each_map_elem, ...).</summary>
    public bool CallsCallback;
    /// <summary>Walked at least once.</summary>
    public bool Seen;
    /// <summary>Registers r0-r9 read before written from here on (bit per register).</summary>
    public ushort LiveRegsBefore;
    /// <summary>Strongly connected component (loop) id, 0 for none.</summary>
    public int Scc;
    /// <summary>Pointer type first seen for this load/store (0: none yet), for "same insn cannot be used with different pointers".</summary>
    public byte PtrType;
    /// <summary>Subprogram containing this instruction.</summary>
    public int Subprog;
}
