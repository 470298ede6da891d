namespace BpfSharp.Runtime;

/// <summary>
/// One entry of an <see cref="AddressSpace"/>: the bytes <c>Array[Offset .. Offset + Length)</c>, whether the
/// program may write them, what they are and a name for error messages.
/// </summary>
public readonly struct MemoryRegion
{
    internal MemoryRegion(MemorySlice slice, MemoryRegionKind kind, string name, bool writable,
        ContextPointerField[]? pointerFields, object? target)
    {
        Array = slice.Array;
        Offset = slice.Offset;
        Length = slice.Length;
        Kind = kind;
        Name = name;
        Writable = writable;
        PointerFields = pointerFields;
        Target = target;
    }

    /// <summary>The backing array.</summary>
    public byte[] Array { get; }

    /// <summary>Start of the region in <see cref="Array"/>.</summary>
    public int Offset { get; }

    /// <summary>Length in bytes (0 for handles and function addresses).</summary>
    public int Length { get; }

    /// <summary>What the region holds.</summary>
    public MemoryRegionKind Kind { get; }

    /// <summary>Name used in error messages (<c>stack[0]</c>, <c>ctx</c>, <c>packet</c>, <c>value of map counts</c>).</summary>
    public string Name { get; }

    /// <summary>True when stores and atomics are allowed.</summary>
    public bool Writable { get; }

    /// <summary>Pointer-valued fields (context regions only), or null.</summary>
    public ContextPointerField[]? PointerFields { get; }

    /// <summary>The object behind a handle or function region (a map, a <see cref="CodeAddress"/>), else null.</summary>
    public object? Target { get; }

    /// <summary>The region's bytes.</summary>
    public MemorySlice Slice => new(Array, Offset, Length);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Kind}, {Length} bytes{(Writable ? "" : ", read-only")})";
}
