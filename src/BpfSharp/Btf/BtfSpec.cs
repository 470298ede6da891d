using BpfSharp.Binary;

namespace BpfSharp.Btf;

/// <summary>
/// A parsed, validated BTF type table (the .BTF section of an object, or a kernel's BTF). Type id 0 is void;
/// ids 1..<see cref="Count"/>-1 are the types in section order. Storage is one entry per type plus shared side
/// tables for members, parameters, enumerators and data section entries, so large BTF (vmlinux) stays compact.
/// </summary>
/// <remarks>
/// Everything a query relies on is checked by <see cref="Parse"/>: every referenced id exists, reference chains
/// (pointers, typedefs, qualifiers, arrays, ...) are acyclic, and sizes are resolved. Queries therefore never
/// throw <see cref="BpfFormatException"/>; they throw <see cref="ArgumentOutOfRangeException"/> for an id that
/// is not in the table and <see cref="ArgumentException"/> when asked for something the type's kind lacks.
/// An instance is safe to query from several threads.
/// </remarks>
public sealed class BtfSpec
{
    private readonly BtfTypeEntry[] _types;
    private readonly BtfMember[] _members;
    private readonly BtfParam[] _params;
    private readonly BtfEnumValue[] _enumValues;
    private readonly BtfDatasecVar[] _datasecVars;
    private readonly BtfArrayInfo[] _arrays;
    private readonly StringTable _strings;
    private Dictionary<(string Name, BtfKind Kind), uint>? _byName;

    internal BtfSpec(BtfTypeEntry[] types, BtfMember[] members, BtfParam[] parameters, BtfEnumValue[] enumValues,
        BtfDatasecVar[] datasecVars, BtfArrayInfo[] arrays, StringTable strings)
    {
        _types = types;
        _members = members;
        _params = parameters;
        _enumValues = enumValues;
        _datasecVars = datasecVars;
        _arrays = arrays;
        _strings = strings;
    }

    /// <summary>
    /// Parses and validates a BTF blob. The result copies what it needs and does not keep <paramref name="data"/>.
    /// </summary>
    /// <param name="data">The BTF bytes: header, type section and string section.</param>
    /// <param name="location">Where the bytes come from, normally <c>new FormatLocation(fileName, ".BTF")</c>;
    /// error offsets are relative to the start of <paramref name="data"/>.</param>
    /// <exception cref="BpfFormatException">The blob is malformed; the offset names the bad field.</exception>
    public static BtfSpec Parse(ReadOnlySpan<byte> data, FormatLocation location) => BtfSpecReader.Read(data, location);

    /// <summary>The number of type ids, including void (id 0).</summary>
    public int Count => _types.Length;

    /// <summary>
    /// Byte offset of type <paramref name="id"/>'s btf_type record inside the .BTF data (-1 for void), for tools
    /// that patch a copy of the raw BTF (a loader fixing DATASEC sizes and offsets before BTF_LOAD).
    /// </summary>
    public int RecordOffset(uint id) => Entry(id).RecordOffset;

    /// <summary>The kind of type <paramref name="id"/>.</summary>
    public BtfKind KindOf(uint id) => Entry(id).Kind;

    /// <summary>The name of type <paramref name="id"/>; empty for anonymous types and void.</summary>
    public string NameOf(uint id) => Entry(id).Name;

    /// <summary>
    /// The size in bytes of type <paramref name="id"/>, looking through typedefs, qualifiers, type tags and
    /// variables: 8 for pointers, element size times length for arrays, the recorded size otherwise.
    /// </summary>
    /// <exception cref="ArgumentException">The type has no size (void, fwd, func, func_proto, decl_tag, or a
    /// typedef/qualifier/var of one of those).</exception>
    public uint SizeOf(uint id)
    {
        ref readonly var e = ref Entry(id);
        if (!e.Sized) throw new ArgumentException($"BTF type {id} ({e.Kind}) has no size", nameof(id));
        return e.ResolvedSize;
    }

    /// <summary>Like <see cref="SizeOf"/>, but returns false instead of throwing for a type without a size.</summary>
    public bool TrySizeOf(uint id, out uint size)
    {
        ref readonly var e = ref Entry(id);
        size = e.ResolvedSize;
        return e.Sized;
    }

