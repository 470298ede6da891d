using System.Globalization;

namespace BpfSharp.Loader;

/// <summary>
/// Text names of <see cref="ProgramType"/>, <see cref="AttachType"/> and <see cref="MapType"/> values:
/// the lower-case names libbpf uses (<c>prog_type_name</c>, <c>attach_type_name</c>, <c>map_type_name</c>),
/// which bpftool and libbpf's logs print, and the C enum names of the UAPI header.
/// </summary>
/// <remarks>
/// libbpf's names are the C enum names with the <c>BPF_PROG_TYPE_</c>, <c>BPF_</c> or <c>BPF_MAP_TYPE_</c>
/// prefix removed and lower-cased, for every value of all three enums; the C names are derived from them
/// rather than stored a second time.
/// </remarks>
public static class KernelNames
{
    private const string ProgramTypePrefix = "BPF_PROG_TYPE_";
    private const string AttachTypePrefix = "BPF_";
    private const string MapTypePrefix = "BPF_MAP_TYPE_";

    // Index = enum value.
    private static readonly string[] ProgramTypeNames =
    [
        "unspec", "socket_filter", "kprobe", "sched_cls", "sched_act", "tracepoint", "xdp", "perf_event",
        "cgroup_skb", "cgroup_sock", "lwt_in", "lwt_out", "lwt_xmit", "sock_ops", "sk_skb", "cgroup_device",
        "sk_msg", "raw_tracepoint", "cgroup_sock_addr", "lwt_seg6local", "lirc_mode2", "sk_reuseport", "flow_dissector", "cgroup_sysctl",
        "raw_tracepoint_writable", "cgroup_sockopt", "tracing", "struct_ops", "ext", "lsm", "sk_lookup", "syscall",
        "netfilter",
    ];

    // Index = enum value.
    private static readonly string[] AttachTypeNames =
    [
        /*  0 */ "cgroup_inet_ingress", "cgroup_inet_egress", "cgroup_inet_sock_create", "cgroup_sock_ops",
        /*  4 */ "sk_skb_stream_parser", "sk_skb_stream_verdict", "cgroup_device", "sk_msg_verdict",
        /*  8 */ "cgroup_inet4_bind", "cgroup_inet6_bind", "cgroup_inet4_connect", "cgroup_inet6_connect",
        /* 12 */ "cgroup_inet4_post_bind", "cgroup_inet6_post_bind", "cgroup_udp4_sendmsg", "cgroup_udp6_sendmsg",
        /* 16 */ "lirc_mode2", "flow_dissector", "cgroup_sysctl", "cgroup_udp4_recvmsg",
        /* 20 */ "cgroup_udp6_recvmsg", "cgroup_getsockopt", "cgroup_setsockopt", "trace_raw_tp",
        /* 24 */ "trace_fentry", "trace_fexit", "modify_return", "lsm_mac",
        /* 28 */ "trace_iter", "cgroup_inet4_getpeername", "cgroup_inet6_getpeername", "cgroup_inet4_getsockname",
        /* 32 */ "cgroup_inet6_getsockname", "xdp_devmap", "cgroup_inet_sock_release", "xdp_cpumap",
        /* 36 */ "sk_lookup", "xdp", "sk_skb_verdict", "sk_reuseport_select",
        /* 40 */ "sk_reuseport_select_or_migrate", "perf_event", "trace_kprobe_multi", "lsm_cgroup",
        /* 44 */ "struct_ops", "netfilter", "tcx_ingress", "tcx_egress",
        /* 48 */ "trace_uprobe_multi", "cgroup_unix_connect", "cgroup_unix_sendmsg", "cgroup_unix_recvmsg",
        /* 52 */ "cgroup_unix_getpeername", "cgroup_unix_getsockname", "netkit_primary", "netkit_peer",
        /* 56 */ "trace_kprobe_session", "trace_uprobe_session",
    ];

    // Index = enum value.
    private static readonly string[] MapTypeNames =
    [
        "unspec", "hash", "array", "prog_array", "perf_event_array", "percpu_hash", "percpu_array", "stack_trace",
        "cgroup_array", "lru_hash", "lru_percpu_hash", "lpm_trie", "array_of_maps", "hash_of_maps", "devmap", "sockmap",
        "cpumap", "xskmap", "sockhash", "cgroup_storage", "reuseport_sockarray", "percpu_cgroup_storage", "queue", "stack",
        "sk_storage", "devmap_hash", "struct_ops", "ringbuf", "inode_storage", "task_storage", "bloom_filter", "user_ringbuf",
        "cgrp_storage", "arena",
    ];

    // The UAPI header also spells two map types with a _DEPRECATED suffix (same numbers); accept those on input.
    private static readonly (string Name, uint Value)[] MapTypeAliases =
    [
        ("BPF_MAP_TYPE_CGROUP_STORAGE_DEPRECATED", (uint)MapType.CgroupStorage),
        ("BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE_DEPRECATED", (uint)MapType.PercpuCgroupStorage),
    ];

