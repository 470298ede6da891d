using BpfSharp.Loader;

namespace BpfSharp.Tests.Loader;

/// <summary>The enums carry the kernel's ABI numbers: spot checks against include/uapi/linux/bpf.h, plus no gaps.</summary>
public class KernelEnumValuesTests
{
    [Theory]
    [InlineData(ProgramType.Unspec, 0u)]
    [InlineData(ProgramType.SocketFilter, 1u)]
    [InlineData(ProgramType.Kprobe, 2u)]
    [InlineData(ProgramType.SchedCls, 3u)]
    [InlineData(ProgramType.Xdp, 6u)]
    [InlineData(ProgramType.CgroupSkb, 8u)]
    [InlineData(ProgramType.SockOps, 13u)]
    [InlineData(ProgramType.RawTracepoint, 17u)]
    [InlineData(ProgramType.CgroupSockAddr, 18u)]
    [InlineData(ProgramType.Tracing, 26u)]
    [InlineData(ProgramType.Lsm, 29u)]
    [InlineData(ProgramType.Syscall, 31u)]
    [InlineData(ProgramType.Netfilter, 32u)]
    public void Program_types_have_kernel_numbers(ProgramType type, uint expected) => Assert.Equal(expected, (uint)type);

    [Theory]
    [InlineData(AttachType.CgroupInetIngress, 0u)]
    [InlineData(AttachType.CgroupInetEgress, 1u)]
    [InlineData(AttachType.CgroupInetSockCreate, 2u)]
    [InlineData(AttachType.CgroupSockOps, 3u)]
    [InlineData(AttachType.CgroupUdp6Recvmsg, 20u)]
    [InlineData(AttachType.TraceFentry, 24u)]
    [InlineData(AttachType.LsmMac, 27u)]
    [InlineData(AttachType.XdpDevmap, 33u)]
    [InlineData(AttachType.CgroupInetSockRelease, 34u)]
    [InlineData(AttachType.Xdp, 37u)]
    [InlineData(AttachType.PerfEvent, 41u)]
    [InlineData(AttachType.TcxIngress, 46u)]
    [InlineData(AttachType.CgroupUnixConnect, 49u)]
    [InlineData(AttachType.NetkitPeer, 55u)]
    [InlineData(AttachType.TraceKprobeSession, 56u)]
    [InlineData(AttachType.TraceUprobeSession, 57u)]
    public void Attach_types_have_kernel_numbers(AttachType type, uint expected) => Assert.Equal(expected, (uint)type);

    [Theory]
    [InlineData(MapType.Unspec, 0u)]
    [InlineData(MapType.Hash, 1u)]
    [InlineData(MapType.PerfEventArray, 4u)]
    [InlineData(MapType.ArrayOfMaps, 12u)]
    [InlineData(MapType.CgroupStorage, 19u)]
    [InlineData(MapType.DevmapHash, 25u)]
    [InlineData(MapType.Ringbuf, 27u)]
    [InlineData(MapType.BloomFilter, 30u)]
    [InlineData(MapType.CgrpStorage, 32u)]
    [InlineData(MapType.Arena, 33u)]
    public void Map_types_have_kernel_numbers(MapType type, uint expected) => Assert.Equal(expected, (uint)type);

    [Fact]
    public void Program_types_are_contiguous_up_to_netfilter() => AssertContiguous<ProgramType>((uint)ProgramType.Netfilter);

    [Fact]
    public void Attach_types_are_contiguous_up_to_uprobe_session() => AssertContiguous<AttachType>((uint)AttachType.TraceUprobeSession);

    [Fact]
    public void Map_types_are_contiguous_up_to_arena() => AssertContiguous<MapType>((uint)MapType.Arena);

    // The kernel enums have no gaps or aliases, so the members must be exactly 0..last.
    private static void AssertContiguous<T>(uint last) where T : struct, Enum
    {
        var values = Enum.GetValues<T>().Select(v => Convert.ToUInt32(v, System.Globalization.CultureInfo.InvariantCulture)).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, (int)last + 1).Select(i => (uint)i), values);
    }
}
