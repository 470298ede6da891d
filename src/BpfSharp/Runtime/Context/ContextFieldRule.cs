namespace BpfSharp.Runtime.Context;

/// <summary>One field of a program type's context as a test run presents it.</summary>
/// <param name="Name">The field's name in the UAPI struct (<c>mark</c>, <c>cb</c>, <c>data_end</c>).</param>
/// <param name="Offset">Its first byte.</param>
/// <param name="Size">Its size in bytes (the whole array for <c>cb</c> and the IPv6 addresses).</param>
/// <param name="Source">How its value is derived.</param>
/// <param name="Pointer">For <see cref="ContextValueSource.Pointer"/> fields, what it points at.</param>
/// <param name="Settable">True when ctx_in may hold a non-zero value here; any other non-zero byte makes the run fail with EINVAL.</param>
/// <param name="MaximumIn">Largest value ctx_in may give (EINVAL above), or 0 for no limit.</param>
public sealed record ContextFieldRule(string Name, int Offset, int Size, ContextValueSource Source,
    ContextPointerKind Pointer = ContextPointerKind.None, bool Settable = false, ulong MaximumIn = 0)
{
    /// <summary>One past the field's last byte.</summary>
    public int End => Offset + Size;

    /// <summary>True when a program of this type may read the field.</summary>
    public bool Readable => Source != ContextValueSource.NotReadable;
}
