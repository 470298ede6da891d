using BpfSharp.Loader;

namespace BpfSharp.Verifier;

/// <summary>The context rules of one program type (and expected attach type, where the kernel tells them apart).</summary>
/// <param name="Type">The program type.</param>
/// <param name="Attach">The expected attach type this row was probed with, or null for the type's default.</param>
/// <param name="StructName">The UAPI context struct (<c>__sk_buff</c>, <c>xdp_md</c>, …), or a description for untyped contexts.</param>
/// <param name="Size">The context's size: no access reaches past it.</param>
/// <param name="Fields">The fields with at least one accepted access, by offset; bytes outside them accept nothing.</param>
public sealed record ContextLayout(ProgramType Type, AttachType? Attach, string StructName, int Size, IReadOnlyList<ContextField> Fields)
{
    /// <summary>The field holding <paramref name="offset"/>, or null.</summary>
    public ContextField? FieldAt(int offset)
    {
        foreach (var f in Fields)
            if (offset >= f.Offset && offset < f.End) return f;
        return null;
    }
}
