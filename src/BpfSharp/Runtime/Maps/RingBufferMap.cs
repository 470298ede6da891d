using System.Buffers.Binary;
using BpfSharp.Loader;

namespace BpfSharp.Runtime.Maps;

/// <summary>
/// BPF_MAP_TYPE_RINGBUF: a multi-producer, single-consumer ring of variable-size records. Each record has the
/// kernel's 8-byte header (u32 length with the BUSY bit 31 and DISCARD bit 30, u32 page offset) and is padded to
/// 8 bytes. Programs reserve, then submit or discard (or output in one step); user space consumes submitted
/// records in order with <see cref="TryRead"/>, skipping discarded ones, and stops at a record still reserved.
/// The data area is backed twice over like the kernel's double mapping, so a record that wraps is contiguous
/// for the program.
/// </summary>
public sealed class RingBufferMap : BpfMap
{
    /// <summary>BPF_RINGBUF_HDR_SZ.</summary>
    public const int HeaderSize = 8;
    /// <summary>BPF_RINGBUF_BUSY_BIT: the record is reserved, not yet committed.</summary>
    public const uint BusyBit = 1u << 31;
    /// <summary>BPF_RINGBUF_DISCARD_BIT: the record was discarded.</summary>
    public const uint DiscardBit = 1u << 30;
    /// <summary>RINGBUF_MAX_RECORD_SZ.</summary>
    public const ulong MaxRecordSize = uint.MaxValue / 4;

    /// <summary>bpf_ringbuf_query: BPF_RB_AVAIL_DATA.</summary>
    public const ulong QueryAvailableData = 0;
    /// <summary>bpf_ringbuf_query: BPF_RB_RING_SIZE.</summary>
    public const ulong QueryRingSize = 1;
    /// <summary>bpf_ringbuf_query: BPF_RB_CONS_POS.</summary>
    public const ulong QueryConsumerPosition = 2;
    /// <summary>bpf_ringbuf_query: BPF_RB_PROD_POS.</summary>
    public const ulong QueryProducerPosition = 3;

    private const int PageSize = 4096;
    private readonly byte[] _data;
    private readonly int _size;

    /// <summary>Creates the ring; max_entries (its size in bytes) is assumed valid (see <see cref="BpfMapFactory"/>).</summary>
    public RingBufferMap(MapSpec spec) : base(spec)
    {
        _size = checked((int)spec.MaxEntries);
        _data = new byte[checked(2 * _size)];
    }

    /// <summary>The producer position (bytes ever reserved).</summary>
    public ulong ProducerPosition { get; private set; }

    /// <summary>The consumer position (bytes ever consumed).</summary>
    public ulong ConsumerPosition { get; private set; }

    /// <summary>Reservations and outputs that failed for want of room (the kernel counts none; user space sees gaps).</summary>
    public long Dropped { get; private set; }

    /// <summary>Commits that would have woken the consumer (BPF_RB_FORCE_WAKEUP, or the default when the consumer had caught up).</summary>
    public long Wakeups { get; private set; }

    /// <summary>Bytes reserved and not yet consumed.</summary>
    public ulong AvailableData => ProducerPosition - ConsumerPosition;

