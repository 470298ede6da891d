using BpfSharp.Binary;

namespace BpfSharp.Btf;

/// <summary>
/// Decodes and validates a .BTF blob into a <see cref="BtfSpec"/>: checks the header, then walks the record
/// headers to count types and side records (so every table is allocated once, exactly sized, and every
/// referenced id can be range-checked as it is read), then hands over to <see cref="BtfTypeDecoder"/> for
/// decoding, reference checks and size resolution. All error offsets are byte offsets inside the .BTF data.
/// </summary>
internal static class BtfSpecReader
{
    internal const ushort Magic = 0xEB9F;
    internal const int MinHeaderLength = 24;
    private const int TypeRecordSize = 12;

    public static BtfSpec Read(ReadOnlySpan<byte> data, FormatLocation location)
    {
        var header = new SpanReader(data, location);
        ushort magic = header.ReadUInt16();
        if (magic == 0x9FEB) throw location.Error("big-endian BTF is not supported", 0);
        if (magic != Magic) throw location.Error($"bad BTF magic 0x{magic:x4} (expected 0xeb9f)", 0);
        byte version = header.ReadByte();
        if (version != 1) throw location.Error($"unsupported BTF version {version} (expected 1)", 2);
        header.ReadByte(); // flags: none are defined
        uint headerLength = header.ReadUInt32();
        if (headerLength < MinHeaderLength)
            throw location.Error($"BTF header length {headerLength} is less than {MinHeaderLength}", 4);
        if (headerLength > (uint)data.Length)
            throw location.Error($"BTF header length {headerLength} exceeds the data ({data.Length} bytes)", 4);
        uint typeOff = header.ReadUInt32();
        uint typeLen = header.ReadUInt32();
        uint strOff = header.ReadUInt32();
        uint strLen = header.ReadUInt32();

        // Section offsets count from the end of the header, so neither section can overlap it.
        var (typeStart, typeEnd) = SectionBounds(data.Length, headerLength, typeOff, typeLen, 8, "type", location);
        var (strStart, strEnd) = SectionBounds(data.Length, headerLength, strOff, strLen, 16, "string", location);
        if (typeOff % 4 != 0) throw location.Error($"BTF type section offset {typeOff} is not 4-byte aligned", 8);
        if (typeLen > 0 && strLen > 0 && typeStart < strEnd && strStart < typeEnd)
            throw location.Error("BTF string section overlaps the type section", 16);
        if (strLen == 0) throw location.Error("BTF string section is empty (it must start with a NUL byte)", 20);
        if (data[strStart] != 0) throw location.Error("BTF string section does not start with a NUL byte", strStart);

        var strings = new StringTable(data[strStart..strEnd].ToArray(), location.Advance(strStart));
        var types = data[..typeEnd];
        var counts = Count(types, typeStart, location);
        var decoder = new BtfTypeDecoder(counts, strings, location);
        decoder.Decode(types, typeStart);
        decoder.Check();
        decoder.ResolveSizes();
        return decoder.Build();
    }

    private static (int Start, int End) SectionBounds(int dataLength, uint headerLength, uint off, uint len,
        int fieldOffset, string what, FormatLocation location)
    {
        ulong start = (ulong)headerLength + off;
        if (start > (ulong)dataLength)
            throw location.Error($"BTF {what} section offset {off} is past the end of the data ({dataLength} bytes)", fieldOffset);
        if (start + len > (ulong)dataLength)
            throw location.Error($"BTF {what} section (offset {off}, length {len}) extends past the end of the data ({dataLength} bytes)", fieldOffset + 4);
        return ((int)start, (int)(start + len));
    }

    /// <summary>Bytes of trailing records for a kind, or -1 for a kind number we do not know.</summary>
    private static long TrailingSize(uint kind, uint vlen) => (BtfKind)kind switch
    {
        BtfKind.Int or BtfKind.Var or BtfKind.DeclTag => 4,
        BtfKind.Array => 12,
        BtfKind.Struct or BtfKind.Union or BtfKind.Datasec or BtfKind.Enum64 => 12L * vlen,
        BtfKind.Enum or BtfKind.FuncProto => 8L * vlen,
        BtfKind.Ptr or BtfKind.Fwd or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict
            or BtfKind.Func or BtfKind.Float or BtfKind.TypeTag => 0,
        _ => -1,
    };

    private static BtfTableCounts Count(ReadOnlySpan<byte> types, int typeStart, FormatLocation location)
    {
        var r = new SpanReader(types, location) { Position = typeStart };
        var c = new BtfTableCounts { Types = 1 };
        while (r.Remaining > 0)
        {
            int record = r.Position;
            if (r.Remaining < TypeRecordSize)
                throw location.Error($"truncated BTF type record: {r.Remaining} bytes left in the type section, need {TypeRecordSize}", record);
            r.Skip(4);
            uint info = r.ReadUInt32();
            r.Skip(4);
            uint kind = (info >> 24) & 0x1f, vlen = info & 0xffff;
            long trailing = TrailingSize(kind, vlen);
            if (trailing < 0) throw location.Error($"unknown BTF kind {kind} (type id {c.Types})", record + 4);
            if (trailing > r.Remaining)
                throw location.Error($"BTF {(BtfKind)kind} type id {c.Types} with vlen {vlen} needs {trailing} more bytes, but the type section has {r.Remaining} left", record + 4);
            r.Skip((int)trailing);
            c.Types++;
            switch ((BtfKind)kind)
            {
                case BtfKind.Struct or BtfKind.Union: c.Members += (int)vlen; break;
                case BtfKind.Enum or BtfKind.Enum64: c.EnumValues += (int)vlen; break;
                case BtfKind.FuncProto: c.Params += (int)vlen; break;
                case BtfKind.Datasec: c.DatasecVars += (int)vlen; break;
                case BtfKind.Array: c.Arrays++; break;
            }
        }
        return c;
    }
}
