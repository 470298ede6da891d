using System.Buffers.Binary;
using BpfSharp.Loader;
using BpfSharp.Runtime.Context;

namespace BpfSharp.Tests.Runtime.Context;

/// <summary>The context image without a kernel: layout of the buffer, derived fields, refused inputs.</summary>
public class ContextImageTests
{
    private static byte[] Frame(int length, ushort etherType, byte firstByte = 0x02)
    {
        var frame = Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();
        frame[0] = firstByte;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), etherType);
        return frame;
    }

    [Fact]
    public void A_socket_filter_sees_the_frame_from_the_network_header()
    {
        var frame = Frame(100, 0x0800);
        var image = ContextImage.Build(ProgramType.SocketFilter, frame).Image!;
        Assert.Equal(86u, BinaryPrimitives.ReadUInt32LittleEndian(image.Context));
        Assert.Equal(frame[14..], image.Data.ToArray());
        Assert.Equal([0x08, 0x00, 0, 0], image.Context[16..20]); // protocol in network order
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(image.Context.AsSpan(4)));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(image.Context.AsSpan(40)));
        Assert.Equal(["sk"], image.Pointers.Select(p => p.Name));
    }

    [Fact]
    public void A_sched_cls_program_sees_the_whole_frame_after_64_bytes_of_headroom()
    {
        var image = ContextImage.Build(ProgramType.SchedCls, Frame(60, 0x0806, 0xff)).Image!;
        Assert.Equal((64, 64, 124), (image.MetaOffset, image.DataOffset, image.DataEndOffset));
        Assert.Equal(3712 - 60, image.Tailroom);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(image.Context.AsSpan(4))); // ff:.. is multicast on loopback
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(image.Context.AsSpan(160))); // wire_len without ctx_in
        Assert.Equal(["data", "data_end", "data_meta", "sk"], image.Pointers.Select(p => p.Name));
    }

    [Theory]
    [InlineData(0x05dc, 0x00, 0x0004)]
    [InlineData(0x0040, 0xff, 0x0001)]
    [InlineData(0x8100, 0x00, 0x8100)]
    public void Protocol_follows_eth_type_trans(ushort type, byte payload, ushort protocol)
    {
        var frame = Frame(60, type);
        frame[14] = frame[15] = payload;
        var image = ContextImage.Build(ProgramType.SchedCls, frame).Image!;
        Assert.Equal(protocol, BinaryPrimitives.ReadUInt16BigEndian(image.Context.AsSpan(16)));
    }

    [Fact]
    public void Xdp_metadata_comes_out_of_the_headroom_and_the_rest_of_a_big_frame_goes_to_fragments()
    {
        var context = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(context, 8);
        BinaryPrimitives.WriteUInt32LittleEndian(context.AsSpan(4), 100);
        var image = ContextImage.Build(ProgramType.Xdp, Frame(100, 0x0800), context).Image!;
        Assert.Equal((248, 256, 348), (image.MetaOffset, image.DataOffset, image.DataEndOffset));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(image.Context.AsSpan(12)));
        Assert.Equal(4000 - 3520, ContextImage.Build(ProgramType.Xdp, Frame(4000, 0x0800)).Image!.Fragments.Length);
    }

    [Theory]
    [InlineData("socket_filter", 13, 22)]
    [InlineData("socket_filter", 33, 22)] // IPv4 EtherType, no room for the IPv4 header
    [InlineData("sched_cls", 3713, 22)]
    [InlineData("xdp", 73153, 12)]
    public void Frames_the_kernel_refuses_are_refused_with_its_errno(string type, int length, int errno)
    {
        Assert.True(KernelNames.TryParse(type, out ProgramType programType));
        var result = ContextImage.Build(programType, Frame(Math.Max(length, 14), 0x0800)[..length]);
        Assert.Null(result.Image);
        Assert.Equal(errno, result.Errno);
    }

    [Fact]
    public void Ctx_in_naming_an_unknown_device_is_unsupported_not_guessed()
    {
        var context = new byte[192];
        context[40] = 4;
        var result = ContextImage.Build(ProgramType.SchedCls, Frame(60, 0x0806), context);
        Assert.True(result.Unsupported);
        Assert.Contains("ifindex 4", result.Reason);
        var device = new TestRunDevice(4, [0x02, 0, 0, 0, 0, 1], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
        var frame = Frame(60, 0x0806);
        device.Address.CopyTo(frame, 0);
        var image = ContextImage.Build(ProgramType.SchedCls, frame, context, device).Image!;
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(image.Context.AsSpan(4))); // to the device's own address: host
    }
}
