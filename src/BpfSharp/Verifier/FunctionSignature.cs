using BpfSharp.Btf;
using BpfSharp.Loader;

namespace BpfSharp.Verifier;

/// <summary>What the verifier assumes about an argument of a global function (from its BTF prototype).</summary>
internal enum GlobalArgKind : byte
{
    /// <summary>An integer or enum: any scalar.</summary>
    Anything,
    /// <summary>A pointer to the program's context type.</summary>
    Ctx,
    /// <summary>A pointer to sized memory, NULL allowed unless tagged arg:nonnull.</summary>
    Mem,
}

internal readonly record struct GlobalArg(GlobalArgKind Kind, int MemSize, bool MaybeNull);

/// <summary>
/// A function of the program as BTF func_info describes it: name, linkage, and for global functions the
/// argument kinds the kernel derives from the prototype (btf_prepare_func_args) or why it cannot.
/// </summary>
internal sealed record FunctionSignature(int Insn, string Name, bool Global, GlobalArg[] Args, string? ArgsError)
{
    /// <summary>
    /// Whether the kernel logs <see cref="ArgsError"/> when it checks the main function's prototype: argument
    /// problems always; the return-type and argument-count ones only for global functions (static ones fail
    /// silently).
    /// </summary>
    public bool LogsForMain => ArgsError is { } e &&
        (e.StartsWith("arg#", StringComparison.Ordinal) || e.StartsWith("Arg#", StringComparison.Ordinal) ||
         (Global && e.StartsWith("Global function", StringComparison.Ordinal)));

    /// <summary>The context struct names the kernel accepts for a program type's ctx argument.</summary>
    private static readonly Dictionary<ProgramType, string[]> CtxTypes = new()
    {
        [ProgramType.SocketFilter] = ["__sk_buff"],
        [ProgramType.SchedCls] = ["__sk_buff"],
        [ProgramType.SchedAct] = ["__sk_buff"],
        [ProgramType.CgroupSkb] = ["__sk_buff"],
        [ProgramType.LwtIn] = ["__sk_buff"],
        [ProgramType.LwtOut] = ["__sk_buff"],
        [ProgramType.LwtXmit] = ["__sk_buff"],
        [ProgramType.SkSkb] = ["__sk_buff"],
        [ProgramType.FlowDissector] = ["__sk_buff"],
        [ProgramType.Xdp] = ["xdp_md"],
        [ProgramType.CgroupSock] = ["bpf_sock"],
        [ProgramType.CgroupSockAddr] = ["bpf_sock_addr"],
        [ProgramType.SockOps] = ["bpf_sock_ops"],
        [ProgramType.SkMsg] = ["sk_msg_md"],
        [ProgramType.PerfEvent] = ["bpf_perf_event_data"],
        [ProgramType.RawTracepoint] = ["bpf_raw_tracepoint_args"],
        [ProgramType.RawTracepointWritable] = ["bpf_raw_tracepoint_args"],
        [ProgramType.Kprobe] = ["pt_regs", "bpf_user_pt_regs_t"],
        [ProgramType.CgroupDevice] = ["bpf_cgroup_dev_ctx"],
        [ProgramType.CgroupSysctl] = ["bpf_sysctl"],
        [ProgramType.CgroupSockopt] = ["bpf_sockopt"],
        [ProgramType.SkReuseport] = ["sk_reuseport_md"],
        [ProgramType.SkLookup] = ["bpf_sk_lookup"],
    };

