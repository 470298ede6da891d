using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace BpfSharp.Binary;

/// <summary>
/// A little-endian cursor over a byte span, in the manner of System.Reflection.Metadata's BlobReader: every
/// read is one unsigned bounds compare, and every failure is a <see cref="BpfFormatException"/> naming the
/// file, section and offset. It never allocates.
/// </summary>
public ref struct SpanReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    /// <summary>Creates a reader over <paramref name="data"/>, reporting errors at <paramref name="location"/>.</summary>
    public SpanReader(ReadOnlySpan<byte> data, FormatLocation location)
    {
        _data = data;
        _position = 0;
        Location = location;
    }

    /// <summary>Where the reader's bytes come from.</summary>
    public FormatLocation Location { get; }

    /// <summary>Current position, in bytes from the start of the span.</summary>
    public int Position
    {
        readonly get => _position;
        set
        {
            if ((uint)value > (uint)_data.Length) throw Location.Error($"seek to {value} is past the end ({_data.Length} bytes)", value);
            _position = value;
        }
    }

    /// <summary>Total length of the span.</summary>
    public readonly int Length => _data.Length;

    /// <summary>Bytes left after the current position.</summary>
    public readonly int Remaining => _data.Length - _position;

    /// <summary>Reads one byte.</summary>
    public byte ReadByte() => Take(1)[0];

    /// <summary>Reads a little-endian 16-bit unsigned integer.</summary>
    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    /// <summary>Reads a little-endian 32-bit unsigned integer.</summary>
    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    /// <summary>Reads a little-endian 32-bit signed integer.</summary>
    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    /// <summary>Reads a little-endian 64-bit unsigned integer.</summary>
    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    /// <summary>Reads a little-endian 64-bit signed integer.</summary>
    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    /// <summary>Returns the next <paramref name="count"/> bytes and moves past them.</summary>
    public ReadOnlySpan<byte> ReadBytes(int count) => Take(count);

    /// <summary>Moves past <paramref name="count"/> bytes.</summary>
    public void Skip(int count) => Take(count);

    /// <summary>
    /// A span of <paramref name="length"/> bytes at <paramref name="offset"/>, checked against the whole span
    /// (not the cursor). <paramref name="what"/> names the thing for the error message.
    /// </summary>
    public readonly ReadOnlySpan<byte> Slice(ulong offset, ulong length, string what)
    {
        if (offset > (ulong)_data.Length || length > (ulong)_data.Length - offset)
        {
            throw Location.Error($"{what} (offset 0x{offset:x}, size 0x{length:x}) extends past the end of the data ({_data.Length} bytes)",
                offset > (ulong)_data.Length ? _data.Length : (long)offset);
        }
        return _data.Slice((int)offset, (int)length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Take(int count)
    {
        if ((uint)count > (uint)(_data.Length - _position)) ThrowTruncated(count);
        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowTruncated(int count) =>
        throw Location.Error($"truncated: need {count} bytes, {Math.Max(0, _data.Length - _position)} left", _position);
}
