namespace BpfSharp.Runtime;

/// <summary>
/// A piece of managed memory handed to a running program (a map value, a ringbuf record, a packet): an array
/// slice that stays valid for as long as the program may hold a pointer into it. The runtime maps it as a
/// region, so every access through the pointer is checked against <see cref="Length"/>.
/// </summary>
/// <param name="Array">The backing array; never reallocated while the slice is in use.</param>
/// <param name="Offset">Where the slice starts in <paramref name="Array"/>.</param>
/// <param name="Length">Its length in bytes.</param>
public readonly record struct MemorySlice(byte[] Array, int Offset, int Length)
{
    /// <summary>The slice as a span.</summary>
    public Span<byte> Span => Array.AsSpan(Offset, Length);

    /// <summary>A slice over a whole array.</summary>
    public static MemorySlice Of(byte[] array) => new(array, 0, array.Length);
}
