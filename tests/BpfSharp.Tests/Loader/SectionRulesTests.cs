using BpfSharp.Loader;
using FsCheck;
using FsCheck.Fluent;

namespace BpfSharp.Tests.Loader;

/// <summary>SectionRules resolves ELF section names the way libbpf 1.x does, falling back to 0.x / bpf_load.c prefixes.</summary>
public class SectionRulesTests
{
    private const uint NoAttach = uint.MaxValue; // InlineData cannot carry a nullable enum

    // Program sections of the objects in /work/shared/corpus (llvm-objdump -h), with what libbpf infers for them.
    [Theory]
    [InlineData("socket1", ProgramType.SocketFilter, NoAttach, true)]
    [InlineData("socket2", ProgramType.SocketFilter, NoAttach, true)]
    [InlineData("socket/0", ProgramType.SocketFilter, NoAttach, true)]
    [InlineData("socket/1", ProgramType.SocketFilter, NoAttach, true)]
    [InlineData("socket/2", ProgramType.SocketFilter, NoAttach, true)]
    [InlineData("socket/3", ProgramType.SocketFilter, NoAttach, true)]
    [InlineData("socket/4", ProgramType.SocketFilter, NoAttach, true)]
    [InlineData("socket_filter", ProgramType.SocketFilter, NoAttach, true)]
    [InlineData("xdp", ProgramType.Xdp, (uint)AttachType.Xdp, false)]
    [InlineData("xdp1", ProgramType.Xdp, (uint)AttachType.Xdp, true)]
    [InlineData("xdp_redirect_dummy", ProgramType.Xdp, (uint)AttachType.Xdp, true)]
    [InlineData("xdp_prog/0", ProgramType.Xdp, (uint)AttachType.Xdp, true)]
    [InlineData("xdp_prog", ProgramType.Xdp, (uint)AttachType.Xdp, true)]
    [InlineData("xdp_prog0", ProgramType.Xdp, (uint)AttachType.Xdp, true)]
    [InlineData("xdp_mark", ProgramType.Xdp, (uint)AttachType.Xdp, true)]
    [InlineData("xdp_sock", ProgramType.Xdp, (uint)AttachType.Xdp, true)]
    [InlineData("xdp_cpu_map0", ProgramType.Xdp, (uint)AttachType.Xdp, true)]
    [InlineData("xdp_redirect_map", ProgramType.Xdp, (uint)AttachType.Xdp, true)]
    [InlineData("xdp_tx_iptunnel", ProgramType.Xdp, (uint)AttachType.Xdp, true)]
    [InlineData("tc", ProgramType.SchedCls, NoAttach, false)]
    [InlineData("tc_mark", ProgramType.SchedCls, NoAttach, true)]
    [InlineData("tc_vlan_push", ProgramType.SchedCls, NoAttach, true)]
    [InlineData("classifier", ProgramType.SchedCls, NoAttach, false)]
    [InlineData("kprobe/sys_write", ProgramType.Kprobe, NoAttach, false)]
    [InlineData("kprobe/0", ProgramType.Kprobe, NoAttach, false)]
    [InlineData("kprobe/__x64_sys_write", ProgramType.Kprobe, NoAttach, false)]
    [InlineData("kretprobe/kmem_cache_alloc_node", ProgramType.Kprobe, NoAttach, false)]
    [InlineData("uretprobe/bash_readline", ProgramType.Kprobe, NoAttach, false)]
    [InlineData("tracepoint/xdp/xdp_redirect_err", ProgramType.Tracepoint, NoAttach, false)]
    [InlineData("tracepoint/kmem/mm_page_alloc", ProgramType.Tracepoint, NoAttach, false)]
    [InlineData("tracepoint/syscalls/sys_enter_open", ProgramType.Tracepoint, NoAttach, false)]
    [InlineData("raw_tracepoint/task_rename", ProgramType.RawTracepoint, NoAttach, false)]
    [InlineData("perf_event", ProgramType.PerfEvent, NoAttach, false)]
    [InlineData("cgroup/sock1", ProgramType.CgroupSock, (uint)AttachType.CgroupInetSockCreate, true)]
    [InlineData("cgroup/sock2", ProgramType.CgroupSock, (uint)AttachType.CgroupInetSockCreate, true)]
    [InlineData("cgroup/skb", ProgramType.CgroupSkb, NoAttach, false)]
    [InlineData("cgroup_skb/egress", ProgramType.CgroupSkb, (uint)AttachType.CgroupInetEgress, false)]
    [InlineData("sockops", ProgramType.SockOps, (uint)AttachType.CgroupSockOps, false)]
    [InlineData("fentry/tcp_connect", ProgramType.Tracing, (uint)AttachType.TraceFentry, false)]
    [InlineData("fentry/tcp_close", ProgramType.Tracing, (uint)AttachType.TraceFentry, false)]
    public void Corpus_section_names_resolve_like_libbpf(string name, ProgramType type, uint attach, bool legacy)
    {
        var match = SectionRules.Resolve(name);
        Assert.True(match.IsKnown);
        Assert.Equal(type, match.Type);
        Assert.Equal(attach == NoAttach ? null : (AttachType)attach, match.ExpectedAttachType);
        Assert.Equal(legacy, match.IsLegacy);
    }

