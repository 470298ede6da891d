using BpfSharp.Kernel;
using BpfSharp.Runtime.Maps;

namespace BpfSharp.Runtime;

/// <summary>
/// Helpers that hand data out of a program or walk maps: ring buffers (reserve/submit/discard/output/query),
/// perf event output, queue/stack/bloom push, pop and peek, and bpf_for_each_map_elem.
/// </summary>
public static class EventHelpers
{
    private const uint ContextLengthShift = 32;

    /// <summary>Every helper of this group.</summary>
    public static IReadOnlyList<HelperFunction> All { get; } =
    [
        new(25, "bpf_perf_event_output", PerfEventOutput),
        new(87, "bpf_map_push_elem", (x, in a) => HelperReturn.Of(x.MapArgument(a.R1, a.InstructionIndex).Push(Value(x, a, a.R2, write: false), a.R3))),
        new(88, "bpf_map_pop_elem", (x, in a) => HelperReturn.Of(x.MapArgument(a.R1, a.InstructionIndex).Pop(Value(x, a, a.R2, write: true)))),
        new(89, "bpf_map_peek_elem", (x, in a) => HelperReturn.Of(x.MapArgument(a.R1, a.InstructionIndex).Peek(Value(x, a, a.R2, write: true)))),
        new(130, "bpf_ringbuf_output", RingbufOutput),
        new(131, "bpf_ringbuf_reserve", RingbufReserve),
        new(132, "bpf_ringbuf_submit", (x, in a) => RingbufCommit(x, a, discard: false)),
        new(133, "bpf_ringbuf_discard", (x, in a) => RingbufCommit(x, a, discard: true)),
        new(134, "bpf_ringbuf_query", (x, in a) => Ringbuf(x, a).Query(a.R2)),
        new(164, "bpf_for_each_map_elem", ForEachMapElement),
    ];

    private static Span<byte> Value(BpfExecution x, in HelperArguments a, ulong address, bool write)
    {
        var map = x.MapArgument(a.R1, a.InstructionIndex);
        return x.Memory.GetSpan(address, (int)map.ValueSize, write, a.InstructionIndex);
    }

    private static RingBufferMap Ringbuf(BpfExecution x, in HelperArguments a) =>
        x.MapArgument(a.R1, a.InstructionIndex) as RingBufferMap
        ?? throw new BpfRuntimeException(a.InstructionIndex, "R1 is not a ring buffer map");

    private static ulong PerfEventOutput(BpfExecution x, in HelperArguments a)
    {
        if (x.MapArgument(a.R2, a.InstructionIndex, "R2") is not PerfEventArrayMap map)
            throw new BpfRuntimeException(a.InstructionIndex, "R2 is not a perf event array");
        var data = x.Memory.GetSpan(a.R4, (int)(uint)a.R5, false, a.InstructionIndex);
        // Packet programs may append bytes of the packet (the upper 32 bits of flags say how many).
        ReadOnlySpan<byte> context = (a.R3 >> (int)ContextLengthShift) != 0 && x.Environment.Packet is { } packet ? packet.Data : default;
        return HelperReturn.Of(map.Output(x.Options.Cpu, a.R3, data, context));
    }

    private static ulong RingbufOutput(BpfExecution x, in HelperArguments a)
    {
        var map = Ringbuf(x, a);
        var data = x.Memory.GetSpan(a.R2, (int)(uint)a.R3, false, a.InstructionIndex);
        return HelperReturn.Of(map.Output(data, a.R4));
    }

    private static ulong RingbufReserve(BpfExecution x, in HelperArguments a)
    {
        var map = Ringbuf(x, a);
        if (!map.Reserve(a.R2, a.R3, out var sample)) return 0;
        int region = x.Memory.Add(sample, MemoryRegionKind.RingbufRecord, $"record of ring buffer {map.Name}", writable: true);
        x.Environment.Reserved(region, map);
        return AddressSpace.AddressOf(region);
    }

    private static ulong RingbufCommit(BpfExecution x, in HelperArguments a, bool discard)
    {
        int region = AddressSpace.RegionIndexOf(a.R1);
        var map = x.Environment.Release(region);
        if (map is null || AddressSpace.AddressOf(region) != a.R1)
            throw new BpfRuntimeException(a.InstructionIndex, $"R1 {AddressSpace.Hex(a.R1)} is not a reserved ring buffer record ({x.Memory.Describe(a.R1)})");
        var sample = x.Memory[region].Slice;
        if (discard) map.Discard(sample, a.R2);
        else map.Submit(sample, a.R2);
        return 0;
    }

    private static ulong ForEachMapElement(BpfExecution x, in HelperArguments a)
    {
        var map = x.MapArgument(a.R1, a.InstructionIndex);
        if (a.R4 != 0) return HelperReturn.Of(-Errno.EINVAL);
        ulong handle = a.R1;
        byte[]? previous = null;
        ulong visited = 0;
        while (true)
        {
            var key = new byte[map.KeySize];
            if (map.GetNextKey(previous, key) != 0) break;
            previous = key;
            if (!map.TryLookup(key, x.Options.Cpu, out var value)) continue;
            ulong keyAddress = x.Memory.Map(MemorySlice.Of(key), MemoryRegionKind.HelperMemory, $"key of map {map.Name}", writable: false);
            ulong valueAddress = x.Memory.Map(value, MemoryRegionKind.MapValue, map.ValueRegionName, writable: true);
            visited++;
            // The callback returns 0 to go on and 1 to stop.
            if (x.CallFunction(a.R2, a.InstructionIndex, handle, keyAddress, valueAddress, a.R3) != 0) break;
        }
        return visited;
    }
}
