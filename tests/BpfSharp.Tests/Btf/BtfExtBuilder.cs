using System.Buffers.Binary;

namespace BpfSharp.Tests.Btf;

/// <summary>
/// Encodes .BTF.ext blobs for tests. Strings (section names, file names, access strings) are added to the
/// <see cref="BtfBuilder"/> as records are added, so build the BTF after adding them. Records longer than the known fields are
/// padded with 0xCC so that a reader which does not skip them properly trips.
/// </summary>
internal sealed class BtfExtBuilder(BtfBuilder btf)
{
    private readonly List<(string Section, uint[] Record)> _funcs = [];
    private readonly List<(string Section, uint[] Record)> _lines = [];
    private readonly List<(string Section, uint[] Record)> _relos = [];

    public uint FuncRecordSize { get; set; } = 8;
    public uint LineRecordSize { get; set; } = 16;
    public uint CoreRecordSize { get; set; } = 16;

    /// <summary>Whether the header has the CO-RE off/len pair (32 bytes) or not (24 bytes).</summary>
    public bool WithCore { get; set; } = true;

    public int HeaderLength => WithCore ? 32 : 24;

    public void Func(string section, uint insnByteOffset, uint typeId) => _funcs.Add((Section(section), [insnByteOffset, typeId]));

    public void Line(string section, uint insnByteOffset, string file, string line, uint lineNumber, uint column) =>
        _lines.Add((Section(section), [insnByteOffset, btf.AddString(file), btf.AddString(line), lineNumber << 10 | column]));

    public void Core(string section, uint insnByteOffset, uint typeId, string access, uint kind) =>
        _relos.Add((Section(section), [insnByteOffset, typeId, btf.AddString(access), kind]));

    private string Section(string name)
    {
        btf.AddString(name);
        return name;
    }

    /// <summary>Byte offsets of the three blocks (their record-size word) in the built blob.</summary>
    public (int Func, int Line, int Core) BlockOffsets { get; private set; }

    public byte[] Build()
    {
        var func = Block(_funcs, FuncRecordSize);
        var line = Block(_lines, LineRecordSize);
        var core = WithCore ? Block(_relos, CoreRecordSize) : [];
        var blob = new byte[HeaderLength + func.Length + line.Length + core.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(blob, 0xEB9F);
        blob[2] = 1;
        BtfBuilder.Put(blob, 4, (uint)HeaderLength);
        BtfBuilder.Put(blob, 8, 0);
        BtfBuilder.Put(blob, 12, (uint)func.Length);
        BtfBuilder.Put(blob, 16, (uint)func.Length);
        BtfBuilder.Put(blob, 20, (uint)line.Length);
        if (WithCore)
        {
            BtfBuilder.Put(blob, 24, (uint)(func.Length + line.Length));
            BtfBuilder.Put(blob, 28, (uint)core.Length);
        }
        func.CopyTo(blob, HeaderLength);
        line.CopyTo(blob, HeaderLength + func.Length);
        core.CopyTo(blob, HeaderLength + func.Length + line.Length);
        BlockOffsets = (HeaderLength, HeaderLength + func.Length, HeaderLength + func.Length + line.Length);
        return blob;
    }

    private byte[] Block(List<(string Section, uint[] Record)> records, uint recordSize)
    {
        if (records.Count == 0) return [];
        var bytes = new List<byte>();
        void Word(uint v) => bytes.AddRange(BitConverter.GetBytes(v));
        Word(recordSize);
        foreach (var group in records.GroupBy(r => r.Section))
        {
            Word(btf.AddString(group.Key));
            Word((uint)group.Count());
            foreach (var (_, record) in group)
            {
                foreach (var w in record) Word(w);
                for (int pad = record.Length * 4; pad < recordSize; pad++) bytes.Add(0xCC);
            }
        }
        return [.. bytes];
    }
}
