using BpfSharp.Binary;

namespace BpfSharp.Btf;

/// <summary>
/// The decoding and checking passes of <see cref="BtfSpecReader"/>: fills exactly sized tables from the type
/// section, then checks how types refer to each other and resolves sizes. Error offsets are inside the .BTF data.
/// </summary>
internal sealed class BtfTypeDecoder
{
    private const int PointerSize = 8;
    private readonly BtfTypeEntry[] _types;
    private readonly BtfMember[] _members;
    private readonly BtfParam[] _params;
    private readonly BtfEnumValue[] _enumValues;
    private readonly BtfDatasecVar[] _datasecVars;
    private readonly BtfArrayInfo[] _arrays;
    private readonly StringTable _strings;
    private readonly FormatLocation _location;

    public BtfTypeDecoder(BtfTableCounts counts, StringTable strings, FormatLocation location)
    {
        _types = new BtfTypeEntry[counts.Types];
        _members = new BtfMember[counts.Members];
        _params = new BtfParam[counts.Params];
        _enumValues = new BtfEnumValue[counts.EnumValues];
        _datasecVars = new BtfDatasecVar[counts.DatasecVars];
        _arrays = new BtfArrayInfo[counts.Arrays];
        _strings = strings;
        _location = location;
        _types[0] = new BtfTypeEntry { Name = string.Empty, RecordOffset = -1, Kind = BtfKind.Void };
    }

    public BtfSpec Build() => new(_types, _members, _params, _enumValues, _datasecVars, _arrays, _strings);

    public void Decode(ReadOnlySpan<byte> types, int typeStart)
    {
        var r = new SpanReader(types, _location) { Position = typeStart };
        int members = 0, parameters = 0, enumValues = 0, datasecVars = 0, arrays = 0;
        for (int id = 1; id < _types.Length; id++)
        {
            ref var e = ref _types[id];
            int record = r.Position;
            e.RecordOffset = record;
            e.Name = Name(r.ReadUInt32(), record);
            uint info = r.ReadUInt32();
            e.Kind = (BtfKind)((info >> 24) & 0x1f);
            e.Vlen = (ushort)info;
            e.KindFlag = (info >> 31) != 0;
            e.SizeOrType = r.ReadUInt32();
            switch (e.Kind)
            {
                case BtfKind.Int:
                    e.Extra = r.ReadUInt32();
                    CheckInt(e.Extra, e.SizeOrType, record + 12);
                    break;
                case BtfKind.Ptr or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict
                    or BtfKind.TypeTag or BtfKind.FuncProto:
                    Ref(e.SizeOrType, record + 8);
                    break;
                case BtfKind.Func:
                    Ref(e.SizeOrType, record + 8);
                    if (e.Vlen > (int)BtfFuncLinkage.Extern)
                        throw _location.Error($"BTF func type id {id} has unknown linkage {e.Vlen}", record + 4);
                    break;
                case BtfKind.Var:
                    Ref(e.SizeOrType, record + 8);
                    e.Extra = r.ReadUInt32();
                    if (e.Extra > (uint)BtfVarLinkage.GlobalExtern)
                        throw _location.Error($"BTF var type id {id} has unknown linkage {e.Extra}", record + 12);
                    break;
                case BtfKind.DeclTag:
                    Ref(e.SizeOrType, record + 8);
                    e.Extra = r.ReadUInt32();
                    if ((int)e.Extra < -1)
                        throw _location.Error($"BTF decl_tag type id {id} has component index {(int)e.Extra} (must be -1 or more)", record + 12);
                    break;
                case BtfKind.Array:
                    e.First = arrays;
                    _arrays[arrays++] = new BtfArrayInfo(Ref(r.ReadUInt32(), record + 12), Ref(r.ReadUInt32(), record + 16), r.ReadUInt32());
                    break;
            }

            int count = e.Vlen;
            switch (e.Kind)
            {
                case BtfKind.Struct or BtfKind.Union:
                    e.First = members;
                    for (int i = 0; i < count; i++)
                    {
                        int at = r.Position;
                        string name = Name(r.ReadUInt32(), at);
                        uint type = Ref(r.ReadUInt32(), at + 4);
                        uint offset = r.ReadUInt32();
                        _members[members++] = e.KindFlag
                            ? new BtfMember(name, type, offset & 0xffffff, (byte)(offset >> 24))
                            : new BtfMember(name, type, offset, 0);
                    }
                    break;
                case BtfKind.Enum:
                    e.First = enumValues;
                    for (int i = 0; i < count; i++)
                    {
                        int at = r.Position;
                        string name = Name(r.ReadUInt32(), at);
                        int raw = r.ReadInt32();
                        long value = e.KindFlag ? raw : (long)unchecked((uint)raw);
                        _enumValues[enumValues++] = new BtfEnumValue(name, value, e.KindFlag);
                    }
                    break;
                case BtfKind.Enum64:
                    e.First = enumValues;
                    for (int i = 0; i < count; i++)
                    {
                        int at = r.Position;
                        string name = Name(r.ReadUInt32(), at);
                        ulong low = r.ReadUInt32(), high = r.ReadUInt32();
                        _enumValues[enumValues++] = new BtfEnumValue(name, unchecked((long)(high << 32 | low)), e.KindFlag);
                    }
                    break;
                case BtfKind.FuncProto:
                    e.First = parameters;
                    for (int i = 0; i < count; i++)
                    {
                        int at = r.Position;
                        string name = Name(r.ReadUInt32(), at);
                        _params[parameters++] = new BtfParam(name, Ref(r.ReadUInt32(), at + 4));
                    }
                    break;
                case BtfKind.Datasec:
                    e.First = datasecVars;
                    for (int i = 0; i < count; i++)
                    {
                        int at = r.Position;
                        uint type = Ref(r.ReadUInt32(), at);
                        _datasecVars[datasecVars++] = new BtfDatasecVar(type, r.ReadUInt32(), r.ReadUInt32());
                    }
                    break;
            }
        }
    }