    /// <summary>Follows typedef, volatile, const, restrict and type_tag links to the first other type.</summary>
    public uint SkipModifiers(uint id) => Skip(id, includeTypedef: true);

    /// <summary>Follows volatile, const, restrict and type_tag links (not typedefs) to the first other type.</summary>
    public uint SkipQualifiers(uint id) => Skip(id, includeTypedef: false);

    /// <summary>
    /// The type referred to by a ptr, typedef, volatile, const, restrict, type_tag, func (its func_proto),
    /// var (its type) or decl_tag (the tagged type).
    /// </summary>
    public uint TypeOf(uint id)
    {
        ref readonly var e = ref Entry(id);
        return e.Kind switch
        {
            BtfKind.Ptr or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.TypeTag
                or BtfKind.Func or BtfKind.Var or BtfKind.DeclTag => e.SizeOrType,
            _ => throw WrongKind(id, e.Kind, "a type that refers to another type"),
        };
    }

    /// <summary>The members of a struct or union.</summary>
    public BtfList<BtfMember> Members(uint id)
    {
        ref readonly var e = ref Expect(id, BtfKind.Struct, BtfKind.Union);
        return new BtfList<BtfMember>(_members, e.First, e.Vlen);
    }

    /// <summary>The element type, index type and length of an array.</summary>
    public BtfArrayInfo ArrayInfo(uint id) => _arrays[Expect(id, BtfKind.Array).First];

    /// <summary>The enumerators of an enum or enum64.</summary>
    public BtfList<BtfEnumValue> EnumValues(uint id)
    {
        ref readonly var e = ref Expect(id, BtfKind.Enum, BtfKind.Enum64);
        return new BtfList<BtfEnumValue>(_enumValues, e.First, e.Vlen);
    }

    /// <summary>Whether an enum or enum64 has signed values (the kind flag).</summary>
    public bool IsSignedEnum(uint id) => Expect(id, BtfKind.Enum, BtfKind.Enum64).KindFlag;

    /// <summary>
    /// The parameters of a func_proto (or of a func's prototype). A trailing varargs marker is not included;
    /// see <see cref="IsVariadic"/>.
    /// </summary>
    public BtfList<BtfParam> Params(uint id)
    {
        ref readonly var e = ref Proto(id);
        return new BtfList<BtfParam>(_params, e.First, e.Vlen - (e.Variadic ? 1 : 0));
    }

    /// <summary>Whether a func_proto (or a func's prototype) ends in varargs (<c>...</c>).</summary>
    public bool IsVariadic(uint id) => Proto(id).Variadic;

    /// <summary>The return type of a func_proto (or of a func's prototype); 0 for void.</summary>
    public uint ReturnType(uint id) => Proto(id).SizeOrType;

    /// <summary>The variables (and extern functions) of a datasec.</summary>
    public BtfList<BtfDatasecVar> DatasecVars(uint id)
    {
        ref readonly var e = ref Expect(id, BtfKind.Datasec);
        return new BtfList<BtfDatasecVar>(_datasecVars, e.First, e.Vlen);
    }

    /// <summary>The linkage of a var.</summary>
    public BtfVarLinkage VarLinkage(uint id) => (BtfVarLinkage)Expect(id, BtfKind.Var).Extra;

    /// <summary>The linkage of a func.</summary>
    public BtfFuncLinkage FuncLinkage(uint id) => (BtfFuncLinkage)Expect(id, BtfKind.Func).Vlen;

    /// <summary>The encoding, bit offset and bit count of an int.</summary>
    public BtfIntEncoding IntEncoding(uint id)
    {
        uint data = Expect(id, BtfKind.Int).Extra;
        return new BtfIntEncoding((BtfIntFlags)((data >> 24) & 0x0f), (byte)(data >> 16), (byte)data);
    }

    /// <summary>What a fwd declares: <see cref="BtfKind.Struct"/> or <see cref="BtfKind.Union"/> (the kind flag).</summary>
    public BtfKind ForwardKind(uint id) => Expect(id, BtfKind.Fwd).KindFlag ? BtfKind.Union : BtfKind.Struct;

