using System.Buffers.Binary;

namespace BpfSharp.Kernel;

/// <summary>
/// A zeroed union bpf_attr being filled in: little-endian fields at the UAPI offsets. 160 bytes covers every
/// field BpfSharp sets on Linux 6.18; the kernel accepts a smaller attr than its own as long as it is whole.
/// </summary>
internal ref struct BpfAttr
{
    public const int Size = 152;

    private readonly Span<byte> _bytes;

    public BpfAttr(Span<byte> bytes)
    {
        _bytes = bytes[..Size];
        _bytes.Clear();
    }

    public readonly Span<byte> Bytes => _bytes;

    public readonly void U32(int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(_bytes[offset..], value);

    public readonly void U64(int offset, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(_bytes[offset..], value);

    public readonly unsafe void Pointer(int offset, void* pointer) => U64(offset, (ulong)pointer);

    public readonly uint ReadU32(int offset) => BinaryPrimitives.ReadUInt32LittleEndian(_bytes[offset..]);

    /// <summary>Writes a NUL-padded object name (16 bytes, at most 15 characters).</summary>
    public readonly void Name(int offset, string name)
    {
        var target = _bytes.Slice(offset, 16);
        for (int i = 0; i < name.Length && i < 15; i++) target[i] = (byte)name[i];
    }
}
