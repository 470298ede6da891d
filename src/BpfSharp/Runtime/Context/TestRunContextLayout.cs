using BpfSharp.Loader;

namespace BpfSharp.Runtime.Context;

/// <summary>
/// How BPF_PROG_TEST_RUN presents a program type's context and packet, measured on the running kernel (6.18,
/// x86-64, 4 KiB pages).
/// </summary>
/// <param name="Type">The program type.</param>
/// <param name="StructName">The UAPI context struct.</param>
/// <param name="Size">Its size; a longer ctx_in must be zero beyond it (E2BIG otherwise), and ctx_out needs room for all of it (ENOSPC otherwise).</param>
/// <param name="Fields">Every field, in offset order.</param>
/// <param name="HiddenLinkHeader">
/// Bytes of the frame before what the program sees: 14 for socket_filter (data and <c>ld_abs</c> offset 0 are the
/// network header: <c>r0 = *(u8 *)skb[0]</c> returns frame byte 14), 0 for sched_cls and xdp.
/// </param>
/// <param name="Headroom">
/// Bytes before the frame in the buffer: 64 for skbs (NET_SKB_PAD: data's address ends in 0x40), 256 for xdp
/// (XDP_PACKET_HEADROOM: data's address ends in 0x00).
/// </param>
/// <param name="UsableHeadroom">
/// What a program can claim of it: xdp 216 (bpf_xdp_adjust_head and bpf_xdp_adjust_meta succeed up to −216, the
/// rest holds the xdp_frame); skbs reallocate, so bpf_skb_change_head grows a 193-byte frame by up to 15871 bytes
/// (to SKB_MAX_ALLOC, 16064 bytes, the limit of every skb resizing helper: <see cref="SkbHelpers.MaximumLength"/>).
/// </param>
/// <param name="LinearCapacity">
/// Bytes of linear data the buffer holds: 3712 for skbs (a larger data_in is EINVAL), 3520 for xdp (larger
/// data_in goes into fragments, as does everything past ctx_in's data_end; bpf_xdp_adjust_tail grows the linear
/// part up to this).
/// </param>
/// <param name="MaximumDataIn">Largest data_in accepted: 3712 for skbs, 73152 for xdp (3520 + 17 fragment pages; ENOMEM above).</param>
/// <param name="MinimumDataIn">
/// Smallest data_in accepted: 14 (ETH_HLEN) for all; skbs also need a whole IPv4 header (34 bytes) when the
/// EtherType is IPv4 and a whole IPv6 header (54) when it is IPv6, EINVAL otherwise (VLAN, ARP and other types: 14).
/// </param>
/// <param name="MaximumMetadata">Largest metadata ctx_in may put before data (xdp_md.data): 216 for xdp, in multiples of 4; 0 for skbs.</param>
/// <param name="OutputFrame">
/// What data_out holds after the run: socket_filter the whole frame with its 14-byte Ethernet header zeroed
/// (the kernel pushes back a zero header); sched_cls the frame from skb->data, as the program left it (bytes
/// added by bpf_skb_change_head are zeros); xdp metadata, linear data and fragments, from data_meta on.
/// </param>
public sealed record TestRunContextLayout(ProgramType Type, string StructName, int Size, IReadOnlyList<ContextFieldRule> Fields,
    int HiddenLinkHeader, int Headroom, int UsableHeadroom, int LinearCapacity, int MaximumDataIn, int MinimumDataIn,
    int MaximumMetadata, string OutputFrame)
{
    /// <summary>The field holding byte <paramref name="offset"/>, or null (padding).</summary>
    public ContextFieldRule? FieldAt(int offset)
    {
        foreach (var field in Fields)
            if (offset >= field.Offset && offset < field.End) return field;
        return null;
    }
}
