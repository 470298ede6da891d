namespace BpfSharp.Verifier;

/// <summary>
/// The read rules of one socket pointer type: which fields of its UAPI struct a load through the pointer may read,
/// at which offsets and sizes (the same placements as context fields; writes are never allowed).
/// </summary>
/// <param name="Type">The pointer type (<see cref="RegType.Socket"/>, <see cref="RegType.SockCommon"/>, <see cref="RegType.TcpSock"/>, <see cref="RegType.XdpSock"/>).</param>
/// <param name="StructName">The UAPI struct read through the pointer (<c>bpf_sock</c>, <c>bpf_tcp_sock</c>, <c>bpf_xdp_sock</c>).</param>
/// <param name="Size">The struct's size: no read reaches past it.</param>
/// <param name="Fields">The fields with at least one accepted read, by offset; bytes outside them accept nothing.</param>
internal sealed record SockLayout(RegType Type, string StructName, int Size, IReadOnlyList<ContextField> Fields)
{
    /// <summary>The field holding <paramref name="offset"/>, or null.</summary>
    public ContextField? FieldAt(int offset)
    {
        foreach (var f in Fields)
            if (offset >= f.Offset && offset < f.End) return f;
        return null;
    }
}
