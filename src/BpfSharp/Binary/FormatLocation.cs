namespace BpfSharp.Binary;

/// <summary>
/// Where a reader's bytes come from: a file, a section and the offset of the reader's first byte inside that
/// section. Readers carry it so that every bounds failure produces a <see cref="BpfFormatException"/> that
/// points at the right byte.
/// </summary>
/// <param name="FileName">The file name, when known.</param>
/// <param name="Section">The section name, when known.</param>
/// <param name="BaseOffset">Offset of the reader's first byte inside the section.</param>
public readonly record struct FormatLocation(string? FileName, string? Section, long BaseOffset = 0)
{
    /// <summary>Creates the exception for a problem <paramref name="offset"/> bytes after the base.</summary>
    public BpfFormatException Error(string reason, long offset) =>
        new(reason, FileName, Section, BaseOffset + offset);

    /// <summary>The same place, moved <paramref name="delta"/> bytes further.</summary>
    public FormatLocation Advance(long delta) => this with { BaseOffset = BaseOffset + delta };
}
