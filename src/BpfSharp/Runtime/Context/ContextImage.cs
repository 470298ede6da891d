using System.Buffers.Binary;
using BpfSharp.Loader;
using BpfSharp.Runtime.Packets;

namespace BpfSharp.Runtime.Context;

/// <summary>
/// What a program sees in a BPF_PROG_TEST_RUN: the context bytes with every scalar field filled as the kernel
/// fills it, the pointer fields the runtime must point into <see cref="Buffer"/>, and the buffer itself (headroom,
/// metadata, the packet, tailroom) laid out as the kernel lays it out. Build one with <see cref="Build"/>.
/// </summary>
public sealed class ContextImage
{
    private const int EINVAL = 22, E2BIG = 7, ENOMEM = 12, ENODEV = 19;

    private ContextImage(TestRunContextLayout layout, byte[] context, byte[] buffer, int meta, int data, int dataEnd, byte[] fragments)
    {
        Layout = layout;
        Context = context;
        Buffer = buffer;
        MetaOffset = meta;
        DataOffset = data;
        DataEndOffset = dataEnd;
        Fragments = fragments;
        Pointers = layout.Fields.Where(f => f.Source == ContextValueSource.Pointer)
            .Select(f => new ContextPointer(f.Name, f.Offset, f.Pointer == ContextPointerKind.Socket ? 8 : 4, f.Pointer)).ToArray();
    }

    /// <summary>The program type's layout.</summary>
    public TestRunContextLayout Layout { get; }

    /// <summary>The context as the program reads it; pointer fields hold 0 (the runtime supplies addresses).</summary>
    public byte[] Context { get; }

    /// <summary>The pointer fields readable by this program type.</summary>
    public IReadOnlyList<ContextPointer> Pointers { get; }

    /// <summary>
    /// The linear buffer: headroom, (socket_filter: the Ethernet header the program does not see), metadata,
    /// data, tailroom. The kernel's buffer is this size too (its headroom and linear capacity).
    /// </summary>
    public byte[] Buffer { get; }

    /// <summary>Where data_meta points (equal to <see cref="DataOffset"/> without metadata).</summary>
    public int MetaOffset { get; }

    /// <summary>Where data points: the first byte the program sees.</summary>
    public int DataOffset { get; }

    /// <summary>Where data_end points: one past the last linear byte.</summary>
    public int DataEndOffset { get; }

    /// <summary>xdp: the bytes of data_in past the linear part (the kernel puts them in fragments; bpf_xdp_load_bytes reaches them).</summary>
    public byte[] Fragments { get; }

    /// <summary>Bytes before data_meta.</summary>
    public int Headroom => MetaOffset;

    /// <summary>Bytes after data_end.</summary>
    public int Tailroom => Buffer.Length - DataEndOffset;

    /// <summary>The packet as the program sees it (data to data_end).</summary>
    public ReadOnlySpan<byte> Data => Buffer.AsSpan(DataOffset, DataEndOffset - DataOffset);

    /// <summary>
    /// The context and packet the kernel would give a program of <paramref name="type"/> for a test run with
    /// <paramref name="dataIn"/> and <paramref name="contextIn"/> (empty: none), or the kernel's errno for an input it
    /// refuses. <paramref name="device"/> is the device ctx_in's ifindex names (default: only the loopback device is known).
    /// </summary>
    public static ContextImageResult Build(ProgramType type, ReadOnlySpan<byte> dataIn, ReadOnlySpan<byte> contextIn = default, TestRunDevice? device = null)
    {
        if (TestRunContexts.Of(type) is not { } layout)
            return new(null, 0, $"test runs of {type} programs are not modelled", Unsupported: true);
        if (dataIn.Length < layout.MinimumDataIn)
            return Refuse(EINVAL, $"data_in of {dataIn.Length} bytes is shorter than ETH_HLEN (14)");
        if (dataIn.Length > layout.MaximumDataIn)
            return Refuse(type == ProgramType.Xdp ? ENOMEM : EINVAL, $"data_in of {dataIn.Length} bytes exceeds {layout.MaximumDataIn}");
        bool hasContext = contextIn.Length > 0;
        var context = new byte[layout.Size];
        if (hasContext)
        {
            if (contextIn.Length > layout.Size && contextIn[layout.Size..].ContainsAnyExcept((byte)0))
                return Refuse(E2BIG, $"ctx_in is longer than {layout.StructName} ({layout.Size}) and not zero beyond it");
            contextIn[..Math.Min(contextIn.Length, layout.Size)].CopyTo(context);
            for (int offset = 0; offset < layout.Size; offset++)
            {
                if (context[offset] == 0) continue;
                var field = layout.FieldAt(offset);
                if (field is not { Settable: true })
                    return Refuse(EINVAL, $"ctx_in sets {field?.Name ?? $"padding at {offset}"}, which a test run does not take");
                if (field.MaximumIn != 0 && ReadField(context, field) > field.MaximumIn)
                    return Refuse(EINVAL, $"ctx_in {field.Name} {ReadField(context, field)} exceeds {field.MaximumIn}");
            }
        }
        return type == ProgramType.Xdp
            ? BuildXdp(layout, dataIn, context, hasContext, device)
            : BuildSkb(layout, dataIn, context, hasContext, device);
    }

