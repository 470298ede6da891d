namespace BpfSharp.Runtime.Context;

/// <summary>A pointer field of a <see cref="ContextImage"/>: the runtime stores the address of <paramref name="Kind"/> there.</summary>
/// <param name="Name">The field's name.</param>
/// <param name="Offset">Its offset in the context.</param>
/// <param name="Size">Its size as the program reads it (4: the verifier rewrites the 32-bit load into a pointer load).</param>
/// <param name="Kind">What it points at.</param>
public readonly record struct ContextPointer(string Name, int Offset, int Size, ContextPointerKind Kind);
