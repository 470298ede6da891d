using BpfSharp.Loader;
using BpfSharp.Verifier;

namespace BpfSharp.Tests.Verifier;

/// <summary>Facts of the context tables that the kernel sources state.</summary>
public class ContextTablesTests
{
    private static ContextAccessResult Read(ProgramType type, int off, int size, AttachType? attach = null) =>
        ContextTables.Check(type, attach, off, size, write: false);

    private static ContextAccessResult Write(ProgramType type, int off, int size, AttachType? attach = null) =>
        ContextTables.Check(type, attach, off, size, write: true);

    [Fact]
    public void Every_probed_type_has_a_layout()
    {
        foreach (var type in new[]
        {
            ProgramType.SocketFilter, ProgramType.Kprobe, ProgramType.SchedCls, ProgramType.SchedAct, ProgramType.Tracepoint, ProgramType.Xdp,
            ProgramType.PerfEvent, ProgramType.CgroupSkb, ProgramType.CgroupSock, ProgramType.LwtIn, ProgramType.LwtOut, ProgramType.LwtXmit,
            ProgramType.SockOps, ProgramType.SkSkb, ProgramType.CgroupDevice, ProgramType.SkMsg, ProgramType.RawTracepoint,
            ProgramType.CgroupSockAddr, ProgramType.LwtSeg6local, ProgramType.SkReuseport, ProgramType.FlowDissector,
            ProgramType.CgroupSysctl, ProgramType.CgroupSockopt, ProgramType.Tracing, ProgramType.Syscall,
            ProgramType.RawTracepointWritable, ProgramType.SkLookup, ProgramType.Netfilter,
        })
            Assert.NotNull(ContextTables.Layout(type, null));
        Assert.Null(ContextTables.Layout(ProgramType.StructOps, null));
        foreach (var layout in ContextTables.Layouts)
        {
            for (int i = 1; i < layout.Fields.Count; i++) Assert.True(layout.Fields[i - 1].End <= layout.Fields[i].Offset, $"{layout.Type}: fields overlap");
            Assert.All(layout.Fields, f => Assert.True(f.End <= layout.Size || layout.Type == ProgramType.Tracepoint, $"{layout.Type} {f.Name}"));
        }
    }

    [Fact]
    public void Writable_raw_tracepoint_args0_is_the_buffer_only_as_a_whole()
    {
        // raw_tp_writable_prog_is_valid_access: offset 0 takes an 8-byte read only (the buffer pointer); the rest of
        // args[] follows the raw tracepoint's rule (aligned reads of any size), so narrow reads past 0 are scalars.
        var buffer = Read(ProgramType.RawTracepointWritable, 0, 8);
        Assert.True(buffer.Allowed);
        Assert.Equal(ContextValueKind.TracepointBuffer, buffer.Value);
        Assert.False(Read(ProgramType.RawTracepointWritable, 0, 4).Allowed);
        Assert.False(Read(ProgramType.RawTracepointWritable, 0, 1).Allowed);
        var tail = Read(ProgramType.RawTracepointWritable, 4, 4);
        Assert.True(tail.Allowed);
        Assert.Equal(ContextValueKind.Scalar, tail.Value);
        Assert.Equal(ContextValueKind.Scalar, Read(ProgramType.RawTracepointWritable, 7, 1).Value);
        Assert.Equal(ContextValueKind.Scalar, Read(ProgramType.RawTracepointWritable, 8, 8).Value);
        Assert.False(Write(ProgramType.RawTracepointWritable, 0, 8).Allowed);
    }

    [Fact]
    public void Sk_lookup_sk_is_a_socket_or_null_and_addresses_take_narrow_loads()
    {
        var sk = Read(ProgramType.SkLookup, 0, 8, AttachType.SkLookup);
        Assert.Equal(ContextValueKind.SocketOrNull, sk.Value);
        Assert.False(Read(ProgramType.SkLookup, 0, 4, AttachType.SkLookup).Allowed);
        Assert.True(Read(ProgramType.SkLookup, 8, 4, AttachType.SkLookup).Allowed); // family
        Assert.True(Read(ProgramType.SkLookup, 45, 1, AttachType.SkLookup).Allowed); // local_ip6 byte
        Assert.False(Write(ProgramType.SkLookup, 8, 4, AttachType.SkLookup).Allowed);
    }

    [Fact]
    public void Sk_buff_packet_pointers_for_direct_packet_access_types()
    {
        // __sk_buff: data at 76, data_end at 80, data_meta at 140.
        var data = Read(ProgramType.SchedCls, 76, 4);
        Assert.True(data.Allowed);
        Assert.Equal(ContextValueKind.PacketStart, data.Value);
        Assert.Equal(ContextValueKind.PacketEnd, Read(ProgramType.SchedCls, 80, 4).Value);
        Assert.Equal(ContextValueKind.PacketMeta, Read(ProgramType.SchedCls, 140, 4).Value);
        Assert.False(Read(ProgramType.SchedCls, 76, 2).Allowed); // no narrow loads of pointers
        Assert.False(Read(ProgramType.SchedCls, 76, 8).Allowed);
        Assert.False(Write(ProgramType.SchedCls, 76, 4).Allowed);
        // Socket filters have no direct packet access.
        Assert.False(Read(ProgramType.SocketFilter, 76, 4).Allowed);
        Assert.Equal(ContextValueKind.PacketStart, Read(ProgramType.CgroupSkb, 76, 4).Value);
        Assert.Equal(ContextValueKind.PacketStart, Read(ProgramType.SkSkb, 76, 4).Value);
        Assert.Equal(ContextValueKind.SockCommonOrNull, Read(ProgramType.SchedCls, 168, 8).Value);
    }

