using BpfSharp.Isa;
using BpfSharp.Kernel;
using BpfSharp.Loader;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// How the kernel probes (helper availability and ctx access) load a program: its type, expected attach type,
/// attach target in the kernel's BTF (tracing types) and load flags (syscall programs must be sleepable).
/// </summary>
public sealed record HelperProbeProgram(ProgramType Type, AttachType? Attach = null, string? Target = null, uint Flags = 0)
{
    /// <summary>
    /// The program types and attach types the tables describe, with what each needs to load: every pair a libbpf
    /// section name gives (<see cref="BpfSharp.Loader.SectionRules"/>; <c>The_probe_list_covers_every_section_rule</c>
    /// keeps it so), and each type's default where the kernel loads the type without an expected attach type.
    /// </summary>
    public static IReadOnlyList<HelperProbeProgram> All { get; } =
    [
        new(ProgramType.SocketFilter),
        new(ProgramType.Kprobe), new(ProgramType.Kprobe, AttachType.TraceKprobeMulti), new(ProgramType.Kprobe, AttachType.TraceUprobeMulti),
        new(ProgramType.Kprobe, AttachType.TraceKprobeSession), new(ProgramType.Kprobe, AttachType.TraceUprobeSession),
        new(ProgramType.SchedCls), new(ProgramType.SchedCls, AttachType.TcxIngress), new(ProgramType.SchedCls, AttachType.TcxEgress),
        new(ProgramType.SchedCls, AttachType.NetkitPrimary), new(ProgramType.SchedCls, AttachType.NetkitPeer),
        new(ProgramType.SchedAct),
        new(ProgramType.Tracepoint),
        new(ProgramType.Xdp), new(ProgramType.Xdp, AttachType.Xdp), new(ProgramType.Xdp, AttachType.XdpDevmap), new(ProgramType.Xdp, AttachType.XdpCpumap),
        new(ProgramType.PerfEvent),
        // CgroupInetIngress is 0, what the kernel also reads when no attach type is given.
        new(ProgramType.CgroupSkb), new(ProgramType.CgroupSkb, AttachType.CgroupInetEgress),
        // Without an attach type the kernel takes CgroupInetSockCreate.
        new(ProgramType.CgroupSock, AttachType.CgroupInetSockCreate), new(ProgramType.CgroupSock, AttachType.CgroupInetSockRelease),
        new(ProgramType.CgroupSock, AttachType.CgroupInet4PostBind), new(ProgramType.CgroupSock, AttachType.CgroupInet6PostBind),
        new(ProgramType.LwtIn), new(ProgramType.LwtOut), new(ProgramType.LwtXmit),
        new(ProgramType.SockOps), new(ProgramType.SockOps, AttachType.CgroupSockOps),
        new(ProgramType.SkSkb), new(ProgramType.SkSkb, AttachType.SkSkbStreamParser), new(ProgramType.SkSkb, AttachType.SkSkbStreamVerdict),
        new(ProgramType.SkSkb, AttachType.SkSkbVerdict),
        new(ProgramType.CgroupDevice), new(ProgramType.CgroupDevice, AttachType.CgroupDevice),
        new(ProgramType.SkMsg), new(ProgramType.SkMsg, AttachType.SkMsgVerdict),
        new(ProgramType.RawTracepoint),
        new(ProgramType.RawTracepointWritable),
        new(ProgramType.CgroupSockAddr, AttachType.CgroupInet4Bind), new(ProgramType.CgroupSockAddr, AttachType.CgroupInet6Bind),
        new(ProgramType.CgroupSockAddr, AttachType.CgroupInet4Connect), new(ProgramType.CgroupSockAddr, AttachType.CgroupInet6Connect),
        new(ProgramType.CgroupSockAddr, AttachType.CgroupUnixConnect),
        new(ProgramType.CgroupSockAddr, AttachType.CgroupUdp4Sendmsg), new(ProgramType.CgroupSockAddr, AttachType.CgroupUdp6Sendmsg),
        new(ProgramType.CgroupSockAddr, AttachType.CgroupUnixSendmsg),
        new(ProgramType.CgroupSockAddr, AttachType.CgroupUdp4Recvmsg), new(ProgramType.CgroupSockAddr, AttachType.CgroupUdp6Recvmsg),
        new(ProgramType.CgroupSockAddr, AttachType.CgroupUnixRecvmsg),
        new(ProgramType.CgroupSockAddr, AttachType.CgroupInet4Getpeername), new(ProgramType.CgroupSockAddr, AttachType.CgroupInet6Getpeername),
        new(ProgramType.CgroupSockAddr, AttachType.CgroupUnixGetpeername),
        new(ProgramType.CgroupSockAddr, AttachType.CgroupInet4Getsockname), new(ProgramType.CgroupSockAddr, AttachType.CgroupInet6Getsockname),
        new(ProgramType.CgroupSockAddr, AttachType.CgroupUnixGetsockname),
        new(ProgramType.LwtSeg6local),
        new(ProgramType.SkReuseport), new(ProgramType.SkReuseport, AttachType.SkReuseportSelect),
        new(ProgramType.SkReuseport, AttachType.SkReuseportSelectOrMigrate),
        new(ProgramType.FlowDissector), new(ProgramType.FlowDissector, AttachType.FlowDissector),
        new(ProgramType.CgroupSysctl), new(ProgramType.CgroupSysctl, AttachType.CgroupSysctl),
        new(ProgramType.CgroupSockopt, AttachType.CgroupGetsockopt), new(ProgramType.CgroupSockopt, AttachType.CgroupSetsockopt),
        // fentry/fexit load with EPERM on the reference machine (lockdown), so tracing is probed as tp_btf and iter.
        new(ProgramType.Tracing, AttachType.TraceFentry, "bpf_fentry_test1"), new(ProgramType.Tracing, AttachType.TraceFexit, "bpf_fentry_test1"),
        new(ProgramType.Tracing, AttachType.ModifyReturn, "bpf_modify_return_test"),
        new(ProgramType.Tracing, AttachType.TraceRawTp, "sched_switch"), new(ProgramType.Tracing, AttachType.TraceIter, "task"),
        new(ProgramType.Syscall, null, null, ProgramLoadRequest.FlagSleepable),
        new(ProgramType.SkLookup, AttachType.SkLookup),
        new(ProgramType.Netfilter, AttachType.Netfilter),
        new(ProgramType.LircMode2, AttachType.LircMode2),
        new(ProgramType.Lsm, AttachType.LsmMac, "file_open"), new(ProgramType.Lsm, AttachType.LsmCgroup, "file_open"),
    ];

