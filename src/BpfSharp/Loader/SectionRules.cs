using A = BpfSharp.Loader.AttachType;
using F = BpfSharp.Loader.SectionFlags;
using P = BpfSharp.Loader.ProgramType;

namespace BpfSharp.Loader;

/// <summary>
/// Infers a program's type and expected attach type from its ELF section name, the way libbpf does.
/// </summary>
/// <remarks>
/// <para>
/// The strict part is libbpf 1.x's <c>section_defs</c> table as shipped with Linux 6.18, in libbpf's order, with
/// libbpf's matching (<c>sec_def_matches()</c>): a pattern ending in '+' matches the bare name or the name followed by
/// '/' and extras, one ending in '/' matches as a prefix, any other must match exactly; the first match wins.
/// </para>
/// <para>
/// The legacy part serves objects written for libbpf 0.x, samples/bpf's <c>bpf_load.c</c> or iproute2, which matched
/// by plain prefix (<c>socket1</c>, <c>xdp_prog/0</c>, <c>cgroup/sock1</c>). It is the set of rules libbpf 0.6–0.8 flagged
/// SEC_SLOPPY_PFX, the deprecated <c>xdp_devmap/</c> and <c>xdp_cpumap/</c> rules, and <c>tc</c>, which libbpf up to 0.5
/// matched by prefix like every other rule. bpf_load.c's own prefixes (socket, kprobe/, kretprobe/, tracepoint/,
/// raw_tracepoint/, xdp, perf_event, cgroup/skb, cgroup/sock, sockops, sk_skb, sk_msg) are all covered by one part or
/// the other. Legacy rules are consulted only when no strict rule matches.
/// </para>
/// <para>
/// A leading '?' (libbpf's "do not autoload" mark) is removed before matching and reported in
/// <see cref="SectionMatch.AutoloadDisabled"/>.
/// </para>
/// </remarks>
public static class SectionRules
{
    private static readonly SectionDefinition[] Rules =
    [
        // libbpf 1.x section_defs (Linux 6.18), same order.
        Strict("socket", P.SocketFilter),
        Strict("sk_reuseport/migrate", P.SkReuseport, A.SkReuseportSelectOrMigrate, F.Attachable),
        Strict("sk_reuseport", P.SkReuseport, A.SkReuseportSelect, F.Attachable),
        Strict("kprobe+", P.Kprobe),
        Strict("uprobe+", P.Kprobe),
        Strict("uprobe.s+", P.Kprobe, null, F.Sleepable),
        Strict("kretprobe+", P.Kprobe),
        Strict("uretprobe+", P.Kprobe),
        Strict("uretprobe.s+", P.Kprobe, null, F.Sleepable),
        Strict("kprobe.multi+", P.Kprobe, A.TraceKprobeMulti),
        Strict("kretprobe.multi+", P.Kprobe, A.TraceKprobeMulti),
        Strict("kprobe.session+", P.Kprobe, A.TraceKprobeSession),
        Strict("uprobe.multi+", P.Kprobe, A.TraceUprobeMulti),
        Strict("uretprobe.multi+", P.Kprobe, A.TraceUprobeMulti),
        Strict("uprobe.session+", P.Kprobe, A.TraceUprobeSession),
        Strict("uprobe.multi.s+", P.Kprobe, A.TraceUprobeMulti, F.Sleepable),
        Strict("uretprobe.multi.s+", P.Kprobe, A.TraceUprobeMulti, F.Sleepable),
        Strict("uprobe.session.s+", P.Kprobe, A.TraceUprobeSession, F.Sleepable),
        Strict("ksyscall+", P.Kprobe),
        Strict("kretsyscall+", P.Kprobe),
        Strict("usdt+", P.Kprobe, null, F.Usdt),
        Strict("usdt.s+", P.Kprobe, null, F.Usdt | F.Sleepable),
        Strict("tc/ingress", P.SchedCls, A.TcxIngress),
        Strict("tc/egress", P.SchedCls, A.TcxEgress),
        Strict("tcx/ingress", P.SchedCls, A.TcxIngress),
        Strict("tcx/egress", P.SchedCls, A.TcxEgress),
        Strict("tc", P.SchedCls),
        Strict("classifier", P.SchedCls),
        Strict("action", P.SchedAct),
        Strict("netkit/primary", P.SchedCls, A.NetkitPrimary),
        Strict("netkit/peer", P.SchedCls, A.NetkitPeer),
        Strict("tracepoint+", P.Tracepoint),
        Strict("tp+", P.Tracepoint),
        Strict("raw_tracepoint+", P.RawTracepoint),
        Strict("raw_tp+", P.RawTracepoint),
        Strict("raw_tracepoint.w+", P.RawTracepointWritable),
        Strict("raw_tp.w+", P.RawTracepointWritable),
        Strict("tp_btf+", P.Tracing, A.TraceRawTp, F.AttachBtf),
        Strict("fentry+", P.Tracing, A.TraceFentry, F.AttachBtf),
        Strict("fmod_ret+", P.Tracing, A.ModifyReturn, F.AttachBtf),
        Strict("fexit+", P.Tracing, A.TraceFexit, F.AttachBtf),
        Strict("fentry.s+", P.Tracing, A.TraceFentry, F.AttachBtf | F.Sleepable),
        Strict("fmod_ret.s+", P.Tracing, A.ModifyReturn, F.AttachBtf | F.Sleepable),
        Strict("fexit.s+", P.Tracing, A.TraceFexit, F.AttachBtf | F.Sleepable),
        Strict("freplace+", P.Ext, null, F.AttachBtf),
        Strict("lsm+", P.Lsm, A.LsmMac, F.AttachBtf),
        Strict("lsm.s+", P.Lsm, A.LsmMac, F.AttachBtf | F.Sleepable),
        Strict("lsm_cgroup+", P.Lsm, A.LsmCgroup, F.AttachBtf),
        Strict("iter+", P.Tracing, A.TraceIter, F.AttachBtf),
        Strict("iter.s+", P.Tracing, A.TraceIter, F.AttachBtf | F.Sleepable),
        Strict("syscall", P.Syscall, null, F.Sleepable),
        Strict("xdp.frags/devmap", P.Xdp, A.XdpDevmap, F.XdpFrags),
        Strict("xdp/devmap", P.Xdp, A.XdpDevmap, F.Attachable),
        Strict("xdp.frags/cpumap", P.Xdp, A.XdpCpumap, F.XdpFrags),
        Strict("xdp/cpumap", P.Xdp, A.XdpCpumap, F.Attachable),
        Strict("xdp.frags", P.Xdp, A.Xdp, F.XdpFrags),
        Strict("xdp", P.Xdp, A.Xdp, F.AttachableOptional),
        Strict("perf_event", P.PerfEvent),
        Strict("lwt_in", P.LwtIn),
        Strict("lwt_out", P.LwtOut),
        Strict("lwt_xmit", P.LwtXmit),
        Strict("lwt_seg6local", P.LwtSeg6local),
        Strict("sockops", P.SockOps, A.CgroupSockOps, F.AttachableOptional),
        Strict("sk_skb/stream_parser", P.SkSkb, A.SkSkbStreamParser, F.AttachableOptional),
        Strict("sk_skb/stream_verdict", P.SkSkb, A.SkSkbStreamVerdict, F.AttachableOptional),
        Strict("sk_skb/verdict", P.SkSkb, A.SkSkbVerdict, F.AttachableOptional),
        Strict("sk_skb", P.SkSkb),
        Strict("sk_msg", P.SkMsg, A.SkMsgVerdict, F.AttachableOptional),
        Strict("lirc_mode2", P.LircMode2, A.LircMode2, F.AttachableOptional),
        Strict("flow_dissector", P.FlowDissector, A.FlowDissector, F.AttachableOptional),
        Strict("cgroup_skb/ingress", P.CgroupSkb, A.CgroupInetIngress, F.AttachableOptional),
        Strict("cgroup_skb/egress", P.CgroupSkb, A.CgroupInetEgress, F.AttachableOptional),
        Strict("cgroup/skb", P.CgroupSkb),
        Strict("cgroup/sock_create", P.CgroupSock, A.CgroupInetSockCreate, F.Attachable),
        Strict("cgroup/sock_release", P.CgroupSock, A.CgroupInetSockRelease, F.Attachable),
        Strict("cgroup/sock", P.CgroupSock, A.CgroupInetSockCreate, F.AttachableOptional),
        Strict("cgroup/post_bind4", P.CgroupSock, A.CgroupInet4PostBind, F.Attachable),
        Strict("cgroup/post_bind6", P.CgroupSock, A.CgroupInet6PostBind, F.Attachable),
        Strict("cgroup/bind4", P.CgroupSockAddr, A.CgroupInet4Bind, F.Attachable),
        Strict("cgroup/bind6", P.CgroupSockAddr, A.CgroupInet6Bind, F.Attachable),
        Strict("cgroup/connect4", P.CgroupSockAddr, A.CgroupInet4Connect, F.Attachable),
        Strict("cgroup/connect6", P.CgroupSockAddr, A.CgroupInet6Connect, F.Attachable),
        Strict("cgroup/connect_unix", P.CgroupSockAddr, A.CgroupUnixConnect, F.Attachable),
        Strict("cgroup/sendmsg4", P.CgroupSockAddr, A.CgroupUdp4Sendmsg, F.Attachable),
        Strict("cgroup/sendmsg6", P.CgroupSockAddr, A.CgroupUdp6Sendmsg, F.Attachable),
        Strict("cgroup/sendmsg_unix", P.CgroupSockAddr, A.CgroupUnixSendmsg, F.Attachable),
        Strict("cgroup/recvmsg4", P.CgroupSockAddr, A.CgroupUdp4Recvmsg, F.Attachable),
        Strict("cgroup/recvmsg6", P.CgroupSockAddr, A.CgroupUdp6Recvmsg, F.Attachable),
        Strict("cgroup/recvmsg_unix", P.CgroupSockAddr, A.CgroupUnixRecvmsg, F.Attachable),
        Strict("cgroup/getpeername4", P.CgroupSockAddr, A.CgroupInet4Getpeername, F.Attachable),
        Strict("cgroup/getpeername6", P.CgroupSockAddr, A.CgroupInet6Getpeername, F.Attachable),
        Strict("cgroup/getpeername_unix", P.CgroupSockAddr, A.CgroupUnixGetpeername, F.Attachable),
        Strict("cgroup/getsockname4", P.CgroupSockAddr, A.CgroupInet4Getsockname, F.Attachable),
        Strict("cgroup/getsockname6", P.CgroupSockAddr, A.CgroupInet6Getsockname, F.Attachable),
        Strict("cgroup/getsockname_unix", P.CgroupSockAddr, A.CgroupUnixGetsockname, F.Attachable),
        Strict("cgroup/sysctl", P.CgroupSysctl, A.CgroupSysctl, F.Attachable),
        Strict("cgroup/getsockopt", P.CgroupSockopt, A.CgroupGetsockopt, F.Attachable),
        Strict("cgroup/setsockopt", P.CgroupSockopt, A.CgroupSetsockopt, F.Attachable),
        Strict("cgroup/dev", P.CgroupDevice, A.CgroupDevice, F.AttachableOptional),
        Strict("struct_ops+", P.StructOps),
        Strict("struct_ops.s+", P.StructOps, null, F.Sleepable),
        Strict("sk_lookup", P.SkLookup, A.SkLookup, F.Attachable),
        Strict("netfilter", P.Netfilter, A.Netfilter),

        // Legacy: libbpf 0.8's SEC_SLOPPY_PFX rules in its order, with "tc" (a prefix rule up to libbpf 0.5) after
        // "classifier" as it stood then, and 0.8's deprecated xdp_devmap/ and xdp_cpumap/ ahead of "xdp" they shadow.
        Legacy("socket", P.SocketFilter),
        Legacy("sk_reuseport/migrate", P.SkReuseport, A.SkReuseportSelectOrMigrate, F.Attachable),
        Legacy("sk_reuseport", P.SkReuseport, A.SkReuseportSelect, F.Attachable),
        Legacy("classifier", P.SchedCls),
        Legacy("tc", P.SchedCls),
        Legacy("action", P.SchedAct),
        Legacy("xdp_devmap/", P.Xdp, A.XdpDevmap, F.Attachable),
        Legacy("xdp_cpumap/", P.Xdp, A.XdpCpumap, F.Attachable),
        Legacy("xdp", P.Xdp, A.Xdp, F.AttachableOptional),
        Legacy("perf_event", P.PerfEvent),
        Legacy("lwt_in", P.LwtIn),
        Legacy("lwt_out", P.LwtOut),
        Legacy("lwt_xmit", P.LwtXmit),
        Legacy("lwt_seg6local", P.LwtSeg6local),
        Legacy("cgroup_skb/ingress", P.CgroupSkb, A.CgroupInetIngress, F.AttachableOptional),
        Legacy("cgroup_skb/egress", P.CgroupSkb, A.CgroupInetEgress, F.AttachableOptional),
        Legacy("cgroup/skb", P.CgroupSkb),
        Legacy("cgroup/sock_create", P.CgroupSock, A.CgroupInetSockCreate, F.Attachable),
        Legacy("cgroup/sock_release", P.CgroupSock, A.CgroupInetSockRelease, F.Attachable),
        Legacy("cgroup/sock", P.CgroupSock, A.CgroupInetSockCreate, F.AttachableOptional),
        Legacy("cgroup/post_bind4", P.CgroupSock, A.CgroupInet4PostBind, F.Attachable),
        Legacy("cgroup/post_bind6", P.CgroupSock, A.CgroupInet6PostBind, F.Attachable),
        Legacy("cgroup/dev", P.CgroupDevice, A.CgroupDevice, F.AttachableOptional),
        Legacy("sockops", P.SockOps, A.CgroupSockOps, F.AttachableOptional),
        Legacy("sk_skb/stream_parser", P.SkSkb, A.SkSkbStreamParser, F.AttachableOptional),
        Legacy("sk_skb/stream_verdict", P.SkSkb, A.SkSkbStreamVerdict, F.AttachableOptional),
        Legacy("sk_skb", P.SkSkb),
        Legacy("sk_msg", P.SkMsg, A.SkMsgVerdict, F.AttachableOptional),
        Legacy("lirc_mode2", P.LircMode2, A.LircMode2, F.AttachableOptional),
        Legacy("flow_dissector", P.FlowDissector, A.FlowDissector, F.AttachableOptional),
        Legacy("cgroup/bind4", P.CgroupSockAddr, A.CgroupInet4Bind, F.Attachable),
        Legacy("cgroup/bind6", P.CgroupSockAddr, A.CgroupInet6Bind, F.Attachable),
        Legacy("cgroup/connect4", P.CgroupSockAddr, A.CgroupInet4Connect, F.Attachable),
        Legacy("cgroup/connect6", P.CgroupSockAddr, A.CgroupInet6Connect, F.Attachable),
        Legacy("cgroup/sendmsg4", P.CgroupSockAddr, A.CgroupUdp4Sendmsg, F.Attachable),
        Legacy("cgroup/sendmsg6", P.CgroupSockAddr, A.CgroupUdp6Sendmsg, F.Attachable),
        Legacy("cgroup/recvmsg4", P.CgroupSockAddr, A.CgroupUdp4Recvmsg, F.Attachable),
        Legacy("cgroup/recvmsg6", P.CgroupSockAddr, A.CgroupUdp6Recvmsg, F.Attachable),
        Legacy("cgroup/getpeername4", P.CgroupSockAddr, A.CgroupInet4Getpeername, F.Attachable),
        Legacy("cgroup/getpeername6", P.CgroupSockAddr, A.CgroupInet6Getpeername, F.Attachable),
        Legacy("cgroup/getsockname4", P.CgroupSockAddr, A.CgroupInet4Getsockname, F.Attachable),
        Legacy("cgroup/getsockname6", P.CgroupSockAddr, A.CgroupInet6Getsockname, F.Attachable),
        Legacy("cgroup/sysctl", P.CgroupSysctl, A.CgroupSysctl, F.Attachable),
        Legacy("cgroup/getsockopt", P.CgroupSockopt, A.CgroupGetsockopt, F.Attachable),
        Legacy("cgroup/setsockopt", P.CgroupSockopt, A.CgroupSetsockopt, F.Attachable),
        Legacy("sk_lookup", P.SkLookup, A.SkLookup, F.Attachable),
    ];

