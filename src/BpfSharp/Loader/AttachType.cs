namespace BpfSharp.Loader;

/// <summary>
/// The kernel's attach types (<c>enum bpf_attach_type</c> in <c>include/uapi/linux/bpf.h</c>, Linux 6.18).
/// Values are part of the syscall ABI, so every member carries its number explicitly.
/// </summary>
/// <remarks>
/// <see cref="CgroupInetIngress"/> is 0, the same number the kernel reads as "no expected attach type",
/// so code that needs "not set" uses a nullable <see cref="AttachType"/>.
/// </remarks>
public enum AttachType : uint
{
    /// <summary>cgroup ingress packets (BPF_CGROUP_INET_INGRESS).</summary>
    CgroupInetIngress = 0,
    /// <summary>cgroup egress packets (BPF_CGROUP_INET_EGRESS).</summary>
    CgroupInetEgress = 1,
    /// <summary>cgroup socket creation (BPF_CGROUP_INET_SOCK_CREATE).</summary>
    CgroupInetSockCreate = 2,
    /// <summary>cgroup TCP socket operations (BPF_CGROUP_SOCK_OPS).</summary>
    CgroupSockOps = 3,
    /// <summary>sockmap stream parser (BPF_SK_SKB_STREAM_PARSER).</summary>
    SkSkbStreamParser = 4,
    /// <summary>sockmap stream verdict (BPF_SK_SKB_STREAM_VERDICT).</summary>
    SkSkbStreamVerdict = 5,
    /// <summary>cgroup device access (BPF_CGROUP_DEVICE).</summary>
    CgroupDevice = 6,
    /// <summary>sockmap sendmsg verdict (BPF_SK_MSG_VERDICT).</summary>
    SkMsgVerdict = 7,
    /// <summary>cgroup IPv4 bind (BPF_CGROUP_INET4_BIND).</summary>
    CgroupInet4Bind = 8,
    /// <summary>cgroup IPv6 bind (BPF_CGROUP_INET6_BIND).</summary>
    CgroupInet6Bind = 9,
    /// <summary>cgroup IPv4 connect (BPF_CGROUP_INET4_CONNECT).</summary>
    CgroupInet4Connect = 10,
    /// <summary>cgroup IPv6 connect (BPF_CGROUP_INET6_CONNECT).</summary>
    CgroupInet6Connect = 11,
    /// <summary>cgroup IPv4 post-bind (BPF_CGROUP_INET4_POST_BIND).</summary>
    CgroupInet4PostBind = 12,
    /// <summary>cgroup IPv6 post-bind (BPF_CGROUP_INET6_POST_BIND).</summary>
    CgroupInet6PostBind = 13,
    /// <summary>cgroup UDPv4 sendmsg (BPF_CGROUP_UDP4_SENDMSG).</summary>
    CgroupUdp4Sendmsg = 14,
    /// <summary>cgroup UDPv6 sendmsg (BPF_CGROUP_UDP6_SENDMSG).</summary>
    CgroupUdp6Sendmsg = 15,
    /// <summary>Infrared decoder on a lirc device (BPF_LIRC_MODE2).</summary>
    LircMode2 = 16,
    /// <summary>Flow dissector in a network namespace (BPF_FLOW_DISSECTOR).</summary>
    FlowDissector = 17,
    /// <summary>cgroup sysctl access (BPF_CGROUP_SYSCTL).</summary>
    CgroupSysctl = 18,
    /// <summary>cgroup UDPv4 recvmsg (BPF_CGROUP_UDP4_RECVMSG).</summary>
    CgroupUdp4Recvmsg = 19,
    /// <summary>cgroup UDPv6 recvmsg (BPF_CGROUP_UDP6_RECVMSG).</summary>
    CgroupUdp6Recvmsg = 20,
    /// <summary>cgroup getsockopt (BPF_CGROUP_GETSOCKOPT).</summary>
    CgroupGetsockopt = 21,
    /// <summary>cgroup setsockopt (BPF_CGROUP_SETSOCKOPT).</summary>
    CgroupSetsockopt = 22,
    /// <summary>BTF-typed raw tracepoint (BPF_TRACE_RAW_TP).</summary>
    TraceRawTp = 23,
    /// <summary>Function entry trampoline (BPF_TRACE_FENTRY).</summary>
    TraceFentry = 24,
    /// <summary>Function exit trampoline (BPF_TRACE_FEXIT).</summary>
    TraceFexit = 25,
    /// <summary>Return-value override trampoline (BPF_MODIFY_RETURN).</summary>
    ModifyReturn = 26,
    /// <summary>LSM hook (BPF_LSM_MAC).</summary>
    LsmMac = 27,
    /// <summary>BPF iterator (BPF_TRACE_ITER).</summary>
    TraceIter = 28,
    /// <summary>cgroup IPv4 getpeername (BPF_CGROUP_INET4_GETPEERNAME).</summary>
    CgroupInet4Getpeername = 29,
    /// <summary>cgroup IPv6 getpeername (BPF_CGROUP_INET6_GETPEERNAME).</summary>
    CgroupInet6Getpeername = 30,
    /// <summary>cgroup IPv4 getsockname (BPF_CGROUP_INET4_GETSOCKNAME).</summary>
    CgroupInet4Getsockname = 31,
    /// <summary>cgroup IPv6 getsockname (BPF_CGROUP_INET6_GETSOCKNAME).</summary>
    CgroupInet6Getsockname = 32,
    /// <summary>XDP program stored in a devmap entry (BPF_XDP_DEVMAP).</summary>
    XdpDevmap = 33,
    /// <summary>cgroup socket release (BPF_CGROUP_INET_SOCK_RELEASE).</summary>
    CgroupInetSockRelease = 34,
    /// <summary>XDP program stored in a cpumap entry (BPF_XDP_CPUMAP).</summary>
    XdpCpumap = 35,
    /// <summary>Socket lookup in a network namespace (BPF_SK_LOOKUP).</summary>
    SkLookup = 36,
    /// <summary>XDP on a network device via a link (BPF_XDP).</summary>
    Xdp = 37,
    /// <summary>sockmap skb verdict (BPF_SK_SKB_VERDICT).</summary>
    SkSkbVerdict = 38,
    /// <summary>SO_REUSEPORT selection (BPF_SK_REUSEPORT_SELECT).</summary>
    SkReuseportSelect = 39,
    /// <summary>SO_REUSEPORT selection or migration (BPF_SK_REUSEPORT_SELECT_OR_MIGRATE).</summary>
    SkReuseportSelectOrMigrate = 40,
    /// <summary>Perf event link (BPF_PERF_EVENT).</summary>
    PerfEvent = 41,
    /// <summary>Multi-function kprobe link (BPF_TRACE_KPROBE_MULTI).</summary>
    TraceKprobeMulti = 42,
    /// <summary>Per-cgroup LSM hook (BPF_LSM_CGROUP).</summary>
    LsmCgroup = 43,
    /// <summary>struct_ops link (BPF_STRUCT_OPS).</summary>
    StructOps = 44,
    /// <summary>Netfilter hook link (BPF_NETFILTER).</summary>
    Netfilter = 45,
    /// <summary>tcx ingress (BPF_TCX_INGRESS).</summary>
    TcxIngress = 46,
    /// <summary>tcx egress (BPF_TCX_EGRESS).</summary>
    TcxEgress = 47,
    /// <summary>Multi-location uprobe link (BPF_TRACE_UPROBE_MULTI).</summary>
    TraceUprobeMulti = 48,
    /// <summary>cgroup unix-socket connect (BPF_CGROUP_UNIX_CONNECT).</summary>
    CgroupUnixConnect = 49,
    /// <summary>cgroup unix-socket sendmsg (BPF_CGROUP_UNIX_SENDMSG).</summary>
    CgroupUnixSendmsg = 50,
    /// <summary>cgroup unix-socket recvmsg (BPF_CGROUP_UNIX_RECVMSG).</summary>
    CgroupUnixRecvmsg = 51,
    /// <summary>cgroup unix-socket getpeername (BPF_CGROUP_UNIX_GETPEERNAME).</summary>
    CgroupUnixGetpeername = 52,
    /// <summary>cgroup unix-socket getsockname (BPF_CGROUP_UNIX_GETSOCKNAME).</summary>
    CgroupUnixGetsockname = 53,
    /// <summary>netkit primary device (BPF_NETKIT_PRIMARY).</summary>
    NetkitPrimary = 54,
    /// <summary>netkit peer device (BPF_NETKIT_PEER).</summary>
    NetkitPeer = 55,
    /// <summary>kprobe entry/return session (BPF_TRACE_KPROBE_SESSION).</summary>
    TraceKprobeSession = 56,
    /// <summary>uprobe entry/return session (BPF_TRACE_UPROBE_SESSION).</summary>
    TraceUprobeSession = 57,
}
