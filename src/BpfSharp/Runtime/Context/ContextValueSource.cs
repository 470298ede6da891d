namespace BpfSharp.Runtime.Context;

/// <summary>
/// Where a context field's value comes from in a BPF_PROG_TEST_RUN, as the running kernel (6.18) was seen to
/// derive it. Each member names the probe that shows it: a program <c>r0 = *(u32 *)(r1 +OFF); exit</c> run on
/// generated frames, with no ctx_in, a zeroed ctx_in and a ctx_in with every settable field set
/// (<c>ContextTableKernelTests</c> re-proves all of them).
/// </summary>
public enum ContextValueSource
{
    /// <summary>
    /// 0 when a test run starts (queue_mapping, vlan_*, tc_index, hash, tc_classid, napi_id, tstamp_type: nothing
    /// sets them); bpf_skb_vlan_push/pop change vlan_* (see <see cref="SkbState"/>).
    /// </summary>
    Zero,

    /// <summary>
    /// skb->len: the bytes the program sees. A sched_cls program sees the whole frame; a socket_filter program
    /// sees it from the network header on (frame length − 14): a 193-byte frame reads 193 and 179. The resizing
    /// helpers change it (see <see cref="SkbState"/>).
    /// </summary>
    Length,

    /// <summary>
    /// skb->pkt_type as eth_type_trans sets it against the device (loopback: address and broadcast address all
    /// zeros): the device's broadcast address gives 1 (broadcast), another group address (low bit of byte 0 set,
    /// ff:ff:ff:ff:ff:ff included on loopback) 2 (multicast), the device's own address 0 (host), anything else 3
    /// (other host).
    /// </summary>
    PacketType,

    /// <summary>
    /// skb->protocol: the EtherType at frame offset 12 in network byte order (IPv4 reads 0x0008); a value below
    /// 0x0600 is an 802.3 length and reads ETH_P_802_2 (0x0400), or ETH_P_802_3 (0x0100) when the payload starts
    /// with 0xffff (raw 802.3). VLAN tags are not removed: a tagged frame reads 0x0081 and vlan_present 0.
    /// </summary>
    Protocol,

    /// <summary>Copied from ctx_in (0 without one): mark, priority, ingress_ifindex, cb, gso_segs, gso_size, tstamp, hwtstamp, xdp rx_queue_index.</summary>
    ContextIn,

    /// <summary>The device's ifindex: ctx_in's ifindex when above 1 (ENODEV when no such device), else 1 (loopback).</summary>
    Ifindex,

    /// <summary>
    /// wire_len: 0 without ctx_in; with one, ctx_in's wire_len when non-zero (EINVAL below len or above 65536),
    /// else len.
    /// </summary>
    WireLength,

    /// <summary>xdp ingress_ifindex: ctx_in's ingress_ifindex when non-zero, else 1 (the loopback device's queue 0).</summary>
    XdpIngressIfindex,

    /// <summary>A pointer the runtime supplies (see <see cref="ContextPointerKind"/>); the ctx bytes hold 0.</summary>
    Pointer,

    /// <summary>The verifier refuses to load a read of this field for the program type ("invalid bpf_context access").</summary>
    NotReadable,
}