    // Names no rule claims: subprograms, data, and names iproute2 or custom loaders take from their command line.
    [Theory]
    [InlineData(".text")]
    [InlineData("test")]
    [InlineData("test_md")]
    [InlineData("filter")]
    [InlineData("ingress")]
    [InlineData("egress")]
    [InlineData("tail-0")]
    [InlineData("tail-32")]
    [InlineData("len_hist")]
    [InlineData("from-netdev")]
    [InlineData("2/7")]
    [InlineData("license")]
    [InlineData("version")]
    [InlineData("maps")]
    [InlineData("maps/inner_map")]
    [InlineData(".maps")]
    [InlineData(".rodata")]
    [InlineData("af_xdp")]
    [InlineData("loadbalancer")]
    [InlineData("drop_non_tun_vip")]
    [InlineData("downcall")]
    [InlineData("redirect_xmit")]
    [InlineData("")]
    [InlineData("kprobe2")]
    [InlineData("fentryx")]
    [InlineData("TC")]
    public void Unclaimed_names_resolve_to_unspec(string name)
    {
        var match = SectionRules.Resolve(name);
        Assert.False(match.IsKnown);
        Assert.Equal(ProgramType.Unspec, match.Type);
        Assert.Null(match.ExpectedAttachType);
        Assert.Null(match.Rule);
        Assert.Equal(default, match with { AutoloadDisabled = false });
    }

    [Theory]
    [InlineData("kprobe", "kprobe+", null)]
    [InlineData("kprobe/", "kprobe+", "")]
    [InlineData("kprobe/do_sys_open", "kprobe+", "do_sys_open")]
    [InlineData("uprobe//proc/self/exe:trigger", "uprobe+", "/proc/self/exe:trigger")]
    [InlineData("fentry/tcp_connect", "fentry+", "tcp_connect")]
    [InlineData("tracepoint/xdp/xdp_redirect_err", "tracepoint+", "xdp/xdp_redirect_err")]
    [InlineData("socket", "socket", null)]
    [InlineData("xdp_devmap/forward", "xdp_devmap/", "forward")]
    [InlineData("xdp1", "xdp", null)]
    public void The_matched_rule_and_its_extras_are_reported(string name, string rule, string? extras)
    {
        var match = SectionRules.Resolve(name);
        Assert.Equal(rule, match.Rule);
        Assert.Equal(extras, match.Extras);
    }

    [Theory]
    [InlineData("sk_reuseport/migrate", AttachType.SkReuseportSelectOrMigrate)]
    [InlineData("sk_reuseport", AttachType.SkReuseportSelect)]
    [InlineData("cgroup/sock_release", AttachType.CgroupInetSockRelease)]
    [InlineData("cgroup/sock_create", AttachType.CgroupInetSockCreate)]
    [InlineData("cgroup/sock", AttachType.CgroupInetSockCreate)]
    [InlineData("cgroup_skb/ingress", AttachType.CgroupInetIngress)]
    [InlineData("tc/ingress", AttachType.TcxIngress)]
    [InlineData("tcx/egress", AttachType.TcxEgress)]
    [InlineData("netkit/peer", AttachType.NetkitPeer)]
    [InlineData("xdp/devmap", AttachType.XdpDevmap)]
    [InlineData("xdp.frags/cpumap", AttachType.XdpCpumap)]
    [InlineData("kprobe.multi/tcp_*", AttachType.TraceKprobeMulti)]
    [InlineData("kprobe.session/do_unlinkat", AttachType.TraceKprobeSession)]
    [InlineData("uprobe.session//bin/bash:readline", AttachType.TraceUprobeSession)]
    [InlineData("lsm_cgroup/socket_bind", AttachType.LsmCgroup)]
    [InlineData("iter/task", AttachType.TraceIter)]
    [InlineData("cgroup/connect_unix", AttachType.CgroupUnixConnect)]
    [InlineData("sk_skb/verdict", AttachType.SkSkbVerdict)]
    [InlineData("netfilter", AttachType.Netfilter)]
    public void Strict_rules_give_libbpfs_expected_attach_type(string name, AttachType attach)
    {
        var match = SectionRules.Resolve(name);
        Assert.False(match.IsLegacy);
        Assert.Equal(attach, match.ExpectedAttachType);
    }

    [Fact]
    public void Attach_type_zero_is_distinct_from_unset()
    {
        Assert.Equal(AttachType.CgroupInetIngress, SectionRules.Resolve("cgroup_skb/ingress").ExpectedAttachType);
        Assert.Null(SectionRules.Resolve("cgroup/skb").ExpectedAttachType);
    }

