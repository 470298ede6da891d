using BpfSharp.Loader;
using FsCheck;
using FsCheck.Fluent;

namespace BpfSharp.Tests.Loader;

/// <summary>KernelNames gives libbpf's names and parses libbpf names, C enum names and numbers.</summary>
public class KernelNamesTests
{
    [Theory]
    [InlineData(ProgramType.Unspec, "unspec")]
    [InlineData(ProgramType.SocketFilter, "socket_filter")]
    [InlineData(ProgramType.Kprobe, "kprobe")]
    [InlineData(ProgramType.SchedCls, "sched_cls")]
    [InlineData(ProgramType.Xdp, "xdp")]
    [InlineData(ProgramType.SockOps, "sock_ops")]
    [InlineData(ProgramType.RawTracepoint, "raw_tracepoint")]
    [InlineData(ProgramType.CgroupSockAddr, "cgroup_sock_addr")]
    [InlineData(ProgramType.RawTracepointWritable, "raw_tracepoint_writable")]
    [InlineData(ProgramType.Netfilter, "netfilter")]
    public void Program_type_names_are_libbpfs(ProgramType type, string name) => Assert.Equal(name, KernelNames.Of(type));

    [Theory]
    [InlineData(AttachType.CgroupInetIngress, "cgroup_inet_ingress")]
    [InlineData(AttachType.CgroupSockOps, "cgroup_sock_ops")]
    [InlineData(AttachType.TraceFentry, "trace_fentry")]
    [InlineData(AttachType.ModifyReturn, "modify_return")]
    [InlineData(AttachType.Xdp, "xdp")]
    [InlineData(AttachType.SkReuseportSelectOrMigrate, "sk_reuseport_select_or_migrate")]
    [InlineData(AttachType.TraceUprobeSession, "trace_uprobe_session")]
    public void Attach_type_names_are_libbpfs(AttachType type, string name) => Assert.Equal(name, KernelNames.Of(type));

    [Theory]
    [InlineData(MapType.Hash, "hash")]
    [InlineData(MapType.Array, "array")]
    [InlineData(MapType.ProgArray, "prog_array")]
    [InlineData(MapType.PerfEventArray, "perf_event_array")]
    [InlineData(MapType.LruPercpuHash, "lru_percpu_hash")]
    [InlineData(MapType.ArrayOfMaps, "array_of_maps")]
    [InlineData(MapType.Ringbuf, "ringbuf")]
    [InlineData(MapType.CgrpStorage, "cgrp_storage")]
    [InlineData(MapType.Arena, "arena")]
    public void Map_type_names_are_libbpfs(MapType type, string name) => Assert.Equal(name, KernelNames.Of(type));

    [Fact]
    public void Values_outside_the_tables_are_named_unknown()
    {
        Assert.Equal("unknown(99)", KernelNames.Of((MapType)99));
        Assert.Equal("unknown(34)", KernelNames.Of((MapType)34));
        Assert.Equal("unknown(58)", KernelNames.Of((AttachType)58));
        Assert.Equal("unknown(4294967295)", KernelNames.Of((ProgramType)uint.MaxValue));
        Assert.Null(KernelNames.CNameOf((MapType)99));
    }

    [Fact]
    public void Of_never_throws_and_is_never_empty() =>
        Prop.ForAll<uint>(v =>
            KernelNames.Of((ProgramType)v).Length > 0
            && KernelNames.Of((AttachType)v).Length > 0
            && KernelNames.Of((MapType)v).Length > 0).QuickCheckThrowOnFailure();

    [Fact]
    public void Every_program_type_has_a_distinct_known_name() => AssertDistinctKnownNames(Enum.GetValues<ProgramType>().Select(KernelNames.Of));

    [Fact]
    public void Every_attach_type_has_a_distinct_known_name() => AssertDistinctKnownNames(Enum.GetValues<AttachType>().Select(KernelNames.Of));

    [Fact]
    public void Every_map_type_has_a_distinct_known_name() => AssertDistinctKnownNames(Enum.GetValues<MapType>().Select(KernelNames.Of));

    [Fact]
    public void Program_types_round_trip_through_every_spelling()
    {
        foreach (var type in Enum.GetValues<ProgramType>())
        {
            foreach (var text in Spellings(KernelNames.Of(type), KernelNames.CNameOf(type), (uint)type))
            {
                Assert.True(KernelNames.TryParse(text, out ProgramType parsed), text);
                Assert.Equal(type, parsed);
            }
        }
    }

    [Fact]
    public void Attach_types_round_trip_through_every_spelling()
    {
        foreach (var type in Enum.GetValues<AttachType>())
        {
            foreach (var text in Spellings(KernelNames.Of(type), KernelNames.CNameOf(type), (uint)type))
            {
                Assert.True(KernelNames.TryParse(text, out AttachType parsed), text);
                Assert.Equal(type, parsed);
            }
        }
    }