    /// <summary>Checks what each type refers to: kinds that make sense in that position, and component indexes.</summary>
    public void Check()
    {
        for (uint id = 1; id < (uint)_types.Length; id++)
        {
            ref var e = ref _types[id];
            int record = e.RecordOffset;
            switch (e.Kind)
            {
                case BtfKind.Ptr or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict
                    or BtfKind.TypeTag or BtfKind.Var:
                    DataType(id, e.SizeOrType, allowVoid: true, record + 8);
                    break;
                case BtfKind.Array:
                    var array = _arrays[e.First];
                    DataType(id, array.ElementType, allowVoid: false, record + 12);
                    DataType(id, array.IndexType, allowVoid: false, record + 16);
                    break;
                case BtfKind.Struct or BtfKind.Union:
                    for (int i = 0; i < e.Vlen; i++)
                        DataType(id, _members[e.First + i].Type, allowVoid: false, record + 12 + 12 * i + 4);
                    break;
                case BtfKind.FuncProto:
                    DataType(id, e.SizeOrType, allowVoid: true, record + 8);
                    for (int i = 0; i < e.Vlen; i++)
                    {
                        var p = _params[e.First + i];
                        // A nameless void last parameter is how BTF spells "...".
                        if (p.Type == 0 && i == e.Vlen - 1 && p.Name.Length == 0) e.Variadic = true;
                        else DataType(id, p.Type, allowVoid: false, record + 12 + 8 * i + 4);
                    }
                    break;
                case BtfKind.Func:
                    if (_types[e.SizeOrType].Kind != BtfKind.FuncProto)
                        throw _location.Error($"BTF func type id {id} refers to type {e.SizeOrType}, a {_types[e.SizeOrType].Kind}, not a FuncProto", record + 8);
                    break;
                case BtfKind.Datasec:
                    for (int i = 0; i < e.Vlen; i++)
                    {
                        uint type = _datasecVars[e.First + i].Type;
                        if (_types[type].Kind is not (BtfKind.Var or BtfKind.Func))
                            throw _location.Error($"BTF datasec type id {id} entry {i} refers to type {type}, a {_types[type].Kind}, not a Var or Func", record + 12 + 12 * i);
                    }
                    break;
                case BtfKind.DeclTag:
                    CheckDeclTag(id, in e);
                    break;
            }
        }
    }

    /// <summary>
    /// Follows every reference chain (ptr, typedef, qualifiers, type_tag, array element, func, var, decl_tag)
    /// once, iteratively: rejects cycles and records each type's size. Every chain is walked at most once, so
    /// this is linear however deep the chains are.
    /// </summary>
    public void ResolveSizes()
    {
        var state = new byte[_types.Length]; // 0 = unseen, 1 = on the current path, 2 = resolved
        state[0] = 2;
        var path = new List<uint>();
        for (uint start = 1; start < (uint)_types.Length; start++)
        {
            if (state[start] == 2) continue;
            path.Clear();
            uint current = start;
            while (state[current] != 2)
            {
                if (state[current] == 1)
                {
                    uint last = path[^1];
                    throw _location.Error($"BTF type reference cycle: type {last} ({_types[last].Kind}) leads back to type {current}", ReferenceField(last));
                }
                state[current] = 1;
                path.Add(current);
                if (!TryNext(current, out uint next)) break;
                current = next;
            }
            for (int i = path.Count - 1; i >= 0; i--)
            {
                Size(path[i]);
                state[path[i]] = 2;
            }
        }
    }

