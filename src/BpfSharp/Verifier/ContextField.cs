namespace BpfSharp.Verifier;

/// <summary>
/// A range of a program type's context with the accesses the kernel's <c>*_is_valid_access</c> accepts there:
/// for each access size (1, 2, 4, 8 bytes) where a read and where a write may sit, and what a read yields.
/// </summary>
/// <param name="Name">The field's name in the UAPI context struct (<c>data</c>, <c>cb</c>, <c>user_ip6</c>, …).</param>
/// <param name="Offset">The field's first byte.</param>
/// <param name="Size">The field's length in bytes (a whole array for array fields).</param>
/// <param name="Reads">Placements of reads by size, as four letters for 1, 2, 4, 8 bytes: <c>A</c> aligned anywhere, <c>E</c> aligned inside the first <see cref="FieldSize"/> bytes, <c>S</c> at the start only, <c>T</c> aligned anywhere but the start, <c>-</c> never.</param>
/// <param name="Writes">Placements of writes by size, in the same form.</param>
/// <param name="Value">What a read yields.</param>
/// <param name="KernelType">The verifier's name for the loaded register's type (as level-2 logs print it), or null for scalars.</param>
/// <param name="ElementSize">The size the kernel records for narrow loads (<c>ctx_field_size</c>): the element size of an array, else <paramref name="Size"/>; 0 means <paramref name="Size"/>.</param>
public sealed record ContextField(string Name, int Offset, int Size, string Reads, string Writes,
    ContextValueKind Value = ContextValueKind.Scalar, string? KernelType = null, int ElementSize = 0)
{
    /// <summary>One past the field's last byte.</summary>
    public int End => Offset + Size;

    /// <summary>The size the kernel records for (narrow) loads of this field.</summary>
    public int FieldSize => ElementSize == 0 ? Size : ElementSize;

    /// <summary>Where a read (or write) of <paramref name="size"/> bytes may sit.</summary>
    public ContextAccessPlacement Placement(int size, bool write)
    {
        int index = size switch { 1 => 0, 2 => 1, 4 => 2, 8 => 3, _ => -1 };
        if (index < 0) return ContextAccessPlacement.None;
        string spec = write ? Writes : Reads;
        return spec[index] switch
        {
            'A' => ContextAccessPlacement.Aligned,
            'E' => ContextAccessPlacement.Head,
            'S' => ContextAccessPlacement.Start,
            'T' => ContextAccessPlacement.Tail,
            _ => ContextAccessPlacement.None,
        };
    }

    /// <summary>True when the kernel accepts this access, which must lie inside the field.</summary>
    public bool Allows(int offset, int size, bool write)
    {
        if (offset < Offset || offset + size > End) return false;
        return Placement(size, write) switch
        {
            ContextAccessPlacement.Start => offset == Offset,
            ContextAccessPlacement.Aligned => offset % size == 0,
            ContextAccessPlacement.Head => offset % size == 0 && offset + size <= Offset + FieldSize,
            ContextAccessPlacement.Tail => offset % size == 0 && offset != Offset,
            _ => false,
        };
    }
}