    /// <summary>
    /// For a decl_tag: the index of the tagged member (struct/union) or parameter (func), or -1 when the tag
    /// applies to the whole type.
    /// </summary>
    public int DeclTagComponent(uint id) => unchecked((int)Expect(id, BtfKind.DeclTag).Extra);

    /// <summary>
    /// Finds the first (lowest-id) type of <paramref name="kind"/> named <paramref name="name"/>. The index is
    /// built on first use.
    /// </summary>
    public bool TryFind(string name, BtfKind kind, out uint id)
    {
        ArgumentNullException.ThrowIfNull(name);
        var index = LazyInitializer.EnsureInitialized(ref _byName, BuildNameIndex);
        return index.TryGetValue((name, kind), out id);
    }

    /// <summary>
    /// A C-like spelling of type <paramref name="id"/> for logs and messages, such as <c>struct __sk_buff *</c>,
    /// <c>char[16]</c> or <c>int xdp_prog(struct xdp_md *ctx)</c>. Anonymous aggregates print as
    /// <c>struct (anon)</c>; members are not expanded. Very deep or wide types are cut short with <c>...</c>.
    /// </summary>
    public string Format(uint id)
    {
        Entry(id);
        return new BtfTypeFormatter(this).Format(id);
    }

    /// <summary>The string at <paramref name="offset"/> in the BTF string section, or null when the offset is
    /// outside it or the string is not terminated. BTF.ext records name their strings this way.</summary>
    public string? StringAt(uint offset)
    {
        lock (_strings) return _strings.TryGet(offset);
    }

    /// <summary>The entry for <paramref name="id"/>, range-checked.</summary>
    internal ref readonly BtfTypeEntry Entry(uint id)
    {
        if (id >= (uint)_types.Length)
            throw new ArgumentOutOfRangeException(nameof(id), id, $"BTF type id must be below {_types.Length}");
        return ref _types[id];
    }

    private ref readonly BtfTypeEntry Expect(uint id, BtfKind kind)
    {
        ref readonly var e = ref Entry(id);
        if (e.Kind != kind) throw WrongKind(id, e.Kind, kind.ToString());
        return ref e;
    }

    private ref readonly BtfTypeEntry Expect(uint id, BtfKind kind1, BtfKind kind2)
    {
        ref readonly var e = ref Entry(id);
        if (e.Kind != kind1 && e.Kind != kind2) throw WrongKind(id, e.Kind, $"{kind1} or {kind2}");
        return ref e;
    }

    // Parse guarantees a func refers to a func_proto, so one hop is enough.
    private ref readonly BtfTypeEntry Proto(uint id)
    {
        ref readonly var e = ref Entry(id);
        if (e.Kind == BtfKind.Func) return ref _types[e.SizeOrType];
        if (e.Kind != BtfKind.FuncProto) throw WrongKind(id, e.Kind, "FuncProto or Func");
        return ref e;
    }

    private uint Skip(uint id, bool includeTypedef)
    {
        Entry(id);
        // Parse rejects reference cycles, so this terminates; the bound is belt and braces.
        for (int steps = 0; steps < _types.Length; steps++)
        {
            ref readonly var e = ref _types[id];
            switch (e.Kind)
            {
                case BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.TypeTag:
                case BtfKind.Typedef when includeTypedef:
                    id = e.SizeOrType;
                    break;
                default:
                    return id;
            }
        }
        throw new InvalidOperationException($"BTF modifier chain from type {id} does not end");
    }

    private Dictionary<(string Name, BtfKind Kind), uint> BuildNameIndex()
    {
        var index = new Dictionary<(string Name, BtfKind Kind), uint>();
        for (uint id = 1; id < (uint)_types.Length; id++)
        {
            ref readonly var e = ref _types[id];
            if (e.Name.Length > 0) index.TryAdd((e.Name, e.Kind), id);
        }
        return index;
    }

    private static ArgumentException WrongKind(uint id, BtfKind actual, string expected) =>
        new($"BTF type {id} is {actual}, not {expected}", nameof(id));
}
