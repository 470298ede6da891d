using BpfSharp.Isa;
using BpfSharp.Loader;
using BpfSharp.Verifier;
using AK = BpfSharp.Verifier.ArgumentKind;
using F = BpfSharp.Verifier.HelperTypeFlags;

namespace BpfSharp.Tests.Verifier;

/// <summary>The prototypes of the helpers the corpus calls, checked against the kernel's definitions.</summary>
public class HelperPrototypeTests
{
    private static HelperPrototype P(string name)
    {
        Assert.True(HelperFunctions.TryGetId(name, out int id), name);
        return HelperPrototypes.Get(id) ?? throw new Xunit.Sdk.XunitException($"no prototype for {name}");
    }

    private static void Args(HelperPrototype p, params (AK Kind, F Flags)[] expected)
    {
        Assert.Equal(expected.Length, p.ArgumentCount);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Kind, p.Arguments[i].Kind);
            Assert.Equal(expected[i].Flags, p.Arguments[i].Flags);
        }
    }

    [Fact]
    public void Every_helper_id_from_1_to_211_has_a_prototype_and_id_0_none()
    {
        Assert.Null(HelperPrototypes.Get(0));
        Assert.Null(HelperPrototypes.Get(212));
        for (int id = 1; id <= HelperPrototypes.MaxId; id++)
        {
            var p = HelperPrototypes.Get(id);
            Assert.NotNull(p);
            Assert.Equal(id, p.Id);
            Assert.Equal(5, p.Arguments.Count);
            Assert.Equal(HelperFunctions.NameOf(id), p.Name);
        }
        Assert.Equal(HelperPrototypes.All.Count, HelperPrototypes.All.Select(p => p.KernelName).Distinct().Count());
    }

    [Fact]
    public void Map_helpers()
    {
        var lookup = P("map_lookup_elem");
        Assert.Equal(new HelperReturn(ReturnKind.PtrToMapValue, F.MaybeNull), lookup.Return);
        Args(lookup, (AK.ConstMapPtr, 0), (AK.PtrToMapKey, 0));
        Assert.True(lookup.PacketAccess);
        Assert.False(lookup.GplOnly);
        Args(P("map_update_elem"), (AK.ConstMapPtr, 0), (AK.PtrToMapKey, 0), (AK.PtrToMapValue, 0), (AK.Anything, 0));
        Args(P("map_delete_elem"), (AK.ConstMapPtr, 0), (AK.PtrToMapKey, 0));
        Assert.Equal(ReturnKind.Integer, P("map_delete_elem").Return.Kind);
        Args(P("map_pop_elem"), (AK.ConstMapPtr, 0), (AK.PtrToMapValue, F.Uninit | F.Write));
    }

    [Fact]
    public void Helpers_without_arguments()
    {
        foreach (var name in new[] { "ktime_get_ns", "get_prandom_u32", "get_smp_processor_id", "get_current_pid_tgid", "get_current_uid_gid", "get_numa_node_id" })
        {
            var p = P(name);
            Assert.Equal(0, p.ArgumentCount);
            Assert.Equal(HelperReturn.Integer, p.Return);
            Assert.False(p.GplOnly, name);
        }
        Assert.True(P("get_smp_processor_id").AllowFastcall);
    }

    [Fact]
    public void Tracing_helpers()
    {
        var printk = P("trace_printk");
        Assert.True(printk.GplOnly);
        Args(printk, (AK.PtrToMem, F.ReadOnly), (AK.ConstSize, 0));
        Args(P("get_current_comm"), (AK.PtrToMem, F.Uninit | F.Write), (AK.ConstSize, 0));
        foreach (var name in new[] { "probe_read", "probe_read_kernel", "probe_read_user", "probe_read_str", "probe_read_kernel_str", "probe_read_user_str" })
        {
            var p = P(name);
            Assert.True(p.GplOnly, name);
            Args(p, (AK.PtrToMem, F.Uninit | F.Write), (AK.ConstSizeOrZero, 0), (AK.Anything, 0));
        }
        var stackid = P("get_stackid");
        Args(stackid, (AK.PtrToCtx, 0), (AK.ConstMapPtr, 0), (AK.Anything, 0));
        Assert.True(stackid.GplOnly);
        // perf_event programs get a variant that is not GPL-only.
        var pe = HelperPrototypes.Get(ProgramType.PerfEvent, null, stackid.Id)!;
        Assert.Equal("bpf_get_stackid_proto_pe", pe.KernelName);
        Assert.False(pe.GplOnly);
        var output = P("perf_event_output");
        Args(output, (AK.PtrToCtx, 0), (AK.ConstMapPtr, 0), (AK.Anything, 0), (AK.PtrToMem, F.ReadOnly), (AK.ConstSizeOrZero, 0));
        Assert.True(output.GplOnly);
        Assert.Equal("bpf_skb_event_output_proto", HelperPrototypes.Get(ProgramType.SchedCls, null, output.Id)!.KernelName);
        Assert.Equal("bpf_xdp_event_output_proto", HelperPrototypes.Get(ProgramType.Xdp, null, output.Id)!.KernelName);
        // The raw tracepoint bpf_get_stack writes its buffer (a 2026 fix that reached 6.18.y).
        Args(HelperPrototypes.Get(ProgramType.RawTracepoint, null, P("get_stack").Id)!,
            (AK.PtrToCtx, 0), (AK.PtrToMem, F.Uninit | F.Write), (AK.ConstSizeOrZero, 0), (AK.Anything, 0));
    }

    [Fact]
    public void Packet_helpers()
    {
        Args(P("skb_store_bytes"), (AK.PtrToCtx, 0), (AK.Anything, 0), (AK.PtrToMem, F.ReadOnly), (AK.ConstSize, 0), (AK.Anything, 0));
        Args(P("skb_load_bytes"), (AK.PtrToCtx, 0), (AK.Anything, 0), (AK.PtrToMem, F.Uninit | F.Write), (AK.ConstSize, 0));
        foreach (var name in new[] { "l3_csum_replace", "l4_csum_replace" })
            Args(P(name), (AK.PtrToCtx, 0), (AK.Anything, 0), (AK.Anything, 0), (AK.Anything, 0), (AK.Anything, 0));
        Args(P("tail_call"), (AK.PtrToCtx, 0), (AK.ConstMapPtr, 0), (AK.Anything, 0));
        Assert.Equal(HelperReturn.Void, P("tail_call").Return);
        Args(P("clone_redirect"), (AK.PtrToCtx, 0), (AK.Anything, 0), (AK.Anything, 0));
        Args(P("redirect"), (AK.Anything, 0), (AK.Anything, 0));
        Args(P("redirect_map"), (AK.ConstMapPtr, 0), (AK.Anything, 0), (AK.Anything, 0));
        foreach (var name in new[] { "xdp_adjust_head", "xdp_adjust_tail", "xdp_adjust_meta" })
            Args(P(name), (AK.PtrToCtx, 0), (AK.Anything, 0));
        Args(P("skb_change_head"), (AK.PtrToCtx, 0), (AK.Anything, 0), (AK.Anything, 0));
        var csum = P("csum_diff");
        Args(csum, (AK.PtrToMem, F.MaybeNull | F.ReadOnly), (AK.ConstSizeOrZero, 0), (AK.PtrToMem, F.MaybeNull | F.ReadOnly), (AK.ConstSizeOrZero, 0), (AK.Anything, 0));
        Assert.True(csum.PacketAccess);
        Args(P("skb_vlan_push"), (AK.PtrToCtx, 0), (AK.Anything, 0), (AK.Anything, 0));
        Args(P("skb_vlan_pop"), (AK.PtrToCtx, 0));
        var fib = HelperPrototypes.Get(ProgramType.Xdp, null, P("fib_lookup").Id)!;
        Assert.Equal("bpf_xdp_fib_lookup_proto", fib.KernelName);
        Args(fib, (AK.PtrToCtx, 0), (AK.PtrToMem, F.Write), (AK.ConstSize, 0), (AK.Anything, 0));
        Assert.True(fib.GplOnly);
    }

    [Fact]
    public void Socket_helpers()
    {
        Args(P("get_socket_cookie"), (AK.PtrToCtx, 0));
        Assert.Equal("bpf_get_socket_cookie_sock_ops_proto", HelperPrototypes.Get(ProgramType.SockOps, null, P("get_socket_cookie").Id)!.KernelName);
        var ptrCookie = HelperPrototypes.Get(ProgramType.Tracing, AttachType.TraceRawTp, P("get_socket_cookie").Id)!;
        Args(ptrCookie, (AK.PtrToBtfIdSockCommon, F.MaybeNull));
        Args(P("sock_map_update"), (AK.PtrToCtx, 0), (AK.ConstMapPtr, 0), (AK.PtrToMapKey, 0), (AK.Anything, 0));
        var setsockopt = HelperPrototypes.Get(ProgramType.SockOps, null, P("setsockopt").Id)!;
        Args(setsockopt, (AK.PtrToCtx, 0), (AK.Anything, 0), (AK.Anything, 0), (AK.PtrToMem, F.ReadOnly), (AK.ConstSize, 0));
        var getsockopt = HelperPrototypes.Get(ProgramType.CgroupSockAddr, AttachType.CgroupInet4Connect, P("getsockopt").Id)!;
        Assert.Equal("bpf_sock_addr_getsockopt_proto", getsockopt.KernelName);
        Args(getsockopt, (AK.PtrToCtx, 0), (AK.Anything, 0), (AK.Anything, 0), (AK.PtrToMem, F.Uninit | F.Write), (AK.ConstSize, 0));
        Args(P("sock_ops_cb_flags_set"), (AK.PtrToCtx, 0), (AK.Anything, 0));
        var lookup = P("sk_lookup_tcp");
        Assert.Equal(new HelperReturn(ReturnKind.PtrToSocket, F.MaybeNull), lookup.Return);
        Args(lookup, (AK.PtrToCtx, 0), (AK.PtrToMem, F.ReadOnly), (AK.ConstSizeOrZero, 0), (AK.Anything, 0), (AK.Anything, 0));
        Assert.True(lookup.PacketAccess);
        Args(P("sk_release"), (AK.PtrToBtfIdSockCommon, F.Release));
        Assert.Equal(new HelperReturn(ReturnKind.PtrToTcpSock, F.MaybeNull), P("tcp_sock").Return);
        Assert.Equal(new HelperReturn(ReturnKind.PtrToBtfId, F.MaybeNull, "tcp_sock"), P("skc_to_tcp_sock").Return);
    }

    [Fact]
    public void Ring_buffer_helpers()
    {
        Args(P("ringbuf_output"), (AK.ConstMapPtr, 0), (AK.PtrToMem, F.ReadOnly), (AK.ConstSizeOrZero, 0), (AK.Anything, 0));
        var reserve = P("ringbuf_reserve");
        Assert.Equal(new HelperReturn(ReturnKind.PtrToMem, F.MaybeNull | F.Ringbuf), reserve.Return);
        Args(reserve, (AK.ConstMapPtr, 0), (AK.ConstAllocSizeOrZero, 0), (AK.Anything, 0));
        Args(P("ringbuf_submit"), (AK.PtrToRingbufMem, F.Release), (AK.Anything, 0));
        Assert.Equal(HelperReturn.Void, P("ringbuf_submit").Return);
    }

    [Fact]
    public void Btf_typed_arguments_and_returns_name_their_types()
    {
        Assert.Equal(new HelperReturn(ReturnKind.PtrToBtfId, F.Trusted, "task_struct"), P("get_current_task_btf").Return);
        Assert.Equal("seq_file", P("seq_printf").Argument(1).BtfType);
        Assert.Equal("path", P("d_path").Argument(1).BtfType);
        Assert.True(P("d_path").HasAllowedCheck);
        Assert.True(P("d_path").Argument(2).IsWrite);
        Assert.Equal(HelperArgument.DynamicBtfType, P("kptr_xchg").Return.BtfType);
        Assert.Equal(AK.PtrToFunc, P("loop").Argument(2).Kind);
        Assert.Equal(AK.PtrToTimer, P("timer_init").Argument(1).Kind);
        Assert.Equal(AK.PtrToSpinLock, P("spin_lock").Argument(1).Kind);
        Assert.Equal(AK.PtrToConstStr, P("snprintf").Argument(3).Kind);
        Assert.Equal(AK.PtrToDynptr, P("dynptr_read").Argument(3).Kind);
        var strtol = P("strtol").Argument(4);
        Assert.True(strtol.IsFixedSize);
        Assert.Equal(8, strtol.Size);
        Assert.True(P("copy_from_user").MightSleep);
        Assert.True(P("ima_inode_hash").MightSleep);
    }

    [Fact]
    public void Kernel_values_match_the_kernels_enums()
    {
        // ARG_PTR_TO_UNINIT_MEM = ARG_PTR_TO_MEM | MEM_UNINIT | MEM_WRITE, RET_PTR_TO_RINGBUF_MEM_OR_NULL, from Linux 6.18's BTF.
        Assert.Equal(67141636u, P("probe_read_kernel").Argument(1).KernelValue);
        Assert.Equal(1286u, P("ringbuf_reserve").Return.KernelValue);
        Assert.Equal(258u, P("map_lookup_elem").Return.KernelValue);
        Assert.Equal(262148u | (uint)F.Uninit | (uint)F.Write | (uint)F.Aligned, P("strtol").Argument(4).KernelValue);
    }

    [Fact]
    public void Attach_type_picks_the_kprobe_multi_variants()
    {
        int funcIp = P("get_func_ip").Id;
        Assert.Equal("bpf_get_func_ip_proto_kprobe", HelperPrototypes.Get(ProgramType.Kprobe, null, funcIp)!.KernelName);
        Assert.Equal("bpf_get_func_ip_proto_kprobe_multi", HelperPrototypes.Get(ProgramType.Kprobe, AttachType.TraceKprobeMulti, funcIp)!.KernelName);
        Assert.Equal("bpf_get_func_ip_proto_uprobe_multi", HelperPrototypes.Get(ProgramType.Kprobe, AttachType.TraceUprobeSession, funcIp)!.KernelName);
    }

    [Fact]
    public void Availability_follows_the_probed_table()
    {
        Assert.True(HelperPrototypes.IsAvailable(ProgramType.SocketFilter, null, 1));
        Assert.False(HelperPrototypes.IsAvailable(ProgramType.SocketFilter, null, 9)); // skb_store_bytes
        Assert.True(HelperPrototypes.IsAvailable(ProgramType.SchedCls, null, 9));
        Assert.True(HelperPrototypes.IsAvailable(ProgramType.Xdp, null, 44)); // xdp_adjust_head
        Assert.False(HelperPrototypes.IsAvailable(ProgramType.SchedCls, null, 44));
        // bind only in connect hooks of cgroup_sock_addr.
        Assert.True(HelperPrototypes.IsAvailable(ProgramType.CgroupSockAddr, AttachType.CgroupInet4Connect, 64));
        Assert.False(HelperPrototypes.IsAvailable(ProgramType.CgroupSockAddr, AttachType.CgroupInet4Bind, 64));
        // get_retval is not for the cgroup hooks whose return value is fixed.
        Assert.True(HelperPrototypes.IsAvailable(ProgramType.CgroupSockAddr, AttachType.CgroupInet4Bind, 186));
        Assert.False(HelperPrototypes.IsAvailable(ProgramType.CgroupSockAddr, AttachType.CgroupUdp4Recvmsg, 186));
        Assert.Equal(HelperAvailability.SleepableOnly, HelperPrototypes.Availability(ProgramType.Kprobe, null, 148)); // copy_from_user
        Assert.Equal(HelperAvailability.Available, HelperPrototypes.Availability(ProgramType.Syscall, null, 148));
        Assert.False(HelperPrototypes.IsAvailable(ProgramType.Kprobe, null, 58)); // override_return: not configured there
        Assert.False(HelperPrototypes.IsAvailable(ProgramType.Kprobe, null, 36)); // probe_write_user: lockdown
        Assert.False(HelperPrototypes.IsAvailable(ProgramType.SocketFilter, null, 0));
        Assert.False(HelperPrototypes.IsAvailable(ProgramType.SocketFilter, null, 212));
        Assert.False(HelperPrototypes.IsAvailable(ProgramType.StructOps, null, 1));
    }
}
