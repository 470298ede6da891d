namespace BpfSharp.Verifier;

/// <summary>
/// The base type of a register in the verifier's abstract state (the kernel's <c>enum bpf_reg_type</c>
/// without its flag bits; those are <see cref="RegFlags"/>).
/// </summary>
public enum RegType : byte
{
    /// <summary>Never written: reading it is an error ("R%d !read_ok").</summary>
    NotInit,
    /// <summary>A number, tracked by <see cref="ScalarValue"/>.</summary>
    Scalar,
    /// <summary>The program's context (skb, xdp_md, pt_regs, ...).</summary>
    Ctx,
    /// <summary>A map itself, as loaded by ld_imm64 or found in a map-in-map.</summary>
    ConstMap,
    /// <summary>Into a map value.</summary>
    MapValue,
    /// <summary>Into the frame's stack (the frame pointer plus an offset).</summary>
    Stack,
    /// <summary>Into packet data.</summary>
    Packet,
    /// <summary>Into packet metadata (before data).</summary>
    PacketMeta,
    /// <summary>The end of packet data.</summary>
    PacketEnd,
    /// <summary>Flow dissector keys.</summary>
    FlowKeys,
    /// <summary>A full socket.</summary>
    Socket,
    /// <summary>struct sock_common.</summary>
    SockCommon,
    /// <summary>struct tcp_sock.</summary>
    TcpSock,
    /// <summary>Tracepoint buffer (writable raw tracepoints).</summary>
    TpBuffer,
    /// <summary>AF_XDP socket.</summary>
    XdpSock,
    /// <summary>A kernel object described by BTF.</summary>
    BtfId,
    /// <summary>A sized memory region (ringbuf record, helper-returned memory).</summary>
    Mem,
    /// <summary>Arena memory.</summary>
    Arena,
    /// <summary>Buffer of an iterator program.</summary>
    Buffer,
    /// <summary>A BPF function (callback).</summary>
    Func,
    /// <summary>Into a map key (callbacks of for_each_map_elem).</summary>
    MapKey,
    /// <summary>A dynptr passed to a callback.</summary>
    ConstDynptr,
}
