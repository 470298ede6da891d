namespace BpfSharp;

/// <summary>
/// The single exception type thrown for malformed input: ELF objects, BTF blobs, instruction streams and
/// assembly text. The message always names where the problem is: the file, the section and the byte
/// offset (relative to the start of the section), so a user can find it with a hex editor or readelf.
/// </summary>
public sealed class BpfFormatException : Exception
{
    /// <summary>Creates an exception for a problem at a known place.</summary>
    /// <param name="reason">What is wrong, in plain words.</param>
    /// <param name="fileName">The file the data came from, when known.</param>
    /// <param name="section">The ELF section (or other named part) the problem is in, when known.</param>
    /// <param name="offset">The byte offset of the problem inside <paramref name="section"/> (or the file
    /// when there is no section), or -1 when it has none.</param>
    public BpfFormatException(string reason, string? fileName = null, string? section = null, long offset = -1)
        : base(Compose(reason, fileName, section, offset))
    {
        Reason = reason;
        FileName = fileName;
        Section = section;
        Offset = offset;
    }

    /// <summary>What is wrong, without the location.</summary>
    public string Reason { get; }

    /// <summary>The file the data came from, or null when it was not read from a file.</summary>
    public string? FileName { get; }

    /// <summary>The section the problem is in, or null for file-level problems.</summary>
    public string? Section { get; }

    /// <summary>Byte offset of the problem inside <see cref="Section"/> (or the file), or -1.</summary>
    public long Offset { get; }

    /// <summary>Returns the same problem attributed to <paramref name="fileName"/> when it has no file yet.</summary>
    public BpfFormatException WithFile(string fileName) =>
        FileName is null ? new BpfFormatException(Reason, fileName, Section, Offset) : this;

    private static string Compose(string reason, string? fileName, string? section, long offset)
    {
        var where = new System.Text.StringBuilder();
        if (fileName is not null) where.Append(fileName);
        if (section is not null)
        {
            if (where.Length > 0) where.Append(": ");
            where.Append("section '").Append(section).Append('\'');
        }
        if (offset >= 0)
        {
            where.Append(where.Length > 0 ? " at offset 0x" : "offset 0x").Append(offset.ToString("x", System.Globalization.CultureInfo.InvariantCulture));
        }
        return where.Length > 0 ? $"{where}: {reason}" : reason;
    }
}
