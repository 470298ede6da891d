namespace BpfSharp.Loader;

/// <summary>
/// The kernel's program types (<c>enum bpf_prog_type</c> in <c>include/uapi/linux/bpf.h</c>, Linux 6.18).
/// Values are part of the syscall ABI, so every member carries its number explicitly.
/// </summary>
public enum ProgramType : uint
{
    /// <summary>No type; rejected by the kernel (BPF_PROG_TYPE_UNSPEC).</summary>
    Unspec = 0,
    /// <summary>Socket filter attached with SO_ATTACH_BPF (BPF_PROG_TYPE_SOCKET_FILTER).</summary>
    SocketFilter = 1,
    /// <summary>kprobe, uprobe and USDT probes (BPF_PROG_TYPE_KPROBE).</summary>
    Kprobe = 2,
    /// <summary>Traffic-control classifier, also used for tcx and netkit (BPF_PROG_TYPE_SCHED_CLS).</summary>
    SchedCls = 3,
    /// <summary>Traffic-control action (BPF_PROG_TYPE_SCHED_ACT).</summary>
    SchedAct = 4,
    /// <summary>Static kernel tracepoint (BPF_PROG_TYPE_TRACEPOINT).</summary>
    Tracepoint = 5,
    /// <summary>eXpress Data Path packet hook (BPF_PROG_TYPE_XDP).</summary>
    Xdp = 6,
    /// <summary>Perf event sampling hook (BPF_PROG_TYPE_PERF_EVENT).</summary>
    PerfEvent = 7,
    /// <summary>cgroup ingress/egress packet filter (BPF_PROG_TYPE_CGROUP_SKB).</summary>
    CgroupSkb = 8,
    /// <summary>cgroup socket creation, release and post-bind hooks (BPF_PROG_TYPE_CGROUP_SOCK).</summary>
    CgroupSock = 9,
    /// <summary>Lightweight tunnel input (BPF_PROG_TYPE_LWT_IN).</summary>
    LwtIn = 10,
    /// <summary>Lightweight tunnel output (BPF_PROG_TYPE_LWT_OUT).</summary>
    LwtOut = 11,
    /// <summary>Lightweight tunnel transmit (BPF_PROG_TYPE_LWT_XMIT).</summary>
    LwtXmit = 12,
    /// <summary>TCP socket operations callback (BPF_PROG_TYPE_SOCK_OPS).</summary>
    SockOps = 13,
    /// <summary>sockmap stream parser/verdict (BPF_PROG_TYPE_SK_SKB).</summary>
    SkSkb = 14,
    /// <summary>cgroup device access control (BPF_PROG_TYPE_CGROUP_DEVICE).</summary>
    CgroupDevice = 15,
    /// <summary>sockmap sendmsg verdict (BPF_PROG_TYPE_SK_MSG).</summary>
    SkMsg = 16,
    /// <summary>Raw tracepoint with untyped arguments (BPF_PROG_TYPE_RAW_TRACEPOINT).</summary>
    RawTracepoint = 17,
    /// <summary>cgroup socket address hooks: bind, connect, sendmsg, … (BPF_PROG_TYPE_CGROUP_SOCK_ADDR).</summary>
    CgroupSockAddr = 18,
    /// <summary>SRv6 End.BPF action (BPF_PROG_TYPE_LWT_SEG6LOCAL).</summary>
    LwtSeg6local = 19,
    /// <summary>Infrared remote decoder (BPF_PROG_TYPE_LIRC_MODE2).</summary>
    LircMode2 = 20,
    /// <summary>SO_REUSEPORT socket selection (BPF_PROG_TYPE_SK_REUSEPORT).</summary>
    SkReuseport = 21,
    /// <summary>Flow dissector replacement (BPF_PROG_TYPE_FLOW_DISSECTOR).</summary>
    FlowDissector = 22,
    /// <summary>cgroup sysctl access control (BPF_PROG_TYPE_CGROUP_SYSCTL).</summary>
    CgroupSysctl = 23,
    /// <summary>Raw tracepoint allowed to write its buffer (BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE).</summary>
    RawTracepointWritable = 24,
    /// <summary>cgroup getsockopt/setsockopt hooks (BPF_PROG_TYPE_CGROUP_SOCKOPT).</summary>
    CgroupSockopt = 25,
    /// <summary>BTF-typed tracing: fentry, fexit, fmod_ret, tp_btf, iterators (BPF_PROG_TYPE_TRACING).</summary>
    Tracing = 26,
    /// <summary>Implementation of a kernel struct_ops member (BPF_PROG_TYPE_STRUCT_OPS).</summary>
    StructOps = 27,
    /// <summary>Extension replacing a function of another BPF program (BPF_PROG_TYPE_EXT).</summary>
    Ext = 28,
    /// <summary>Linux Security Module hook (BPF_PROG_TYPE_LSM).</summary>
    Lsm = 29,
    /// <summary>Socket lookup dispatch (BPF_PROG_TYPE_SK_LOOKUP).</summary>
    SkLookup = 30,
    /// <summary>Program that may issue bpf() syscalls; run with BPF_PROG_RUN (BPF_PROG_TYPE_SYSCALL).</summary>
    Syscall = 31,
    /// <summary>Netfilter hook (BPF_PROG_TYPE_NETFILTER).</summary>
    Netfilter = 32,
}