    /// <summary>
    /// A return value every program of this kind may end with (cgroup sock_addr recvmsg, getpeername and getsockname
    /// hooks insist on 1; tracing programs on 0).
    /// </summary>
    public int ExitValue => Type == ProgramType.CgroupSockAddr ? 1 : 0;

    /// <summary>The attach target's BTF id, 0 without a target, null when the kernel's BTF lacks it.</summary>
    public uint? AttachBtfId => Target is null ? 0 : VmlinuxBtf.FindAttachTarget(Attach!.Value, Target);

    /// <summary>Loads <paramref name="text"/> as this kind of program.</summary>
    public ProgramLoadResult Load(string text, string license = "GPL", uint logLevel = ProgramLoadRequest.LogBasic) =>
        Load(Assembler.Assemble(text), license, logLevel);

    /// <summary>Loads <paramref name="instructions"/> as this kind of program; the descriptor is closed at once.</summary>
    public ProgramLoadResult Load(Instruction[] instructions, string license = "GPL", uint logLevel = ProgramLoadRequest.LogBasic)
    {
        var result = KernelProgram.Load(new ProgramLoadRequest
        {
            Type = Type, ExpectedAttachType = Attach, AttachBtfId = AttachBtfId ?? 0, Flags = Flags,
            Instructions = instructions, License = license, LogLevel = logLevel, LogSize = 1 << 16,
        });
        result.Program?.Dispose();
        return result;
    }

    /// <summary>
    /// Null when this kind of program loads here (a trivial program is accepted), else why not, e.g. fentry
    /// refused with EPERM under lockdown, or an attach target missing from the kernel's BTF.
    /// </summary>
    public string? WhyNotLoadable()
    {
        if (AttachBtfId is null) return $"attach target '{Target}' is not in the kernel's BTF";
        var r = Load($"r0 = {ExitValue}\nexit");
        return r.Succeeded ? null : $"a trivial program fails to load: {Errno.Describe(r.Errno)} {VerifierLogParser.ErrorMessage(r.Log)}".TrimEnd();
    }

    /// <inheritdoc/>
    public override string ToString() => Attach is null ? Type.ToString() : $"{Type}/{Attach}";
}
