namespace BpfSharp.Btf;

/// <summary>
/// One parsed btf_type: the fixed 12-byte record plus the single-word trailer some kinds carry, and where its
/// variable-length records start in the owning side table. Sizes are resolved once at parse time.
/// </summary>
internal struct BtfTypeEntry
{
    /// <summary>The decoded name (shared string instance per name offset).</summary>
    public string Name;

    /// <summary>Byte offset of the record inside the .BTF section, for error messages.</summary>
    public int RecordOffset;

    /// <summary>The size/type union word.</summary>
    public uint SizeOrType;

    /// <summary>The one-word trailer: int encoding, var linkage or decl_tag component index.</summary>
    public uint Extra;

    /// <summary>Index of the first record in the kind's side table (members, params, enumerators, secinfos, arrays).</summary>
    public int First;

    /// <summary>The vlen field: record count, or the linkage for func.</summary>
    public ushort Vlen;

    /// <summary>The kind.</summary>
    public BtfKind Kind;

    /// <summary>The kind flag (bit 31 of info).</summary>
    public bool KindFlag;

    /// <summary>Whether the type has a size (void, fwd, func and func_proto do not).</summary>
    public bool Sized;

    /// <summary>For a func_proto: whether its last parameter was the varargs marker (dropped from the list).</summary>
    public bool Variadic;

    /// <summary>The resolved size in bytes, when <see cref="Sized"/>.</summary>
    public uint ResolvedSize;
}
