using BpfSharp.Loader;

namespace BpfSharp.Runtime;

/// <summary>
/// The packet of a test run: one buffer holding headroom, metadata, the packet and tailroom, mapped as a single
/// region from data_meta to data_end (so meta, data and data_end pointers compare as the kernel's do). Helpers that
/// move the packet's edges (xdp_adjust_head/meta/tail) re-point the region; the pointers a program loaded before
/// are then stale, as the kernel's verifier makes them. The skb helpers that resize the packet (change_head/tail,
/// adjust_room, vlan push/pop) move it to a bigger buffer when it does not fit, as the kernel reallocates the skb
/// head; where the packet sits in the buffer is invisible to the program.
/// </summary>
public sealed class PacketBuffer
{
    private const int EthernetHeaderLength = 14;
    private int _region = -1;
    private AddressSpace? _memory;

    /// <summary>Creates the packet over <paramref name="buffer"/> with its edges.</summary>
    /// <param name="buffer">Headroom, metadata, packet and tailroom.</param>
    /// <param name="metaOffset">Where data_meta points (equal to <paramref name="dataOffset"/> without metadata).</param>
    /// <param name="dataOffset">Where data points.</param>
    /// <param name="dataEndOffset">Where data_end points.</param>
    /// <param name="reservedHead">Bytes at the start of the buffer no adjustment may reach (the xdp_frame).</param>
    /// <param name="linearLimit">The offset data_end may grow to at most.</param>
    /// <param name="type">The program type the packet is given to.</param>
    public PacketBuffer(byte[] buffer, int metaOffset, int dataOffset, int dataEndOffset, int reservedHead, int linearLimit, ProgramType type)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (reservedHead < 0 || metaOffset < reservedHead || dataOffset < metaOffset || dataEndOffset < dataOffset || linearLimit < dataEndOffset || linearLimit > buffer.Length)
            throw new ArgumentOutOfRangeException(nameof(dataOffset), $"packet edges {reservedHead}/{metaOffset}/{dataOffset}/{dataEndOffset}/{linearLimit} do not fit a {buffer.Length}-byte buffer");
        Buffer = buffer;
        MetaOffset = metaOffset;
        DataOffset = dataOffset;
        DataEndOffset = dataEndOffset;
        ReservedHead = reservedHead;
        LinearLimit = linearLimit;
        Type = type;
    }

    /// <summary>The whole buffer (replaced by a bigger one when an skb helper grows the packet beyond it).</summary>
    public byte[] Buffer { get; private set; }

    /// <summary>The sk_buff state of a socket filter or tc run (null for xdp).</summary>
    public SkbState? Skb { get; set; }

    /// <summary>Offset of data_meta.</summary>
    public int MetaOffset { get; private set; }

    /// <summary>Offset of data.</summary>
    public int DataOffset { get; private set; }

    /// <summary>Offset of data_end.</summary>
    public int DataEndOffset { get; private set; }

    /// <summary>Bytes at the buffer's start that stay out of reach.</summary>
    public int ReservedHead { get; }

    /// <summary>How far data_end may grow.</summary>
    public int LinearLimit { get; private set; }

    /// <summary>The packet's length (data to data_end).</summary>
    public int Length => DataEndOffset - DataOffset;

    /// <summary>The program type.</summary>
    public ProgramType Type { get; }

    /// <summary>The packet (data to data_end).</summary>
    public Span<byte> Data => Buffer.AsSpan(DataOffset, DataEndOffset - DataOffset);

    /// <summary>Maps the packet into <paramref name="memory"/> as the run's packet region.</summary>
    public void Attach(AddressSpace memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        _memory = memory;
        _region = memory.Add(Slice, MemoryRegionKind.Packet, "packet", writable: true);
        memory.PacketRegion = _region;
    }

    private MemorySlice Slice => new(Buffer, MetaOffset, DataEndOffset - MetaOffset);

    private ulong Base => _region < 0 ? throw new InvalidOperationException("the packet is not attached to an address space") : AddressSpace.AddressOf(_region);

    /// <summary>The address data_meta holds.</summary>
    public ulong MetaAddress => Base;

    /// <summary>The address data holds.</summary>
    public ulong DataAddress => Base + (ulong)(DataOffset - MetaOffset);

    /// <summary>The address data_end holds.</summary>
    public ulong DataEndAddress => Base + (ulong)(DataEndOffset - MetaOffset);

    /// <summary>bpf_xdp_adjust_head: moves data by <paramref name="delta"/> (metadata moves with it); 0 or -EINVAL.</summary>
    public int AdjustHead(int delta)
    {
        int metaLength = DataOffset - MetaOffset;
        long data = (long)DataOffset + delta;
        if (data < ReservedHead + metaLength || data > DataEndOffset - EthernetHeaderLength) return -22;
        if (metaLength > 0) Buffer.AsSpan(MetaOffset, metaLength).CopyTo(Buffer.AsSpan((int)data - metaLength));
        DataOffset = (int)data;
        MetaOffset = DataOffset - metaLength;
        Remap();
        return 0;
    }

    /// <summary>bpf_xdp_adjust_meta: moves data_meta by <paramref name="delta"/>; 0, -EINVAL or -EACCES.</summary>
    public int AdjustMeta(int delta)
    {
        long meta = (long)MetaOffset + delta;
        if (meta < ReservedHead || meta > DataOffset) return -22;
        if (((DataOffset - meta) & 3) != 0) return -13;
        MetaOffset = (int)meta;
        Remap();
        return 0;
    }

    /// <summary>bpf_xdp_adjust_tail: moves data_end by <paramref name="delta"/>; grown bytes are zero; 0 or -EINVAL.</summary>
    public int AdjustTail(int delta)
    {
        long end = (long)DataEndOffset + delta;
        if (end > LinearLimit || end < DataOffset + EthernetHeaderLength) return -22;
        if (end > DataEndOffset) Buffer.AsSpan(DataEndOffset, (int)end - DataEndOffset).Clear();
        DataEndOffset = (int)end;
        Remap();
        return 0;
    }

    /// <summary>
    /// skb: inserts <paramref name="count"/> zero bytes at <paramref name="offset"/> from data by moving the first
    /// <paramref name="offset"/> bytes towards the head (data moves back by <paramref name="count"/>).
    /// </summary>
    public void InsertAt(int offset, int count)
    {
        if (offset < 0 || offset > Length || count < 0) throw new ArgumentOutOfRangeException(nameof(offset));
        EnsureRoom(count, 0);
        int data = DataOffset - count;
        Buffer.AsSpan(DataOffset, offset).CopyTo(Buffer.AsSpan(data));
        Buffer.AsSpan(data + offset, count).Clear();
        DataOffset = MetaOffset = data;
        Remap();
    }

    /// <summary>skb: removes <paramref name="count"/> bytes at <paramref name="offset"/> from data (the bytes before them move up).</summary>
    public void RemoveAt(int offset, int count)
    {
        if (offset < 0 || count < 0 || offset + count > Length) throw new ArgumentOutOfRangeException(nameof(offset));
        int data = DataOffset + count;
        Buffer.AsSpan(DataOffset, offset).CopyTo(Buffer.AsSpan(data));
        DataOffset = MetaOffset = data;
        Remap();
    }

    /// <summary>skb: trims the packet to <paramref name="length"/> bytes or grows it with zeros.</summary>
    public void SetLength(int length)
    {
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length));
        if (length > Length)
        {
            EnsureRoom(0, length - Length);
            Buffer.AsSpan(DataEndOffset, length - Length).Clear();
        }
        DataEndOffset = DataOffset + length;
        Remap();
    }

    // Moves the packet to a bigger buffer when head or tail room is short, keeping the skb's 64 bytes of headroom
    // (NET_SKB_PAD) beyond what is asked for.
    private void EnsureRoom(int head, int tail)
    {
        if (MetaOffset != DataOffset) throw new InvalidOperationException("skb packets carry no metadata");
        if (DataOffset >= head && Buffer.Length - DataEndOffset >= tail) return;
        const int pad = 64;
        int newHead = Math.Max(DataOffset, head + pad), newTail = Math.Max(Buffer.Length - DataEndOffset, tail + pad);
        var bigger = new byte[newHead + Length + newTail];
        Buffer.AsSpan(DataOffset, Length).CopyTo(bigger.AsSpan(newHead));
        int length = Length;
        Buffer = bigger;
        DataOffset = MetaOffset = newHead;
        DataEndOffset = newHead + length;
        LinearLimit = bigger.Length;
    }

    private void Remap()
    {
        if (_memory is not null && _region >= 0) _memory.Remap(_region, Slice);
    }
}
