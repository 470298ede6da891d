namespace BpfSharp.Runtime.Maps;

/// <summary>
/// The per-CPU perf buffer a perf event array slot points at: samples in arrival order within a byte budget like
/// the perf ring's (each sample costs an 8-byte perf_event_header, a u32 size and the data, padded to 8). A sample
/// that does not fit is lost and counted, as perf reports PERF_RECORD_LOST.
/// </summary>
public sealed class PerfEventBuffer
{
    private readonly Queue<byte[]> _samples = new();

    /// <summary>Creates a buffer of <paramref name="capacity"/> bytes bound to <paramref name="cpu"/>.</summary>
    public PerfEventBuffer(int cpu, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cpu);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 16);
        Cpu = cpu;
        Capacity = capacity;
    }

    /// <summary>The CPU whose events the buffer receives.</summary>
    public int Cpu { get; }

    /// <summary>Its size in bytes.</summary>
    public int Capacity { get; }

    /// <summary>Bytes held by unread samples.</summary>
    public int Used { get; private set; }

    /// <summary>Samples lost because the buffer was full.</summary>
    public long Lost { get; private set; }

    /// <summary>The bytes one sample of <paramref name="size"/> bytes takes.</summary>
    public static int SampleCost(int size) => (8 + 4 + size + 7) & ~7;

    internal bool TryAppend(ReadOnlySpan<byte> data, ReadOnlySpan<byte> context)
    {
        int cost = SampleCost(data.Length + context.Length);
        if (Used + cost > Capacity)
        {
            Lost++;
            return false;
        }
        var sample = new byte[data.Length + context.Length];
        data.CopyTo(sample);
        context.CopyTo(sample.AsSpan(data.Length));
        _samples.Enqueue(sample);
        Used += cost;
        return true;
    }

    /// <summary>Reads the oldest sample; false when there is none.</summary>
    public bool TryRead(out byte[] sample)
    {
        if (!_samples.TryDequeue(out sample!))
        {
            sample = [];
            return false;
        }
        Used -= SampleCost(sample.Length);
        return true;
    }
}
