namespace BpfSharp.Stats;

/// <summary>
/// One statistic of a verification, as veristat names them (<c>-e</c>, <c>-s</c>, <c>-f</c>, CSV columns). The order
/// is veristat's default CSV column order. <see cref="StatFields"/> holds each one's names, title and kind.
/// </summary>
public enum StatField
{
    /// <summary><c>file_name</c>: the object file's base name.</summary>
    FileName,
    /// <summary><c>prog_name</c>: the program's name.</summary>
    ProgramName,
    /// <summary><c>verdict</c>: success, failure (and BpfSharp's not_verified / unsupported).</summary>
    Verdict,
    /// <summary><c>duration</c>: verification time in microseconds (the median over repeated runs).</summary>
    Duration,
    /// <summary><c>total_insns</c>: instructions the verifier processed.</summary>
    TotalInstructions,
    /// <summary><c>total_states</c>: verifier states created.</summary>
    TotalStates,
    /// <summary><c>peak_states</c>: most verifier states alive at once.</summary>
    PeakStates,
    /// <summary><c>max_states_per_insn</c>: most states kept for one instruction.</summary>
    MaxStatesPerInstruction,
    /// <summary><c>max_mark_read_len</c> (alias <c>mark_read</c>): the verifier's "mark_read" statistic.</summary>
    MarkRead,
    /// <summary><c>prog_size</c>: instructions given to the verifier.</summary>
    ProgramSize,
    /// <summary><c>prog_size_jited</c>: bytes of JIT-compiled code, when the kernel reports it.</summary>
    JitedSize,
    /// <summary><c>prog_type</c>: the kernel's program type name (<c>xdp</c>, <c>sched_cls</c>...).</summary>
    ProgramType,
    /// <summary><c>attach_type</c>: the kernel's expected attach type name.</summary>
    AttachType,
    /// <summary><c>stack_depth</c>: sum of the stack depths of the program's functions.</summary>
    StackDepth,
    /// <summary><c>mem_peak</c>: peak kernel memory charged during the load, in MiB.</summary>
    MemoryPeak,
    /// <summary>
    /// <c>mem_alloc</c> (BpfSharp only): managed memory allocated by BpfSharp's verifier during the verification,
    /// in KiB. Not one of veristat's stats, so not in the default CSV.
    /// </summary>
    ManagedAllocated,
    /// <summary>
    /// <c>mem_retained</c> (BpfSharp only): peak memory held by the verifier's live states, in KiB (estimated from
    /// their arrays). Not one of veristat's stats, so not in the default CSV.
    /// </summary>
    RetainedPeak,
}
