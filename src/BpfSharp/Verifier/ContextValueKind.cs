namespace BpfSharp.Verifier;

/// <summary>What a load from a context field puts in the destination register.</summary>
public enum ContextValueKind : byte
{
    /// <summary>A scalar.</summary>
    Scalar,
    /// <summary>The start of packet data (<c>pkt</c>, e.g. <c>__sk_buff.data</c>, <c>xdp_md.data</c>).</summary>
    PacketStart,
    /// <summary>The end of packet data (<c>pkt_end</c>).</summary>
    PacketEnd,
    /// <summary>The start of packet metadata (<c>pkt_meta</c>, <c>data_meta</c>).</summary>
    PacketMeta,
    /// <summary>A <c>struct bpf_sock</c> pointer of the common part, possibly NULL (<c>sock_common_or_null</c>).</summary>
    SockCommonOrNull,
    /// <summary>A full <c>struct bpf_sock</c> pointer, possibly NULL (<c>sock_or_null</c>).</summary>
    SocketOrNull,
    /// <summary>A full <c>struct bpf_sock</c> pointer (<c>sock</c>).</summary>
    Socket,
    /// <summary>The flow dissector's <c>struct bpf_flow_keys</c> (<c>flow_keys</c>).</summary>
    FlowKeys,
    /// <summary>A writable raw tracepoint's buffer (<c>tp_buffer</c>): any constant offset at or above 0 may be read and written.</summary>
    TracepointBuffer,
    /// <summary>A BTF-typed kernel pointer (<c>ptr_…</c>, <c>trusted_ptr_…</c>, <c>rcu_ptr_…</c>).</summary>
    BtfPointer,
    /// <summary>A BTF-typed kernel pointer that may be NULL (<c>ptr_or_null_…</c>).</summary>
    BtfPointerOrNull,
    /// <summary>Another register type; <see cref="ContextField.KernelType"/> has the verifier's name for it.</summary>
    Other,
}