    [Fact]
    public void Flags_mark_sleepable_and_btf_targeted_programs()
    {
        var lsm = SectionRules.Resolve("lsm.s/file_open");
        Assert.True(lsm.IsSleepable);
        Assert.True(lsm.NeedsAttachTarget);
        Assert.Equal(ProgramType.Lsm, lsm.Type);

        var fentry = SectionRules.Resolve("fentry/tcp_connect");
        Assert.False(fentry.IsSleepable);
        Assert.True(fentry.NeedsAttachTarget);

        Assert.True(SectionRules.Resolve("syscall").IsSleepable);
        Assert.True(SectionRules.Resolve("freplace/handler").NeedsAttachTarget);
        Assert.Equal(SectionFlags.XdpFrags, SectionRules.Resolve("xdp.frags").Flags);
        Assert.True(SectionRules.Resolve("usdt.s/libc.so.6:libc:setjmp").Flags.HasFlag(SectionFlags.Usdt));
        Assert.False(SectionRules.Resolve("kprobe/do_sys_open").NeedsAttachTarget);
    }

    [Fact]
    public void Question_mark_prefix_disables_autoload_but_matches_the_rest()
    {
        var match = SectionRules.Resolve("?tc");
        Assert.True(match.AutoloadDisabled);
        Assert.Equal(ProgramType.SchedCls, match.Type);
        Assert.Equal("tc", match.Rule);
        Assert.False(SectionRules.Resolve("tc").AutoloadDisabled);
    }

    [Theory]
    [InlineData("cgroup/sock_create2", "cgroup/sock_create")]
    [InlineData("sk_skb/stream_parser2", "sk_skb/stream_parser")]
    [InlineData("sk_reuseport/migrate2", "sk_reuseport/migrate")]
    [InlineData("sockops_tcp", "sockops")]
    [InlineData("lwt_xmit_encap", "lwt_xmit")]
    public void Legacy_prefixes_are_tried_in_libbpf_0x_order(string name, string rule)
    {
        var match = SectionRules.Resolve(name);
        Assert.True(match.IsLegacy);
        Assert.Equal(rule, match.Rule);
    }

    [Fact]
    public void Table_holds_libbpf_1x_and_legacy_rule_counts()
    {
        Assert.Equal(103, SectionRules.Definitions.Count(d => !d.IsLegacy));
        Assert.Equal(46, SectionRules.Definitions.Count(d => d.IsLegacy));
    }

    [Fact]
    public void Strict_rules_precede_legacy_rules()
    {
        int firstLegacy = SectionRules.Definitions.ToList().FindIndex(d => d.IsLegacy);
        Assert.All(SectionRules.Definitions.Skip(firstLegacy), d => Assert.True(d.IsLegacy));
    }

    [Fact]
    public void Patterns_are_unique_within_each_part()
    {
        foreach (var part in SectionRules.Definitions.GroupBy(d => d.IsLegacy))
            Assert.Equal(part.Count(), part.Select(d => d.Pattern).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void No_strict_rule_is_shadowed_by_an_earlier_one()
    {
        foreach (var rule in SectionRules.Definitions.Where(d => !d.IsLegacy))
        {
            string name = rule.Kind == SectionPatternKind.ExactOrSlashExtras ? rule.Pattern[..^1] : rule.Pattern;
            Assert.Equal(rule.Pattern, SectionRules.Resolve(name).Rule);
        }
    }

    [Fact]
    public void Every_legacy_rule_is_reachable_by_a_prefixed_name()
    {
        foreach (var rule in SectionRules.Definitions.Where(d => d.IsLegacy))
        {
            var match = SectionRules.Resolve(rule.Pattern + "1");
            Assert.True(match.IsLegacy, rule.Pattern);
            Assert.Equal(rule.Pattern, match.Rule);
            Assert.Equal(rule.Type, match.Type);
        }
    }

    [Fact]
    public void Definitions_cannot_be_modified() =>
        Assert.True(((ICollection<SectionDefinition>)SectionRules.Definitions).IsReadOnly);

    [Fact]
    public void Null_name_is_rejected() => Assert.Throws<ArgumentNullException>(() => SectionRules.Resolve(null!));

    [Fact]
    public void Resolution_is_total_and_consistent() =>
        Prop.ForAll<NonNull<string>>(s =>
        {
            var match = SectionRules.Resolve(s.Get);
            string name = match.AutoloadDisabled ? s.Get[1..] : s.Get;
            return match.IsKnown
                ? SectionRules.Definitions.First(d => d.Matches(name)).Pattern == match.Rule
                : match.Type == ProgramType.Unspec && SectionRules.Definitions.All(d => !d.Matches(name));
        }).QuickCheckThrowOnFailure();
}
