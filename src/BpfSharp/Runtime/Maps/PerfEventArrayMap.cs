using System.Buffers.Binary;
using BpfSharp.Loader;

namespace BpfSharp.Runtime.Maps;

/// <summary>
/// BPF_MAP_TYPE_PERF_EVENT_ARRAY: slots holding per-CPU perf buffers (the kernel holds perf event descriptors).
/// User space opens a slot with <see cref="Open"/> (libbpf's perf_buffer opens slot i for CPU i); a program's
/// bpf_perf_event_output goes through <see cref="Output"/> and user space reads with <see cref="TryRead"/>.
/// </summary>
public sealed class PerfEventArrayMap : BpfMap
{
    private readonly PerfEventBuffer?[] _slots;

    /// <summary>Creates the map; sizes are assumed valid (see <see cref="BpfMapFactory"/>).</summary>
    public PerfEventArrayMap(MapSpec spec) : base(spec)
    {
        _slots = new PerfEventBuffer?[spec.MaxEntries];
    }

    /// <summary>Puts a buffer of <paramref name="capacity"/> bytes for <paramref name="cpu"/> in slot <paramref name="index"/>: 0 or -E2BIG.</summary>
    public int Open(uint index, int cpu, int capacity = 64 * 4096)
    {
        if (index >= MaxEntries) return MapErrno.E2BIG;
        _slots[index] = new PerfEventBuffer(cpu, capacity);
        return 0;
    }

    /// <summary>The buffer in slot <paramref name="index"/>, or null.</summary>
    public PerfEventBuffer? Buffer(uint index) => index < MaxEntries ? _slots[index] : null;

    /// <summary>
    /// bpf_perf_event_output from a program running on <paramref name="cpu"/>: flags hold the slot index
    /// (BPF_F_CURRENT_CPU for the running CPU) and, for skb/xdp programs, in BPF_F_CTXLEN_MASK the number of
    /// <paramref name="context"/> bytes to append. 0, -EINVAL (flags), -E2BIG (index), -ENOENT (no buffer),
    /// -EOPNOTSUPP (the buffer is another CPU's), -EFAULT (more context than there is), -ENOSPC (buffer full:
    /// the sample is lost).
    /// </summary>
    public int Output(int cpu, ulong flags, ReadOnlySpan<byte> data, ReadOnlySpan<byte> context = default)
    {
        if ((flags & ~(MapFlags.PerfIndexMask | MapFlags.PerfContextLengthMask)) != 0) return MapErrno.EINVAL;
        ulong index = flags & MapFlags.PerfIndexMask;
        if (index == MapFlags.PerfCurrentCpu) index = (ulong)cpu;
        if (index >= MaxEntries) return MapErrno.E2BIG;
        var buffer = _slots[index];
        if (buffer is null) return MapErrno.ENOENT;
        if (buffer.Cpu != cpu) return MapErrno.EOPNOTSUPP;
        int contextLength = (int)((flags & MapFlags.PerfContextLengthMask) >> 32);
        if (contextLength > context.Length) return MapErrno.EFAULT;
        return buffer.TryAppend(data, context[..contextLength]) ? 0 : MapErrno.ENOSPC;
    }

    /// <summary>Reads the oldest sample of slot <paramref name="index"/>; false when there is none.</summary>
    public bool TryRead(uint index, out byte[] sample)
    {
        if (Buffer(index) is { } buffer) return buffer.TryRead(out sample);
        sample = [];
        return false;
    }

    /// <summary>Programs cannot look perf event arrays up.</summary>
    public override bool TryLookup(ReadOnlySpan<byte> key, int cpu, out MemorySlice value)
    {
        value = default;
        return false;
    }

    /// <summary>-EOPNOTSUPP: programs output instead.</summary>
    public override int Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags, int cpu) => MapErrno.EOPNOTSUPP;

    /// <summary>Closes a slot: 0, -E2BIG (index), -ENOENT (empty).</summary>
    public override int Delete(ReadOnlySpan<byte> key) => ClearSlot(_slots, key);

    /// <inheritdoc/>
    protected override int GetNextKeyCore(ReadOnlySpan<byte> key, Span<byte> nextKey) => NextIndexKey(key, nextKey);
}