    private bool TryNext(uint id, out uint next)
    {
        ref readonly var e = ref _types[id];
        switch (e.Kind)
        {
            case BtfKind.Ptr or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict
                or BtfKind.TypeTag or BtfKind.Func or BtfKind.Var or BtfKind.DeclTag:
                next = e.SizeOrType;
                return true;
            case BtfKind.Array:
                next = _arrays[e.First].ElementType;
                return true;
            default:
                next = 0;
                return false;
        }
    }

    private int ReferenceField(uint id) =>
        _types[id].RecordOffset + (_types[id].Kind == BtfKind.Array ? 12 : 8);

    /// <summary>Sets the size of <paramref name="id"/>; whatever it refers to is already resolved.</summary>
    private void Size(uint id)
    {
        ref var e = ref _types[id];
        switch (e.Kind)
        {
            case BtfKind.Int or BtfKind.Float or BtfKind.Struct or BtfKind.Union or BtfKind.Enum or BtfKind.Enum64
                or BtfKind.Datasec:
                e.Sized = true;
                e.ResolvedSize = e.SizeOrType;
                break;
            case BtfKind.Ptr:
                e.Sized = true;
                e.ResolvedSize = PointerSize;
                break;
            case BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.TypeTag
                or BtfKind.Var:
                e.Sized = _types[e.SizeOrType].Sized;
                e.ResolvedSize = _types[e.SizeOrType].ResolvedSize;
                break;
            case BtfKind.Array:
                var array = _arrays[e.First];
                ref readonly var element = ref _types[array.ElementType];
                if (!element.Sized)
                    throw _location.Error($"BTF array type id {id} has element type {array.ElementType} ({element.Kind}), which has no size", e.RecordOffset + 12);
                ulong size = (ulong)element.ResolvedSize * array.Length;
                if (size > uint.MaxValue)
                    throw _location.Error($"BTF array type id {id} is too large: {array.Length} elements of {element.ResolvedSize} bytes", e.RecordOffset + 20);
                e.Sized = true;
                e.ResolvedSize = (uint)size;
                break;
            default: // void, fwd, func, func_proto, decl_tag
                e.Sized = false;
                break;
        }
    }

    private void CheckDeclTag(uint id, in BtfTypeEntry e)
    {
        uint target = e.SizeOrType;
        ref readonly var t = ref _types[target];
        if (target == 0) throw _location.Error($"BTF decl_tag type id {id} tags void", e.RecordOffset + 8);
        int component = unchecked((int)e.Extra);
        if (component < 0) return;
        int limit = t.Kind switch
        {
            BtfKind.Struct or BtfKind.Union => t.Vlen,
            BtfKind.Func when _types[t.SizeOrType].Kind == BtfKind.FuncProto => ParamCount(in _types[t.SizeOrType]),
            _ => 0,
        };
        if (component >= limit)
        {
            throw _location.Error(limit == 0
                ? $"BTF decl_tag type id {id} names component {component} of type {target}, a {t.Kind}, which has none"
                : $"BTF decl_tag type id {id} names component {component} of type {target}, which has {limit}", e.RecordOffset + 12);
        }
    }

    private int ParamCount(in BtfTypeEntry proto) =>
        proto.Vlen > 0 && _params[proto.First + proto.Vlen - 1] is { Type: 0, Name.Length: 0 } ? proto.Vlen - 1 : proto.Vlen;

    /// <summary>Types in data positions (pointee, element, member, parameter, variable) must be data types.</summary>
    private void DataType(uint owner, uint type, bool allowVoid, int fieldOffset)
    {
        var kind = _types[type].Kind;
        if (kind is BtfKind.Func or BtfKind.Var or BtfKind.Datasec or BtfKind.DeclTag || (kind == BtfKind.Void && !allowVoid))
            throw _location.Error($"BTF {_types[owner].Kind} type id {owner} refers to type {type}, a {kind}, which cannot be used there", fieldOffset);
    }

    private void CheckInt(uint data, uint size, int fieldOffset)
    {
        uint bits = data & 0xff, offset = (data >> 16) & 0xff;
        if (bits > 128) throw _location.Error($"BTF int has {bits} bits (at most 128)", fieldOffset);
        if (offset + bits > (ulong)size * 8)
            throw _location.Error($"BTF int bits {offset}+{bits} do not fit its {size} bytes", fieldOffset);
    }

    private uint Ref(uint id, int fieldOffset)
    {
        if (id >= (uint)_types.Length)
            throw _location.Error($"BTF type id {id} is out of range (the BTF has {_types.Length} ids, including void)", fieldOffset);
        return id;
    }

    private string Name(uint offset, int fieldOffset)
    {
        if (_strings.TryGet(offset) is { } name) return name;
        throw _location.Error(offset >= (uint)_strings.Length
            ? $"BTF name offset {offset} is outside the string section ({_strings.Length} bytes)"
            : $"BTF name at string offset {offset} is not NUL-terminated", fieldOffset);
    }
}
