using System.Collections.ObjectModel;
using BpfSharp.Binary;

namespace BpfSharp.Btf;

/// <summary>
/// Decodes .BTF.ext. Each info block is a u32 record size followed by groups of (section name offset, record
/// count, records). All error offsets are byte offsets inside the .BTF.ext data.
/// </summary>
internal static class BtfExtReader
{
    private const int MinHeaderLength = 24; // through line_info_len
    private const int CoreHeaderLength = 32; // through core_relo_len
    private const int FuncInfoSize = 8, LineInfoSize = 16, CoreReloSize = 16;
    private const int InstructionSize = 8;

    public static BtfExt Read(ReadOnlySpan<byte> data, BtfSpec btf, FormatLocation location)
    {
        var header = new SpanReader(data, location);
        ushort magic = header.ReadUInt16();
        if (magic == 0x9FEB) throw location.Error("big-endian BTF.ext is not supported", 0);
        if (magic != BtfSpecReader.Magic) throw location.Error($"bad BTF.ext magic 0x{magic:x4} (expected 0xeb9f)", 0);
        byte version = header.ReadByte();
        if (version != 1) throw location.Error($"unsupported BTF.ext version {version} (expected 1)", 2);
        header.ReadByte(); // flags: none are defined
        uint headerLength = header.ReadUInt32();
        if (headerLength < MinHeaderLength)
            throw location.Error($"BTF.ext header length {headerLength} is less than {MinHeaderLength}", 4);
        if (headerLength > (uint)data.Length)
            throw location.Error($"BTF.ext header length {headerLength} exceeds the data ({data.Length} bytes)", 4);

        var funcs = new Dictionary<string, List<BtfFuncInfo>>();
        foreach (var (section, start, count, size) in Groups(data, headerLength, 8, "func_info", FuncInfoSize, btf, location))
        {
            var list = ListFor(funcs, section, count);
            for (int i = 0, at = start; i < count; i++, at += size)
            {
                var r = new SpanReader(data, location) { Position = at };
                int insn = InstructionIndex(r.ReadUInt32(), at, location);
                uint type = r.ReadUInt32();
                if (type >= (uint)btf.Count || btf.KindOf(type) != BtfKind.Func)
                    throw location.Error($"func_info type id {type} is not a BTF func", at + 4);
                list.Add(new BtfFuncInfo(insn, type));
            }
        }

        var lines = new Dictionary<string, List<BtfLineInfo>>();
        foreach (var (section, start, count, size) in Groups(data, headerLength, 16, "line_info", LineInfoSize, btf, location))
        {
            var list = ListFor(lines, section, count);
            for (int i = 0, at = start; i < count; i++, at += size)
            {
                var r = new SpanReader(data, location) { Position = at };
                int insn = InstructionIndex(r.ReadUInt32(), at, location);
                uint fileOffset = r.ReadUInt32();
                string file = String(btf, fileOffset, at + 4, "line_info file name", location);
                uint lineOffset = r.ReadUInt32();
                string line = String(btf, lineOffset, at + 8, "line_info line text", location);
                uint lineCol = r.ReadUInt32();
                list.Add(new BtfLineInfo(insn, file, line, lineCol >> 10, lineCol & 0x3ff, fileOffset, lineOffset));
            }
        }

        var relocations = new Dictionary<string, List<BtfCoreRelocation>>();
        if (headerLength >= CoreHeaderLength)
        {
            foreach (var (section, start, count, size) in Groups(data, headerLength, 24, "core_relo", CoreReloSize, btf, location))
            {
                var list = ListFor(relocations, section, count);
                for (int i = 0, at = start; i < count; i++, at += size)
                {
                    var r = new SpanReader(data, location) { Position = at };
                    int insn = InstructionIndex(r.ReadUInt32(), at, location);
                    uint type = r.ReadUInt32();
                    if (type >= (uint)btf.Count)
                        throw location.Error($"CO-RE relocation type id {type} is out of range (the BTF has {btf.Count} ids)", at + 4);
                    uint accessOffset = r.ReadUInt32();
                    string access = String(btf, accessOffset, at + 8, "CO-RE access string", location);
                    uint kind = r.ReadUInt32();
                    if (kind > (uint)BtfCoreRelocationKind.TypeMatches)
                        throw location.Error($"unknown CO-RE relocation kind {kind}", at + 12);
                    list.Add(new BtfCoreRelocation(insn, type, access, (BtfCoreRelocationKind)kind, accessOffset));
                }
            }
        }

        return new BtfExt(Freeze(funcs), Freeze(lines), Freeze(relocations));
    }

