using System.Buffers.Binary;
using BpfSharp.Loader;
using BpfSharp.Runtime;
using BpfSharp.Runtime.Maps;
using static BpfSharp.Tests.Runtime.Maps.Specs;

namespace BpfSharp.Tests.Runtime.Maps;

public class RingBufferMapTests
{
    private static RingBufferMap Ring(uint size = 4096) => (RingBufferMap)BpfMapFactory.Create(Of(MapType.Ringbuf, 0, 0, size));

    private static MemorySlice Reserve(RingBufferMap ring, int size, byte fill)
    {
        Assert.True(ring.Reserve((ulong)size, 0, out var sample));
        sample.Span.Fill(fill);
        return sample;
    }

    [Fact]
    public void Records_are_read_in_reservation_order_and_discarded_ones_are_skipped()
    {
        var ring = Ring();
        var a = Reserve(ring, 3, 1);
        var b = Reserve(ring, 10, 2);
        var c = Reserve(ring, 1, 3);
        ring.Submit(c, 0);
        // c is committed but a is still reserved: nothing is readable yet.
        Assert.False(ring.TryRead(out _));
        ring.Discard(b, 0);
        ring.Submit(a, 0);
        Assert.True(ring.TryRead(out var first));
        Assert.Equal(new byte[] { 1, 1, 1 }, first);
        Assert.True(ring.TryRead(out var second));
        Assert.Equal(new byte[] { 3 }, second);
        Assert.False(ring.TryRead(out _));
        Assert.Equal(0ul, ring.Query(RingBufferMap.QueryAvailableData));
    }

    [Fact]
    public void The_header_holds_the_length_with_busy_and_discard_bits_and_records_are_padded_to_eight()
    {
        var ring = Ring();
        var sample = Reserve(ring, 5, 9);
        uint Header() => BinaryPrimitives.ReadUInt32LittleEndian(sample.Array.AsSpan(sample.Offset - 8));
        Assert.Equal(5u | RingBufferMap.BusyBit, Header());
        Assert.Equal(16ul, ring.Query(RingBufferMap.QueryProducerPosition));
        ring.Discard(sample, 0);
        Assert.Equal(5u | RingBufferMap.DiscardBit, Header());
        Assert.Throws<InvalidOperationException>(() => ring.Submit(sample, 0));
    }

    [Fact]
    public void Reserve_fails_for_nonzero_flags_oversized_records_and_a_full_ring()
    {
        var ring = Ring();
        Assert.False(ring.Reserve(8, 1, out _));
        Assert.False(ring.Reserve(4096, 0, out _));
        Assert.False(ring.Reserve(RingBufferMap.MaxRecordSize + 1, 0, out _));
        // 4096 bytes hold at most 4095: one 4088-byte record (4096 with its header) does not fit, 4080 does.
        Assert.False(ring.Reserve(4088, 0, out _));
        Assert.True(ring.Reserve(4080, 0, out var big));
        Assert.False(ring.Reserve(0, 0, out _));
        Assert.Equal(3, ring.Dropped);
        Assert.Equal(MapErrno.EAGAIN, ring.Output([1], 0));
        ring.Submit(big, 0);
        Assert.True(ring.TryRead(out var record));
        Assert.Equal(4080, record.Length);
        Assert.Equal(0, ring.Output([1], 0));
    }

    [Fact]
    public void A_record_that_wraps_is_contiguous_for_the_program_and_read_back_whole()
    {
        var ring = Ring();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(0, ring.Output(new byte[1000], 0));
            Assert.True(ring.TryRead(out _));
        }
        var payload = Enumerable.Range(0, 2000).Select(i => (byte)i).ToArray();
        Assert.True(ring.Reserve((ulong)payload.Length, 0, out var sample));
        Assert.True(sample.Offset + sample.Length > 4096);
        payload.CopyTo(sample.Span);
        ring.Submit(sample, 0);
        Assert.True(ring.TryRead(out var record));
        Assert.Equal(payload, record);
    }

    [Fact]
    public void Output_checks_flags_and_query_reports_positions()
    {
        var ring = Ring(8192);
        Assert.Equal(MapErrno.EINVAL, ring.Output([1], 4));
        Assert.Equal(0, ring.Output([1, 2], MapFlags.RingbufNoWakeup));
        Assert.Equal(0, ring.Output([3], MapFlags.RingbufForceWakeup));
        Assert.Equal(1, ring.Wakeups);
        Assert.Equal(8192ul, ring.Query(RingBufferMap.QueryRingSize));
        Assert.Equal(32ul, ring.Query(RingBufferMap.QueryAvailableData));
        Assert.Equal(2, ring.Consume(_ => { }));
        Assert.Equal(32ul, ring.Query(RingBufferMap.QueryConsumerPosition));
        Assert.Equal(0ul, ring.Query(99));
    }

    [Fact]
    public void Default_wakeup_happens_when_the_consumer_waits_at_the_record()
    {
        var ring = Ring();
        Assert.Equal(0, ring.Output([1], 0));
        Assert.Equal(0, ring.Output([2], 0));
        Assert.Equal(1, ring.Wakeups);
    }

    [Theory]
    [InlineData(4096u * 3, 0u)]
    [InlineData(1000u, 0u)]
    [InlineData(4096u, MapFlags.NoPrealloc)]
    public void Creation_needs_a_power_of_two_number_of_pages_and_no_other_flags(uint size, uint flags)
    {
        var error = Assert.Throws<MapCreateException>(() => BpfMapFactory.Create(Of(MapType.Ringbuf, 0, 0, size, flags)));
        Assert.Equal(MapErrno.EINVAL, error.Errno);
    }

    [Fact]
    public void Ring_buffers_have_no_elements()
    {
        var ring = Ring();
        Assert.Equal(MapErrno.ENOTSUPP, ring.GetNextKey([], []));
        Assert.Equal(MapErrno.ENOTSUPP, ring.UpdateElem([], []));
    }
}