    private static readonly IReadOnlyList<SectionDefinition> ReadOnlyRules = Array.AsReadOnly(Rules);

    /// <summary>All rules in the order they are tried: the strict (libbpf 1.x) rules, then the legacy ones.</summary>
    public static IReadOnlyList<SectionDefinition> Definitions => ReadOnlyRules;

    /// <summary>
    /// Infers program type, expected attach type and handling flags from <paramref name="sectionName"/>.
    /// A name no rule matches (<c>.text</c>, <c>license</c>, iproute2 names chosen on its command line) gives a
    /// result with <see cref="SectionMatch.IsKnown"/> false and <see cref="ProgramType.Unspec"/>.
    /// </summary>
    public static SectionMatch Resolve(string sectionName)
    {
        ArgumentNullException.ThrowIfNull(sectionName);
        bool autoloadDisabled = sectionName.StartsWith('?');
        string name = autoloadDisabled ? sectionName[1..] : sectionName;

        foreach (var rule in Rules)
        {
            if (!rule.Matches(name)) continue;
            return new SectionMatch
            {
                Type = rule.Type,
                ExpectedAttachType = rule.ExpectedAttachType,
                Flags = rule.Flags,
                Rule = rule.Pattern,
                IsLegacy = rule.IsLegacy,
                Extras = rule.ExtrasOf(name),
                AutoloadDisabled = autoloadDisabled,
            };
        }
        return new SectionMatch { AutoloadDisabled = autoloadDisabled };
    }

    private static SectionDefinition Strict(string pattern, P type, A? attach = null, F flags = F.None) =>
        new(pattern, type, attach, flags, isLegacy: false);

    private static SectionDefinition Legacy(string pattern, P type, A? attach = null, F flags = F.None) =>
        new(pattern, type, attach, flags, isLegacy: true);
}