    /// <summary>
    /// Validates one info block (located by the off/len pair at <paramref name="fieldOffset"/> in the header) and
    /// lists its groups: section name, offset of the first record, record count and record size.
    /// </summary>
    private static List<(string Section, int Start, int Count, int RecordSize)> Groups(ReadOnlySpan<byte> data,
        uint headerLength, int fieldOffset, string what, int minRecordSize, BtfSpec btf, FormatLocation location)
    {
        var groups = new List<(string, int, int, int)>();
        var header = new SpanReader(data, location) { Position = fieldOffset };
        uint off = header.ReadUInt32(), len = header.ReadUInt32();
        if (len == 0) return groups;
        if (off % 4 != 0) throw location.Error($"BTF.ext {what} offset {off} is not 4-byte aligned", fieldOffset);
        ulong start = (ulong)headerLength + off;
        if (start > (ulong)data.Length)
            throw location.Error($"BTF.ext {what} offset {off} is past the end of the data ({data.Length} bytes)", fieldOffset);
        if (start + len > (ulong)data.Length)
            throw location.Error($"BTF.ext {what} (offset {off}, length {len}) extends past the end of the data ({data.Length} bytes)", fieldOffset + 4);
        if (len < 4) throw location.Error($"BTF.ext {what} length {len} leaves no room for the record size", fieldOffset + 4);

        int end = (int)(start + len);
        var r = new SpanReader(data[..end], location) { Position = (int)start };
        uint recordSize = r.ReadUInt32();
        // Newer compilers may append fields; fewer than ours, or a size that breaks u32 alignment, is corrupt.
        if (recordSize < minRecordSize || recordSize % 4 != 0)
            throw location.Error($"BTF.ext {what} record size {recordSize} is invalid (at least {minRecordSize}, a multiple of 4)", (long)start);
        while (r.Remaining > 0)
        {
            int at = r.Position;
            if (r.Remaining < 8)
                throw location.Error($"truncated BTF.ext {what} section header: {r.Remaining} bytes left, need 8", at);
            string section = String(btf, r.ReadUInt32(), at, $"BTF.ext {what} section name", location);
            uint count = r.ReadUInt32();
            if ((ulong)count * recordSize > (ulong)r.Remaining)
                throw location.Error($"BTF.ext {what} for section '{section}' has {count} records of {recordSize} bytes, but only {r.Remaining} bytes remain", at + 4);
            groups.Add((section, r.Position, (int)count, (int)recordSize));
            r.Skip((int)(count * recordSize));
        }
        return groups;
    }

    private static int InstructionIndex(uint byteOffset, int fieldOffset, FormatLocation location)
    {
        if (byteOffset % InstructionSize != 0)
            throw location.Error($"instruction offset {byteOffset} is not a multiple of {InstructionSize}", fieldOffset);
        return (int)(byteOffset / InstructionSize);
    }

    private static string String(BtfSpec btf, uint offset, int fieldOffset, string what, FormatLocation location) =>
        btf.StringAt(offset) ?? throw location.Error($"{what} offset {offset} is not a valid string in the BTF string section", fieldOffset);

    private static List<T> ListFor<T>(Dictionary<string, List<T>> map, string section, int count)
    {
        if (!map.TryGetValue(section, out var list))
        {
            list = new List<T>(count);
            map.Add(section, list);
        }
        return list;
    }

    private static ReadOnlyDictionary<string, IReadOnlyList<T>> Freeze<T>(Dictionary<string, List<T>> map) =>
        new(map.ToDictionary(p => p.Key, p => (IReadOnlyList<T>)p.Value.AsReadOnly()));
}
