namespace BpfSharp.Runtime;

/// <summary>What a region of a program's address space holds.</summary>
public enum MemoryRegionKind : byte
{
    /// <summary>The reserved region 0: the NULL pointer, never accessible.</summary>
    Null,
    /// <summary>One 512-byte stack frame.</summary>
    Stack,
    /// <summary>The program's context (__sk_buff, xdp_md, pt_regs, ...).</summary>
    Context,
    /// <summary>Packet data.</summary>
    Packet,
    /// <summary>Plain input memory (the conformance suite's <c>-- mem</c>).</summary>
    Input,
    /// <summary>A map value returned by a lookup or named by ld_imm64.</summary>
    MapValue,
    /// <summary>A ring buffer record reserved by the program.</summary>
    RingbufRecord,
    /// <summary>Memory some helper handed out.</summary>
    HelperMemory,
    /// <summary>A handle to an object (a map from ld_imm64): has no bytes, only identity.</summary>
    Object,
    /// <summary>A callable address (ld_imm64 of a function): has no bytes.</summary>
    Function,
}
