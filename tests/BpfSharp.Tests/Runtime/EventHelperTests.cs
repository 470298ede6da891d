using BpfSharp.Isa;
using BpfSharp.Loader;
using BpfSharp.Runtime;
using BpfSharp.Runtime.Maps;
using BpfSharp.Tests.Runtime.Maps;

namespace BpfSharp.Tests.Runtime;

/// <summary>Ring buffers, perf event output, queue/stack helpers and bpf_for_each_map_elem driven by programs.</summary>
public class EventHelperTests
{
    private static ulong Run(string text, params BpfMap[] maps)
    {
        var program = new RuntimeProgram(Assembler.Assemble(text, new MapSymbols(maps.Select(m => m.Name).ToArray())), maps, "test");
        return new Interpreter().Run(program).ReturnValue;
    }

    private static BpfMap Map(MapType type, uint key, uint value, uint max, string name) => BpfMapFactory.Create(Specs.Of(type, key, value, max, name: name));

    [Fact]
    public void Reserved_records_reach_the_reader_when_submitted_and_never_when_discarded()
    {
        var rb = (RingBufferMap)Map(MapType.Ringbuf, 0, 0, 4096, "rb");
        ulong r0 = Run("""
            r1 = map[rb] ll
            r2 = 8
            r3 = 0
            call bpf_ringbuf_reserve
            if r0 == 0x0 goto pc+12
            r1 = 0x1122334455667788 ll
            *(u64 *)(r0 +0) = r1
            r1 = r0
            r2 = 0
            call bpf_ringbuf_submit
            r1 = map[rb] ll
            r2 = 16
            r3 = 0
            call bpf_ringbuf_reserve
            if r0 == 0x0 goto pc+3
            r1 = r0
            r2 = 0
            call bpf_ringbuf_discard
            r0 = 1
            exit
            """, rb);
        Assert.Equal(1UL, r0);
        Assert.True(rb.TryRead(out var record));
        Assert.Equal(0x1122334455667788UL, BitConverter.ToUInt64(record));
        Assert.False(rb.TryRead(out _));
    }

    [Fact]
    public void Submitting_what_was_not_reserved_stops_the_run()
    {
        var rb = Map(MapType.Ringbuf, 0, 0, 4096, "rb");
        var program = new RuntimeProgram(Assembler.Assemble("r1 = r10\nr1 += -8\nr2 = 0\ncall bpf_ringbuf_submit\nexit", new MapSymbols(["rb"])), [rb], "test");
        var e = Assert.Throws<BpfRuntimeException>(() => new Interpreter().Run(program));
        Assert.Contains("not a reserved ring buffer record", e.Message);
    }

    [Fact]
    public void Ringbuf_output_copies_stack_bytes_and_query_reports_them()
    {
        var rb = (RingBufferMap)Map(MapType.Ringbuf, 0, 0, 4096, "rb");
        ulong available = Run("""
            r1 = 42
            *(u64 *)(r10 -8) = r1
            r1 = map[rb] ll
            r2 = r10
            r2 += -8
            r3 = 8
            r4 = 0
            call bpf_ringbuf_output
            r1 = map[rb] ll
            r2 = 0
            call bpf_ringbuf_query
            exit
            """, rb);
        Assert.Equal(16UL, available); // an 8-byte header and the 8-byte record
        Assert.True(rb.TryRead(out var record));
        Assert.Equal(42UL, BitConverter.ToUInt64(record));
    }

    [Fact]
    public void Perf_event_output_collects_samples_in_the_current_cpu_slot()
    {
        var events = (PerfEventArrayMap)Map(MapType.PerfEventArray, 4, 4, 2, "events");
        events.Open(0, 0);
        ulong r0 = Run("""
            r6 = r1
            r1 = 7
            *(u32 *)(r10 -4) = r1
            r1 = r6
            r2 = map[events] ll
            r3 = 0xffffffff ll
            r4 = r10
            r4 += -4
            r5 = 4
            call bpf_perf_event_output
            exit
            """, events);
        Assert.Equal(0UL, r0);
        Assert.True(events.TryRead(0, out var sample));
        Assert.Equal(7u, BitConverter.ToUInt32(sample));
    }

    [Fact]
    public void Queue_push_and_pop_through_helpers()
    {
        var queue = Map(MapType.Queue, 0, 4, 4, "q");
        ulong r0 = Run("""
            r1 = 5
            *(u32 *)(r10 -4) = r1
            r1 = map[q] ll
            r2 = r10
            r2 += -4
            r3 = 0
            call bpf_map_push_elem
            r1 = 0
            *(u32 *)(r10 -8) = r1
            r1 = map[q] ll
            r2 = r10
            r2 += -8
            call bpf_map_pop_elem
            r0 = *(u32 *)(r10 -8)
            exit
            """, queue);
        Assert.Equal(5UL, r0);
    }

    [Fact]
    public void For_each_map_elem_visits_every_element_until_the_callback_stops()
    {
        var array = Map(MapType.Array, 4, 8, 5, "arr");
        for (uint i = 0; i < 5; i++) array.UpdateElem(BitConverter.GetBytes(i), BitConverter.GetBytes((ulong)i * 10));
        // The callback (map, key, value, ctx) adds each value to the counter behind ctx and stops after the key 3.
        ulong r0 = Run("""
            r1 = 0
            *(u64 *)(r10 -8) = r1
            r1 = map[arr] ll
            r2 = func[cb] ll
            r3 = r10
            r3 += -8
            r4 = 0
            call bpf_for_each_map_elem
            r1 = *(u64 *)(r10 -8)
            r0 <<= 32
            r0 |= r1
            exit
            cb:
            r1 = *(u64 *)(r4 +0)
            r5 = *(u64 *)(r3 +0)
            r1 += r5
            *(u64 *)(r4 +0) = r1
            r0 = 0
            r1 = *(u32 *)(r2 +0)
            if r1 != 0x3 goto +1
            r0 = 1
            exit
            """, array);
        Assert.Equal((4UL << 32) | 60, r0); // visited keys 0..3: 0 + 10 + 20 + 30
    }
}