    private static readonly Dictionary<string, uint> ProgramTypesByName = BuildLookup(ProgramTypeNames, ProgramTypePrefix, []);
    private static readonly Dictionary<string, uint> AttachTypesByName = BuildLookup(AttachTypeNames, AttachTypePrefix, []);
    private static readonly Dictionary<string, uint> MapTypesByName = BuildLookup(MapTypeNames, MapTypePrefix, MapTypeAliases);

    /// <summary>libbpf's name for <paramref name="type"/> (e.g. <c>sched_cls</c>), or <c>unknown(N)</c> for a value outside the table.</summary>
    public static string Of(ProgramType type) => NameAt(ProgramTypeNames, (uint)type);

    /// <summary>libbpf's name for <paramref name="type"/> (e.g. <c>trace_fentry</c>), or <c>unknown(N)</c> for a value outside the table.</summary>
    public static string Of(AttachType type) => NameAt(AttachTypeNames, (uint)type);

    /// <summary>libbpf's name for <paramref name="type"/> (e.g. <c>lru_percpu_hash</c>), or <c>unknown(N)</c> for a value outside the table.</summary>
    public static string Of(MapType type) => NameAt(MapTypeNames, (uint)type);

    /// <summary>The C enum name of <paramref name="type"/> (e.g. <c>BPF_PROG_TYPE_XDP</c>), or null for a value outside the table.</summary>
    public static string? CNameOf(ProgramType type) => CNameAt(ProgramTypeNames, ProgramTypePrefix, (uint)type);

    /// <summary>The C enum name of <paramref name="type"/> (e.g. <c>BPF_CGROUP_INET_INGRESS</c>), or null for a value outside the table.</summary>
    public static string? CNameOf(AttachType type) => CNameAt(AttachTypeNames, AttachTypePrefix, (uint)type);

    /// <summary>The C enum name of <paramref name="type"/> (e.g. <c>BPF_MAP_TYPE_HASH</c>), or null for a value outside the table.</summary>
    public static string? CNameOf(MapType type) => CNameAt(MapTypeNames, MapTypePrefix, (uint)type);

    /// <summary>
    /// Parses a program type from libbpf's name (<c>xdp</c>), the C enum name (<c>BPF_PROG_TYPE_XDP</c>), both
    /// case-insensitive, or a decimal number. A number is accepted even when it is beyond this table, so a type
    /// added by a newer kernel can still be passed through.
    /// </summary>
    public static bool TryParse(string? text, out ProgramType type)
    {
        bool ok = TryParseValue(text, ProgramTypesByName, out uint value);
        type = (ProgramType)value;
        return ok;
    }

    /// <summary>
    /// Parses an attach type from libbpf's name (<c>cgroup_inet_ingress</c>), the C enum name
    /// (<c>BPF_CGROUP_INET_INGRESS</c>, <c>BPF_XDP</c>), both case-insensitive, or a decimal number
    /// (accepted even when beyond this table).
    /// </summary>
    public static bool TryParse(string? text, out AttachType type)
    {
        bool ok = TryParseValue(text, AttachTypesByName, out uint value);
        type = (AttachType)value;
        return ok;
    }

    /// <summary>
    /// Parses a map type from libbpf's name (<c>hash</c>), the C enum name (<c>BPF_MAP_TYPE_HASH</c>, including the
    /// header's <c>_DEPRECATED</c> aliases), both case-insensitive, or a decimal number (accepted even when beyond this table).
    /// </summary>
    public static bool TryParse(string? text, out MapType type)
    {
        bool ok = TryParseValue(text, MapTypesByName, out uint value);
        type = (MapType)value;
        return ok;
    }

    private static string NameAt(string[] names, uint value) =>
        value < (uint)names.Length ? names[value] : string.Create(CultureInfo.InvariantCulture, $"unknown({value})");

    private static string? CNameAt(string[] names, string prefix, uint value) =>
        value < (uint)names.Length ? prefix + names[value].ToUpperInvariant() : null;

    private static bool TryParseValue(string? text, Dictionary<string, uint> byName, out uint value)
    {
        value = 0;
        if (string.IsNullOrEmpty(text)) return false;
        if (byName.TryGetValue(text, out value)) return true;
        // Digits only: no sign, no whitespace, no hex, so "  6" or "+6" are not silently accepted.
        return uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static Dictionary<string, uint> BuildLookup(string[] names, string prefix, (string Name, uint Value)[] aliases)
    {
        var lookup = new Dictionary<string, uint>(names.Length * 2 + aliases.Length, StringComparer.OrdinalIgnoreCase);
        for (uint i = 0; i < names.Length; i++)
        {
            lookup.Add(names[i], i);
            lookup.Add(prefix + names[i].ToUpperInvariant(), i);
        }
        foreach (var (name, value) in aliases) lookup.Add(name, value);
        return lookup;
    }
}