    public static FunctionSignature From(BtfSpec btf, int insn, uint funcId, ProgramType progType)
    {
        string name = btf.NameOf(funcId);
        bool global = btf.KindOf(funcId) == BtfKind.Func && btf.FuncLinkage(funcId) == BtfFuncLinkage.Global;
        uint proto = btf.TypeOf(funcId);
        if (btf.KindOf(proto) != BtfKind.FuncProto) return new(insn, name, global, [], "func_info does not point to a function prototype");
        var ps = btf.Params(proto);
        if (ps.Count > 5)
            return new(insn, name, global, [], $"Global function {name}() with {ps.Count} > 5 args. Buggy compiler.");
        uint ret = btf.SkipModifiers(btf.ReturnType(proto));
        if (ret == 0 || btf.KindOf(ret) is not (BtfKind.Int or BtfKind.Enum or BtfKind.Enum64))
            return new(insn, name, global, [], $"Global function {name}() doesn't return scalar. Only those are supported.");
        var args = new GlobalArg[ps.Count];
        for (int i = 0; i < ps.Count; i++)
        {
            uint t = btf.SkipQualifiers(ps[i].Type);
            var tags = ArgTags(btf, funcId, i);
            if (tags.Contains("arg:ctx") || IsProgCtxType(btf, t, progType))
            {
                args[i] = new GlobalArg(GlobalArgKind.Ctx, 0, false);
                continue;
            }
            uint resolved = btf.SkipModifiers(t);
            if (btf.KindOf(resolved) == BtfKind.Ptr)
            {
                uint pointee = btf.TypeOf(resolved);
                if (pointee == 0 || !btf.TrySizeOf(pointee, out uint size))
                {
                    string kind = pointee == 0 ? "UNKNOWN" : KindName(btf.KindOf(btf.SkipQualifiers(pointee)));
                    string pname = pointee == 0 ? "" : btf.NameOf(btf.SkipQualifiers(pointee));
                    return new(insn, name, global, [], $"arg#{i} reference type('{kind} {pname}') size cannot be determined: -22");
                }
                args[i] = new GlobalArg(GlobalArgKind.Mem, (int)size, !tags.Contains("arg:nonnull"));
                continue;
            }
            if (btf.KindOf(resolved) is BtfKind.Int or BtfKind.Enum or BtfKind.Enum64)
            {
                args[i] = new GlobalArg(GlobalArgKind.Anything, 0, false);
                continue;
            }
            return new(insn, name, global, [], $"Arg#{i} type {KindName(btf.KindOf(resolved))} in {name}() is not supported yet.");
        }
        return new(insn, name, global, args, null);
    }

    private static bool IsProgCtxType(BtfSpec btf, uint t, ProgramType progType)
    {
        if (btf.KindOf(t) != BtfKind.Ptr) return false;
        uint pointee = btf.TypeOf(t);
        if (pointee == 0 || !CtxTypes.TryGetValue(progType, out var names)) return false;
        // Follow typedefs, checking each name (bpf_user_pt_regs_t is a typedef of pt_regs).
        for (int guard = 0; guard < 16 && pointee != 0; guard++)
        {
            var kind = btf.KindOf(pointee);
            if (kind is BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.TypeTag)
            {
                pointee = btf.TypeOf(pointee);
                continue;
            }
            if (names.Contains(btf.NameOf(pointee))) return kind is BtfKind.Struct or BtfKind.Typedef;
            if (kind != BtfKind.Typedef) return false;
            pointee = btf.TypeOf(pointee);
        }
        return false;
    }

    private static HashSet<string> ArgTags(BtfSpec btf, uint funcId, int arg)
    {
        var tags = new HashSet<string>(StringComparer.Ordinal);
        for (uint id = 1; id < (uint)btf.Count; id++)
        {
            if (btf.KindOf(id) != BtfKind.DeclTag || btf.TypeOf(id) != funcId || btf.DeclTagComponent(id) != arg) continue;
            tags.Add(btf.NameOf(id));
        }
        return tags;
    }

    private static string KindName(BtfKind kind) => kind switch
    {
        BtfKind.Int => "INT",
        BtfKind.Ptr => "PTR",
        BtfKind.Array => "ARRAY",
        BtfKind.Struct => "STRUCT",
        BtfKind.Union => "UNION",
        BtfKind.Enum => "ENUM",
        BtfKind.Fwd => "FWD",
        BtfKind.Typedef => "TYPEDEF",
        BtfKind.Volatile => "VOLATILE",
        BtfKind.Const => "CONST",
        BtfKind.Restrict => "RESTRICT",
        BtfKind.Func => "FUNC",
        BtfKind.FuncProto => "FUNC_PROTO",
        BtfKind.Var => "VAR",
        BtfKind.Datasec => "DATASEC",
        BtfKind.Float => "FLOAT",
        BtfKind.DeclTag => "DECL_TAG",
        BtfKind.TypeTag => "TYPE_TAG",
        BtfKind.Enum64 => "ENUM64",
        _ => "UNKNOWN",
    };
}