    [Fact]
    public void Sk_buff_scalar_fields_take_narrow_loads()
    {
        var len = Read(ProgramType.SocketFilter, 0, 4);
        Assert.True(len.Allowed);
        Assert.Equal(ContextValueKind.Scalar, len.Value);
        Assert.Equal(4, len.FieldSize);
        var narrow = Read(ProgramType.SocketFilter, 2, 2);
        Assert.True(narrow.Allowed);
        Assert.True(narrow.IsNarrow(2));
        Assert.True(Read(ProgramType.SocketFilter, 3, 1).Allowed);
        Assert.False(Read(ProgramType.SocketFilter, 1, 2).Allowed); // misaligned
        Assert.False(Read(ProgramType.SocketFilter, 0, 8).Allowed);
        // cb[] is writable by every skb type; mark by tc only.
        Assert.True(Write(ProgramType.SocketFilter, 48, 4).Allowed);
        Assert.True(Write(ProgramType.SchedCls, 8, 4).Allowed);
        Assert.False(Write(ProgramType.SocketFilter, 8, 4).Allowed);
    }

    [Fact]
    public void Xdp_md()
    {
        Assert.Equal(ContextValueKind.PacketStart, Read(ProgramType.Xdp, 0, 4).Value);
        Assert.Equal(ContextValueKind.PacketEnd, Read(ProgramType.Xdp, 4, 4).Value);
        Assert.Equal(ContextValueKind.PacketMeta, Read(ProgramType.Xdp, 8, 4).Value);
        Assert.True(Read(ProgramType.Xdp, 12, 4).Allowed); // ingress_ifindex
        Assert.False(Read(ProgramType.Xdp, 24, 4).Allowed);
        Assert.Equal(24, ContextTables.Layout(ProgramType.Xdp, null)!.Size);
    }

    [Fact]
    public void Kprobe_pt_regs_is_read_only_168_bytes()
    {
        var layout = ContextTables.Layout(ProgramType.Kprobe, null)!;
        Assert.Equal(168, layout.Size);
        Assert.True(Read(ProgramType.Kprobe, 112, 8).Allowed); // di
        Assert.True(Read(ProgramType.Kprobe, 112, 4).Allowed);
        Assert.False(Write(ProgramType.Kprobe, 112, 8).Allowed);
        Assert.False(Read(ProgramType.Kprobe, 168, 8).Allowed);
        Assert.False(Read(ProgramType.Kprobe, 4, 8).Allowed);
    }

    [Fact]
    public void Perf_event_tracepoint_and_raw_tracepoint()
    {
        Assert.Equal(184, ContextTables.Layout(ProgramType.PerfEvent, null)!.Size);
        Assert.True(Read(ProgramType.PerfEvent, 168, 8).Allowed); // sample_period
        Assert.True(Read(ProgramType.PerfEvent, 176, 8).Allowed); // addr
        Assert.False(Read(ProgramType.Tracepoint, 0, 8).Allowed); // the common header is hidden
        Assert.True(Read(ProgramType.Tracepoint, 8, 8).Allowed);
        Assert.True(Read(ProgramType.Tracepoint, 8188, 4).Allowed);
        Assert.False(Write(ProgramType.Tracepoint, 8, 8).Allowed);
        Assert.True(Read(ProgramType.RawTracepoint, 0, 8).Allowed);
    }

    [Fact]
    public void Attach_types_change_cgroup_rules()
    {
        // bpf_sock_addr.user_ip4 (offset 4) is writable in connect hooks; msg_src_ip4 (40) only in sendmsg hooks.
        Assert.True(Write(ProgramType.CgroupSockAddr, 4, 4, AttachType.CgroupInet4Connect).Allowed);
        Assert.True(Read(ProgramType.CgroupSockAddr, 40, 4, AttachType.CgroupUdp4Sendmsg).Allowed);
        Assert.False(Read(ProgramType.CgroupSockAddr, 40, 4, AttachType.CgroupInet4Connect).Allowed);
        Assert.Equal(ContextValueKind.Socket, Read(ProgramType.CgroupSockAddr, 64, 8, AttachType.CgroupInet4Bind).Value);
        // bpf_sock: dst_port (48) takes narrow loads inside its two bytes and a legacy 4-byte load.
        Assert.True(Read(ProgramType.CgroupSock, 48, 4, AttachType.CgroupInetSockCreate).Allowed);
        Assert.True(Read(ProgramType.CgroupSock, 49, 1, AttachType.CgroupInetSockCreate).Allowed);
        Assert.False(Read(ProgramType.CgroupSock, 50, 2, AttachType.CgroupInetSockCreate).Allowed);
    }

    [Fact]
    public void Sock_ops_and_sk_msg_packet_pointers()
    {
        Assert.Equal(ContextValueKind.PacketStart, Read(ProgramType.SkMsg, 0, 8).Value);
        Assert.Equal(ContextValueKind.PacketEnd, Read(ProgramType.SkMsg, 8, 8).Value);
        var sockOps = ContextTables.Layout(ProgramType.SockOps, null)!;
        Assert.Contains(sockOps.Fields, f => f.Value == ContextValueKind.PacketStart);
        Assert.Contains(sockOps.Fields, f => f.Value == ContextValueKind.PacketEnd);
        Assert.Contains(ContextTables.Layout(ProgramType.FlowDissector, null)!.Fields, f => f.Value == ContextValueKind.FlowKeys);
    }

    [Fact]
    public void Negative_offsets_and_odd_sizes_are_refused()
    {
        Assert.False(Read(ProgramType.SocketFilter, -4, 4).Allowed);
        Assert.False(Read(ProgramType.SocketFilter, 0, 3).Allowed);
        Assert.False(Read(ProgramType.SocketFilter, 0, 0).Allowed);
    }
}