    /// <summary>
    /// bpf_ringbuf_reserve: a record of <paramref name="size"/> bytes, or false (the helper's NULL) when flags are
    /// not 0, the size is too big, or there is no room.
    /// </summary>
    public bool Reserve(ulong size, ulong flags, out MemorySlice sample)
    {
        sample = default;
        if (flags != 0 || size > MaxRecordSize) return false;
        ulong length = (size + HeaderSize + 7) & ~7UL;
        if (length > (ulong)_size || ProducerPosition + length - ConsumerPosition > (ulong)(_size - 1))
        {
            Dropped++;
            return false;
        }
        int offset = (int)(ProducerPosition & (ulong)(_size - 1));
        var header = _data.AsSpan(offset, HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)size | BusyBit);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)(offset / PageSize));
        ProducerPosition += length;
        sample = new MemorySlice(_data, offset + HeaderSize, (int)size);
        return true;
    }

    /// <summary>bpf_ringbuf_submit: commits a reserved record (flags: BPF_RB_NO_WAKEUP, BPF_RB_FORCE_WAKEUP).</summary>
    /// <exception cref="InvalidOperationException">The sample is not a record reserved from this ring.</exception>
    public void Submit(MemorySlice sample, ulong flags) => Commit(sample, flags, discard: false);

    /// <summary>bpf_ringbuf_discard: drops a reserved record; the reader skips it.</summary>
    /// <exception cref="InvalidOperationException">The sample is not a record reserved from this ring.</exception>
    public void Discard(MemorySlice sample, ulong flags) => Commit(sample, flags, discard: true);

    /// <summary>bpf_ringbuf_output: reserve, copy and submit in one step. 0, -EINVAL (flags), -EAGAIN (no room).</summary>
    public int Output(ReadOnlySpan<byte> data, ulong flags)
    {
        if ((flags & ~(MapFlags.RingbufNoWakeup | MapFlags.RingbufForceWakeup)) != 0) return MapErrno.EINVAL;
        if (!Reserve((ulong)data.Length, 0, out var sample)) return MapErrno.EAGAIN;
        data.CopyTo(sample.Span);
        Submit(sample, flags);
        return 0;
    }

    /// <summary>bpf_ringbuf_query: available data, ring size, consumer or producer position; 0 for other flags.</summary>
    public ulong Query(ulong flags) => flags switch
    {
        QueryAvailableData => AvailableData,
        QueryRingSize => (ulong)_size,
        QueryConsumerPosition => ConsumerPosition,
        QueryProducerPosition => ProducerPosition,
        _ => 0,
    };

    /// <summary>
    /// Consumes the next submitted record into <paramref name="record"/>, skipping discarded ones; false when the
    /// ring is empty or the next record is still reserved (records are read strictly in reservation order).
    /// </summary>
    public bool TryRead(out byte[] record)
    {
        while (ConsumerPosition < ProducerPosition)
        {
            int offset = (int)(ConsumerPosition & (ulong)(_size - 1));
            uint header = BinaryPrimitives.ReadUInt32LittleEndian(_data.AsSpan(offset));
            if ((header & BusyBit) != 0) break;
            int length = (int)(header & ~(BusyBit | DiscardBit));
            ConsumerPosition += (ulong)((length + HeaderSize + 7) & ~7);
            if ((header & DiscardBit) != 0) continue;
            record = new byte[length];
            int start = (offset + HeaderSize) % _size, first = Math.Min(length, _size - start);
            _data.AsSpan(start, first).CopyTo(record);
            _data.AsSpan(0, length - first).CopyTo(record.AsSpan(first));
            return true;
        }
        record = [];
        return false;
    }

    /// <summary>Consumes every readable record in order, handing each to <paramref name="handler"/>; returns how many.</summary>
    public int Consume(Action<byte[]> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        int count = 0;
        while (TryRead(out var record))
        {
            handler(record);
            count++;
        }
        return count;
    }

    /// <summary>Programs cannot look ring buffers up.</summary>
    public override bool TryLookup(ReadOnlySpan<byte> key, int cpu, out MemorySlice value)
    {
        value = default;
        return false;
    }

    /// <summary>-ENOTSUPP: ring buffers have no elements.</summary>
    public override int Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags, int cpu) => MapErrno.ENOTSUPP;

    /// <summary>-ENOTSUPP: ring buffers have no elements.</summary>
    public override int Delete(ReadOnlySpan<byte> key) => MapErrno.ENOTSUPP;

    private void Commit(MemorySlice sample, ulong flags, bool discard)
    {
        int headerOffset = sample.Offset - HeaderSize;
        if (!ReferenceEquals(sample.Array, _data) || headerOffset < 0 || headerOffset >= _size || headerOffset % 8 != 0)
            throw new InvalidOperationException($"ringbuf '{Name}': the sample was not reserved from this ring");
        var header = _data.AsSpan(headerOffset, HeaderSize);
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(header);
        if ((length & BusyBit) == 0 || (length & ~(BusyBit | DiscardBit)) != (uint)sample.Length)
            throw new InvalidOperationException($"ringbuf '{Name}': the sample was already submitted or discarded");
        // A record that ran past the end was written into the second copy: fold it back to the start.
        int end = sample.Offset + sample.Length;
        if (end > _size) _data.AsSpan(_size, end - _size).CopyTo(_data);
        ulong recordPosition = ConsumerPosition;
        bool consumerWaitsHere = (int)(recordPosition & (ulong)(_size - 1)) == headerOffset;
        BinaryPrimitives.WriteUInt32LittleEndian(header, (length & ~BusyBit) | (discard ? DiscardBit : 0));
        if ((flags & MapFlags.RingbufForceWakeup) != 0 || ((flags & MapFlags.RingbufNoWakeup) == 0 && consumerWaitsHere)) Wakeups++;
    }
}