    private static ContextImageResult BuildSkb(TestRunContextLayout layout, ReadOnlySpan<byte> frame, byte[] contextIn, bool hasContext, TestRunDevice? device)
    {
        uint ifindex = Field(contextIn, layout, "ifindex");
        var dev = TestRunDevice.Loopback;
        if (ifindex > 1)
        {
            if (device is null || device.Ifindex != ifindex)
                return new(null, 0, $"ctx_in ifindex {ifindex} names a device the runtime does not know (ENODEV if it does not exist)", Unsupported: true);
            dev = device;
        }
        ushort etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
        // The kernel reads the addresses of the IP header into its socket, and refuses a frame too short for it.
        if (etherType == EtherType.IPv4 && frame.Length < 14 + 20) return Refuse(EINVAL, "IPv4 frame shorter than an IPv4 header");
        if (etherType == EtherType.IPv6 && frame.Length < 14 + 40) return Refuse(EINVAL, "IPv6 frame shorter than an IPv6 header");

        int length = frame.Length - layout.HiddenLinkHeader;
        uint wireLength = 0;
        if (hasContext)
        {
            wireLength = Field(contextIn, layout, "wire_len");
            if (wireLength == 0) wireLength = (uint)length;
            else if (wireLength < length) return Refuse(EINVAL, $"ctx_in wire_len {wireLength} is below len {length}");
        }
        var context = new byte[layout.Size];
        foreach (var field in layout.Fields)
        {
            ulong value = field.Source switch
            {
                ContextValueSource.Length => (uint)length,
                ContextValueSource.PacketType => PacketType(frame, dev),
                ContextValueSource.Protocol => BinaryPrimitives.ReverseEndianness(Protocol(frame)),
                ContextValueSource.ContextIn => 0, // copied below: cb is wider than a u64
                ContextValueSource.Ifindex => (ulong)dev.Ifindex,
                ContextValueSource.WireLength => wireLength,
                _ => 0,
            };
            if (field.Source == ContextValueSource.ContextIn)
                contextIn.AsSpan(field.Offset, field.Size).CopyTo(context.AsSpan(field.Offset));
            else
                WriteField(context, field, value);
        }
        int headroom = layout.Headroom;
        var buffer = new byte[headroom + layout.LinearCapacity];
        frame.CopyTo(buffer.AsSpan(headroom));
        int data = headroom + layout.HiddenLinkHeader;
        return new(new ContextImage(layout, context, buffer, data, data, headroom + frame.Length, []), 0, null);
    }

