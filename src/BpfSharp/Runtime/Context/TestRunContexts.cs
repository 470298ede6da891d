using BpfSharp.Loader;
using S = BpfSharp.Runtime.Context.ContextValueSource;
using P = BpfSharp.Runtime.Context.ContextPointerKind;

namespace BpfSharp.Runtime.Context;

/// <summary>
/// The contexts BPF_PROG_TEST_RUN builds for socket_filter, sched_cls and xdp programs, as tables proven against
/// the running kernel (<c>ContextTableKernelTests</c> loads a reader of every field and compares each value).
/// </summary>
public static class TestRunContexts
{
    /// <summary>Largest wire_len ctx_in may give (GSO_LEGACY_MAX_SIZE; 65537 is EINVAL).</summary>
    public const uint MaximumWireLength = 65536;

    // struct __sk_buff: every field with its test-run source; sched_cls may read more fields than socket_filter.
    private static ContextFieldRule[] SkBuff(bool schedCls)
    {
        S Only(S source) => schedCls ? source : S.NotReadable;
        return
        [
            new("len", 0, 4, S.Length),
            new("pkt_type", 4, 4, S.PacketType),
            new("mark", 8, 4, S.ContextIn, Settable: true),
            new("queue_mapping", 12, 4, S.Zero),
            new("protocol", 16, 4, S.Protocol),
            new("vlan_present", 20, 4, S.Zero),
            new("vlan_tci", 24, 4, S.Zero),
            new("vlan_proto", 28, 4, S.Zero),
            new("priority", 32, 4, S.ContextIn, Settable: true),
            new("ingress_ifindex", 36, 4, S.ContextIn, Settable: true),
            new("ifindex", 40, 4, S.Ifindex, Settable: true),
            new("tc_index", 44, 4, S.Zero),
            new("cb", 48, 20, S.ContextIn, Settable: true),
            new("hash", 68, 4, S.Zero),
            new("tc_classid", 72, 4, Only(S.Zero)),
            new("data", 76, 4, Only(S.Pointer), schedCls ? P.PacketData : P.None),
            new("data_end", 80, 4, Only(S.Pointer), schedCls ? P.PacketEnd : P.None),
            new("napi_id", 84, 4, S.Zero),
            // Socket fields are readable from sk_skb, cgroup_skb and sock programs only.
            new("family", 88, 4, S.NotReadable),
            new("remote_ip4", 92, 4, S.NotReadable),
            new("local_ip4", 96, 4, S.NotReadable),
            new("remote_ip6", 100, 16, S.NotReadable),
            new("local_ip6", 116, 16, S.NotReadable),
            new("remote_port", 132, 4, S.NotReadable),
            new("local_port", 136, 4, S.NotReadable),
            new("data_meta", 140, 4, Only(S.Pointer), schedCls ? P.PacketMeta : P.None),
            new("flow_keys", 144, 8, S.NotReadable), // flow_dissector only
            new("tstamp", 152, 8, Only(S.ContextIn), Settable: true),
            new("wire_len", 160, 4, Only(S.WireLength), Settable: true, MaximumIn: MaximumWireLength),
            new("gso_segs", 164, 4, S.ContextIn, Settable: true, MaximumIn: 65535),
            new("sk", 168, 8, S.Pointer, P.Socket),
            new("gso_size", 176, 4, S.ContextIn, Settable: true),
            new("tstamp_type", 180, 1, Only(S.Zero)),
            new("hwtstamp", 184, 8, Only(S.ContextIn), Settable: true),
        ];
    }

    private const int SkbHeadroom = 64, SkbLinear = 3712, XdpHeadroom = 256, XdpLinear = 3520;

    private static readonly TestRunContextLayout[] Layouts =
    [
        new(ProgramType.SocketFilter, "__sk_buff", 192, SkBuff(false), HiddenLinkHeader: 14, Headroom: SkbHeadroom,
            UsableHeadroom: 0, LinearCapacity: SkbLinear, MaximumDataIn: SkbLinear, MinimumDataIn: 14, MaximumMetadata: 0,
            OutputFrame: "the whole frame, its 14-byte Ethernet header zeroed"),
        new(ProgramType.SchedCls, "__sk_buff", 192, SkBuff(true), HiddenLinkHeader: 0, Headroom: SkbHeadroom,
            UsableHeadroom: SkbHeadroom, LinearCapacity: SkbLinear, MaximumDataIn: SkbLinear, MinimumDataIn: 14, MaximumMetadata: 0,
            OutputFrame: "the frame from skb->data as the program left it"),
        new(ProgramType.Xdp, "xdp_md", 24,
        [
            new("data", 0, 4, S.Pointer, P.PacketData, Settable: true),
            new("data_end", 4, 4, S.Pointer, P.PacketEnd, Settable: true),
            new("data_meta", 8, 4, S.Pointer, P.PacketMeta),
            new("ingress_ifindex", 12, 4, S.XdpIngressIfindex, Settable: true),
            new("rx_queue_index", 16, 4, S.ContextIn, Settable: true),
            new("egress_ifindex", 20, 4, S.NotReadable), // devmap programs only; non-zero in ctx_in is EINVAL
        ], HiddenLinkHeader: 0, Headroom: XdpHeadroom, UsableHeadroom: 216, LinearCapacity: XdpLinear, MaximumDataIn: XdpLinear + 17 * 4096,
            MinimumDataIn: 14, MaximumMetadata: 216, OutputFrame: "metadata, linear data and fragments, from data_meta on"),
    ];

    /// <summary>Every layout: socket_filter, sched_cls, xdp.</summary>
    public static IReadOnlyList<TestRunContextLayout> All => Layouts;

    /// <summary>The layout of <paramref name="type"/>, or null when test runs of that type are not modelled.</summary>
    public static TestRunContextLayout? Of(ProgramType type)
    {
        foreach (var layout in Layouts)
            if (layout.Type == type) return layout;
        return null;
    }
}
