using System.Buffers.Binary;
using System.Text;
using BpfSharp.Btf;

namespace BpfSharp.Tests.Btf;

/// <summary>
/// Encodes BTF blobs for tests: a 24-byte header, the type records in id order, then the string section.
/// Type methods return the new id; references may name ids that do not exist yet (to build cycles or bad ids).
/// </summary>
internal sealed class BtfBuilder
{
    public const int HeaderLength = 24;

    private readonly List<byte> _strings = [0];
    private readonly Dictionary<string, uint> _stringOffsets = new() { [string.Empty] = 0 };
    private readonly List<uint[]> _types = [];

    /// <summary>The id the next type will get.</summary>
    public uint NextId => (uint)_types.Count + 1;

    /// <summary>Adds (or finds) a string and returns its offset in the string section.</summary>
    public uint AddString(string s)
    {
        if (_stringOffsets.TryGetValue(s, out uint off)) return off;
        off = (uint)_strings.Count;
        _strings.AddRange(Encoding.UTF8.GetBytes(s));
        _strings.Add(0);
        _stringOffsets[s] = off;
        return off;
    }

    /// <summary>Appends raw bytes to the string section (to build unterminated strings).</summary>
    public uint AddRawStringBytes(params byte[] bytes)
    {
        uint off = (uint)_strings.Count;
        _strings.AddRange(bytes);
        return off;
    }

    /// <summary>Adds a type from raw fields.</summary>
    public uint Raw(uint nameOff, uint kind, uint vlen, bool kindFlag, uint sizeOrType, params uint[] trailing)
    {
        uint info = (kindFlag ? 1u << 31 : 0) | (kind & 0x1f) << 24 | (vlen & 0xffff);
        _types.Add([nameOff, info, sizeOrType, .. trailing]);
        return (uint)_types.Count;
    }

    private uint Add(string name, BtfKind kind, uint vlen, bool kindFlag, uint sizeOrType, params uint[] trailing) =>
        Raw(AddString(name), (uint)kind, vlen, kindFlag, sizeOrType, trailing);

    public uint Int(string name, uint size, BtfIntFlags flags = BtfIntFlags.None, uint? bits = null, uint offset = 0) =>
        Add(name, BtfKind.Int, 0, false, size, (uint)flags << 24 | offset << 16 | (bits ?? size * 8));

    public uint Ptr(uint target) => Add("", BtfKind.Ptr, 0, false, target);

    public uint Array(uint element, uint index, uint length) => Add("", BtfKind.Array, 0, false, 0, element, index, length);

    public uint Struct(string name, uint size, params (string Name, uint Type, uint BitOffset)[] members) =>
        Aggregate(BtfKind.Struct, name, size, members);

    public uint Union(string name, uint size, params (string Name, uint Type, uint BitOffset)[] members) =>
        Aggregate(BtfKind.Union, name, size, members);

    private uint Aggregate(BtfKind kind, string name, uint size, (string Name, uint Type, uint BitOffset)[] members) =>
        Add(name, kind, (uint)members.Length, false, size, [.. members.SelectMany(m => new[] { AddString(m.Name), m.Type, m.BitOffset })]);

    /// <summary>A struct with the kind flag: member offsets carry a bitfield size in their top byte.</summary>
    public uint BitfieldStruct(string name, uint size, params (string Name, uint Type, uint BitOffset, uint BitfieldSize)[] members) =>
        Add(name, BtfKind.Struct, (uint)members.Length, true, size,
            [.. members.SelectMany(m => new[] { AddString(m.Name), m.Type, m.BitfieldSize << 24 | m.BitOffset })]);

    public uint Enum(string name, uint size, bool signed, params (string Name, int Value)[] values) =>
        Add(name, BtfKind.Enum, (uint)values.Length, signed, size, [.. values.SelectMany(v => new[] { AddString(v.Name), unchecked((uint)v.Value) })]);

    public uint Enum64(string name, uint size, bool signed, params (string Name, ulong Value)[] values) =>
        Add(name, BtfKind.Enum64, (uint)values.Length, signed, size,
            [.. values.SelectMany(v => new[] { AddString(v.Name), (uint)v.Value, (uint)(v.Value >> 32) })]);

    public uint Fwd(string name, bool union) => Add(name, BtfKind.Fwd, 0, union, 0);

    public uint Typedef(string name, uint target) => Add(name, BtfKind.Typedef, 0, false, target);

    public uint Volatile(uint target) => Add("", BtfKind.Volatile, 0, false, target);

    public uint Const(uint target) => Add("", BtfKind.Const, 0, false, target);

    public uint Restrict(uint target) => Add("", BtfKind.Restrict, 0, false, target);

    public uint TypeTag(string name, uint target) => Add(name, BtfKind.TypeTag, 0, false, target);

    public uint Func(string name, uint proto, BtfFuncLinkage linkage = BtfFuncLinkage.Global) =>
        Add(name, BtfKind.Func, (uint)linkage, false, proto);

    public uint FuncProto(uint returnType, params (string Name, uint Type)[] parameters) =>
        Add("", BtfKind.FuncProto, (uint)parameters.Length, false, returnType, [.. parameters.SelectMany(p => new[] { AddString(p.Name), p.Type })]);

    public uint Var(string name, uint type, BtfVarLinkage linkage = BtfVarLinkage.GlobalAllocated) =>
        Add(name, BtfKind.Var, 0, false, type, (uint)linkage);

    public uint Datasec(string name, uint size, params (uint Type, uint Offset, uint Size)[] vars) =>
        Add(name, BtfKind.Datasec, (uint)vars.Length, false, size, [.. vars.SelectMany(v => new[] { v.Type, v.Offset, v.Size })]);

    public uint Float(string name, uint size) => Add(name, BtfKind.Float, 0, false, size);

    public uint DeclTag(string name, uint target, int component) => Add(name, BtfKind.DeclTag, 0, false, target, unchecked((uint)component));

    /// <summary>Byte offset, in the built blob, of type <paramref name="id"/>'s record.</summary>
    public int TypeOffset(uint id) => HeaderLength + _types.Take((int)id - 1).Sum(t => t.Length * 4);

    /// <summary>Byte offset of the type section's end (the string section follows).</summary>
    public int StringSectionOffset => HeaderLength + _types.Sum(t => t.Length * 4);

    public byte[] Build()
    {
        int typeLen = _types.Sum(t => t.Length * 4);
        var blob = new byte[HeaderLength + typeLen + _strings.Count];
        BinaryPrimitives.WriteUInt16LittleEndian(blob, 0xEB9F);
        blob[2] = 1;
        Put(blob, 4, HeaderLength);
        Put(blob, 8, 0);
        Put(blob, 12, (uint)typeLen);
        Put(blob, 16, (uint)typeLen);
        Put(blob, 20, (uint)_strings.Count);
        int at = HeaderLength;
        foreach (var word in _types.SelectMany(t => t))
        {
            Put(blob, at, word);
            at += 4;
        }
        _strings.CopyTo(blob, at);
        return blob;
    }

    public static void Put(byte[] blob, int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(offset), value);

    public static uint Get(byte[] blob, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(offset));
}