    private static ContextImageResult BuildXdp(TestRunContextLayout layout, ReadOnlySpan<byte> dataIn, byte[] contextIn, bool hasContext, TestRunDevice? device)
    {
        int meta = 0, linearEnd = Math.Min(dataIn.Length, layout.LinearCapacity);
        uint ingress = Field(contextIn, layout, "ingress_ifindex"), queue = Field(contextIn, layout, "rx_queue_index");
        if (hasContext)
        {
            meta = (int)Field(contextIn, layout, "data");
            uint end = Field(contextIn, layout, "data_end");
            if (end > dataIn.Length) return Refuse(EINVAL, $"ctx_in data_end {end} is beyond data_in ({dataIn.Length} bytes)");
            if (meta > end) return Refuse(EINVAL, $"ctx_in data {meta} is beyond data_end {end}");
            if (meta % 4 != 0 || meta > layout.MaximumMetadata)
                return Refuse(EINVAL, $"metadata of {meta} bytes (must be a multiple of 4, at most {layout.MaximumMetadata})");
            if (meta > dataIn.Length - 14) return Refuse(EINVAL, $"metadata of {meta} bytes leaves less than ETH_HLEN of data_in");
            if (end > layout.LinearCapacity)
                return new(null, 0, $"ctx_in data_end {end} beyond the linear capacity ({layout.LinearCapacity}) is not modelled", Unsupported: true);
            linearEnd = (int)end;
            if (ingress == 0 && queue != 0) return Refuse(EINVAL, "ctx_in rx_queue_index without ingress_ifindex");
            if (ingress == 1 && queue != 0) return Refuse(EINVAL, $"rx_queue_index {queue}: the loopback device has one queue");
            if (ingress > 1 && (device is null || device.Ifindex != ingress || queue != 0))
                return new(null, 0, $"ctx_in ingress_ifindex {ingress} (queue {queue}) names a device the runtime does not know (ENODEV if it does not exist)", Unsupported: true);
        }
        var context = new byte[layout.Size];
        WriteField(context, layout.Fields.First(f => f.Name == "ingress_ifindex"), ingress == 0 ? 1u : ingress);
        WriteField(context, layout.Fields.First(f => f.Name == "rx_queue_index"), queue);
        // Metadata comes out of the headroom: data stays at XDP_PACKET_HEADROOM.
        int data = layout.Headroom;
        var buffer = new byte[layout.Headroom + layout.LinearCapacity];
        dataIn[..linearEnd].CopyTo(buffer.AsSpan(data - meta));
        return new(new ContextImage(layout, context, buffer, data - meta, data, data - meta + linearEnd, dataIn[linearEnd..].ToArray()), 0, null);
    }

    // pkt_type as eth_type_trans derives it from the destination address and the device's addresses.
    private static uint PacketType(ReadOnlySpan<byte> frame, TestRunDevice device)
    {
        var destination = frame[..6];
        if ((destination[0] & 1) != 0) return destination.SequenceEqual(device.Broadcast) ? 1u : 2u;
        return destination.SequenceEqual(device.Address) ? 0u : 3u;
    }

    // skb->protocol in host order: the EtherType, or for 802.3 length frames ETH_P_802_3 (raw, payload ffff) / ETH_P_802_2.
    private static ushort Protocol(ReadOnlySpan<byte> frame)
    {
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
        if (type >= EtherType.MinimumType) return type;
        return frame.Length >= 16 && frame[14] == 0xff && frame[15] == 0xff ? (ushort)0x0001 : (ushort)0x0004;
    }

    private static uint Field(byte[] context, TestRunContextLayout layout, string name)
    {
        foreach (var field in layout.Fields)
            if (field.Name == name) return (uint)ReadField(context, field);
        throw new InvalidOperationException($"{layout.StructName} has no field {name}");
    }

    private static ulong ReadField(byte[] context, ContextFieldRule field) => field.Size switch
    {
        1 => context[field.Offset],
        8 => BinaryPrimitives.ReadUInt64LittleEndian(context.AsSpan(field.Offset)),
        _ => BinaryPrimitives.ReadUInt32LittleEndian(context.AsSpan(field.Offset)),
    };

    private static void WriteField(byte[] context, ContextFieldRule field, ulong value)
    {
        switch (field.Size)
        {
            case 1: context[field.Offset] = (byte)value; break;
            case 8: BinaryPrimitives.WriteUInt64LittleEndian(context.AsSpan(field.Offset), value); break;
            case 4: BinaryPrimitives.WriteUInt32LittleEndian(context.AsSpan(field.Offset), (uint)value); break;
        }
    }

    private static ContextImageResult Refuse(int errno, string reason) => new(null, errno, reason);
}
