using System.Buffers.Binary;

namespace BpfSharp.Tests.Runtime.Maps;

/// <summary>
/// The build ID a file's .note.gnu.build-id section holds, found through the section headers: a route
/// independent of the resolver's (which reads PT_NOTE program headers), to check it against.
/// </summary>
internal static class ElfNotes
{
    public static byte[]? BuildIdFromSection(string path)
    {
        var data = File.ReadAllBytes(path);
        ulong shoff = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(0x28));
        int shentsize = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(0x3a));
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(0x3c));
        int shstrndx = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(0x3e));
        Span<byte> Header(int i) => data.AsSpan((int)shoff + i * shentsize, shentsize);
        int names = (int)BinaryPrimitives.ReadUInt64LittleEndian(Header(shstrndx)[0x18..]);
        for (int i = 0; i < shnum; i++)
        {
            var h = Header(i);
            int nameOffset = names + (int)BinaryPrimitives.ReadUInt32LittleEndian(h);
            int end = Array.IndexOf(data, (byte)0, nameOffset);
            if (System.Text.Encoding.ASCII.GetString(data, nameOffset, end - nameOffset) != ".note.gnu.build-id") continue;
            int offset = (int)BinaryPrimitives.ReadUInt64LittleEndian(h[0x18..]);
            int nameSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset));
            int descSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset + 4));
            return data.AsSpan(offset + 12 + ((nameSize + 3) & ~3), descSize).ToArray();
        }
        return null;
    }
}
