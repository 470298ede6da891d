using System.Buffers.Binary;

namespace BpfSharp.Runtime.Maps;

/// <summary>
/// Reads the GNU build ID (the NT_GNU_BUILD_ID note, name "GNU") of an ELF file from its PT_NOTE segments, as the
/// kernel does, without loading the whole file. Little-endian ELF64 and ELF32 are read; anything else has none.
/// </summary>
internal static class ElfBuildIdReader
{
    private const uint PtNote = 4, NtGnuBuildId = 3;

    /// <summary>The build ID bytes, or null when the file has none or cannot be read.</summary>
    public static byte[]? Read(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
            Span<byte> header = stackalloc byte[64];
            if (file.Read(header) < 52 || header[0] != 0x7f || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F' || header[5] != 1)
                return null;
            bool is64 = header[4] == 2;
            ulong phoff = is64 ? BinaryPrimitives.ReadUInt64LittleEndian(header[32..]) : BinaryPrimitives.ReadUInt32LittleEndian(header[28..]);
            int phentsize = BinaryPrimitives.ReadUInt16LittleEndian(header[(is64 ? 54 : 42)..]);
            int phnum = BinaryPrimitives.ReadUInt16LittleEndian(header[(is64 ? 56 : 44)..]);
            if (phnum == 0 || phentsize < (is64 ? 56 : 32) || phnum > 4096) return null;
            var headers = ReadAt(file, (long)phoff, phentsize * phnum);
            if (headers is null) return null;
            for (int i = 0; i < phnum; i++)
            {
                var ph = headers.AsSpan(i * phentsize, phentsize);
                if (BinaryPrimitives.ReadUInt32LittleEndian(ph) != PtNote) continue;
                ulong offset = is64 ? BinaryPrimitives.ReadUInt64LittleEndian(ph[8..]) : BinaryPrimitives.ReadUInt32LittleEndian(ph[4..]);
                ulong size = is64 ? BinaryPrimitives.ReadUInt64LittleEndian(ph[32..]) : BinaryPrimitives.ReadUInt32LittleEndian(ph[16..]);
                if (size > 1 << 20) continue;
                if (ReadAt(file, (long)offset, (int)size) is { } notes && FindBuildId(notes) is { } id) return id;
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The descriptor of the first GNU build-ID note in a note area, or null.</summary>
    public static byte[]? FindBuildId(ReadOnlySpan<byte> notes)
    {
        int position = 0;
        while (position + 12 <= notes.Length)
        {
            uint nameSize = BinaryPrimitives.ReadUInt32LittleEndian(notes[position..]);
            uint descSize = BinaryPrimitives.ReadUInt32LittleEndian(notes[(position + 4)..]);
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(notes[(position + 8)..]);
            long nameStart = position + 12, descStart = nameStart + ((nameSize + 3) & ~3u), next = descStart + ((descSize + 3) & ~3u);
            if (descStart + descSize > notes.Length) return null;
            if (type == NtGnuBuildId && nameSize == 4 && notes.Slice((int)nameStart, 4).SequenceEqual("GNU\0"u8) && descSize is > 0 and <= StackBuildId.BuildIdSize)
                return notes.Slice((int)descStart, (int)descSize).ToArray();
            position = (int)next;
        }
        return null;
    }

    private static byte[]? ReadAt(FileStream file, long offset, int count)
    {
        if (offset < 0 || count < 0 || offset + count > file.Length) return null;
        var buffer = new byte[count];
        file.Position = offset;
        file.ReadExactly(buffer);
        return buffer;
    }
}