    [Fact]
    public void Map_types_round_trip_through_every_spelling()
    {
        foreach (var type in Enum.GetValues<MapType>())
        {
            foreach (var text in Spellings(KernelNames.Of(type), KernelNames.CNameOf(type), (uint)type))
            {
                Assert.True(KernelNames.TryParse(text, out MapType parsed), text);
                Assert.Equal(type, parsed);
            }
        }
    }

    [Theory]
    [InlineData("BPF_PROG_TYPE_XDP", ProgramType.Xdp)]
    [InlineData("BPF_PROG_TYPE_SOCK_OPS", ProgramType.SockOps)]
    [InlineData("bpf_prog_type_sched_cls", ProgramType.SchedCls)]
    [InlineData("Socket_Filter", ProgramType.SocketFilter)]
    [InlineData("26", ProgramType.Tracing)]
    [InlineData("40", (ProgramType)40)]
    public void Program_types_parse_from_c_names_libbpf_names_and_numbers(string text, ProgramType expected)
    {
        Assert.True(KernelNames.TryParse(text, out ProgramType parsed));
        Assert.Equal(expected, parsed);
    }

    [Theory]
    [InlineData("BPF_XDP", AttachType.Xdp)]
    [InlineData("BPF_CGROUP_INET_INGRESS", AttachType.CgroupInetIngress)]
    [InlineData("BPF_TRACE_FENTRY", AttachType.TraceFentry)]
    [InlineData("BPF_MODIFY_RETURN", AttachType.ModifyReturn)]
    [InlineData("BPF_TRACE_UPROBE_SESSION", AttachType.TraceUprobeSession)]
    [InlineData("cgroup_inet_egress", AttachType.CgroupInetEgress)]
    [InlineData("0", AttachType.CgroupInetIngress)]
    public void Attach_types_parse_from_c_names_libbpf_names_and_numbers(string text, AttachType expected)
    {
        Assert.True(KernelNames.TryParse(text, out AttachType parsed));
        Assert.Equal(expected, parsed);
    }

    [Theory]
    [InlineData("BPF_MAP_TYPE_HASH", MapType.Hash)]
    [InlineData("BPF_MAP_TYPE_LRU_PERCPU_HASH", MapType.LruPercpuHash)]
    [InlineData("BPF_MAP_TYPE_CGROUP_STORAGE_DEPRECATED", MapType.CgroupStorage)]
    [InlineData("BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE_DEPRECATED", MapType.PercpuCgroupStorage)]
    [InlineData("RINGBUF", MapType.Ringbuf)]
    [InlineData("99", (MapType)99)]
    public void Map_types_parse_from_c_names_libbpf_names_and_numbers(string text, MapType expected)
    {
        Assert.True(KernelNames.TryParse(text, out MapType parsed));
        Assert.Equal(expected, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("xdpx")]
    [InlineData("BPF_XDP")] // an attach type, not a program type
    [InlineData("BPF_PROG_TYPE_")]
    [InlineData("-1")]
    [InlineData("+6")]
    [InlineData(" 6")]
    [InlineData("0x6")]
    [InlineData("4294967296")]
    [InlineData("SchedCls")]
    public void Program_type_parsing_rejects_other_text(string? text) => Assert.False(KernelNames.TryParse(text, out ProgramType _));

    [Theory]
    [InlineData("BPF_MAP_TYPE_XDP")]
    [InlineData("hashmap")]
    [InlineData("unknown(99)")]
    public void Map_type_parsing_rejects_other_text(string text) => Assert.False(KernelNames.TryParse(text, out MapType _));

    [Fact]
    public void C_names_are_the_uapi_spellings()
    {
        Assert.Equal("BPF_PROG_TYPE_CGROUP_SOCK_ADDR", KernelNames.CNameOf(ProgramType.CgroupSockAddr));
        Assert.Equal("BPF_SK_REUSEPORT_SELECT_OR_MIGRATE", KernelNames.CNameOf(AttachType.SkReuseportSelectOrMigrate));
        Assert.Equal("BPF_MAP_TYPE_BLOOM_FILTER", KernelNames.CNameOf(MapType.BloomFilter));
    }

    [Fact]
    public void Parsing_never_throws() =>
        Prop.ForAll<string>(s =>
        {
            KernelNames.TryParse(s, out ProgramType _);
            KernelNames.TryParse(s, out AttachType _);
            KernelNames.TryParse(s, out MapType _);
            return true;
        }).QuickCheckThrowOnFailure();

    private static IEnumerable<string> Spellings(string libbpfName, string? cName, uint value)
    {
        Assert.NotNull(cName);
        yield return libbpfName;
        yield return libbpfName.ToUpperInvariant();
        yield return cName;
        yield return cName.ToLowerInvariant();
        yield return value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void AssertDistinctKnownNames(IEnumerable<string> names)
    {
        var list = names.ToList();
        Assert.All(list, n => Assert.False(n.StartsWith("unknown", StringComparison.Ordinal), n));
        Assert.Equal(list.Count, list.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }
}
