using System.Text;

namespace BpfSharp.Binary;

/// <summary>
/// A table of NUL-terminated strings addressed by byte offset (ELF .strtab/.shstrtab, the BTF string section).
/// Lookups are bounds-checked; a string that runs off the end of the table is an error, never a crash.
/// Decoded strings are cached, so repeated names cost one dictionary lookup.
/// </summary>
public sealed class StringTable
{
    private readonly ReadOnlyMemory<byte> _data;
    private readonly FormatLocation _location;
    private readonly Dictionary<uint, string> _cache = new();

    /// <summary>Creates a table over <paramref name="data"/>; errors are reported at <paramref name="location"/>.</summary>
    public StringTable(ReadOnlyMemory<byte> data, FormatLocation location)
    {
        _data = data;
        _location = location;
    }

    /// <summary>The table's size in bytes.</summary>
    public int Length => _data.Length;

    /// <summary>Returns the string at <paramref name="offset"/>.</summary>
    /// <exception cref="BpfFormatException">The offset is outside the table or the string is not terminated.</exception>
    public string Get(uint offset)
    {
        if (TryGet(offset) is { } s) return s;
        int length = _data.Length;
        if (offset >= (uint)length)
            throw _location.Error($"string offset {offset} is outside the string table ({length} bytes)", length);
        throw _location.Error($"string at offset {offset} is not NUL-terminated", offset);
    }

    /// <summary>Returns the string at <paramref name="offset"/>, or null when the offset is not valid.</summary>
    public string? TryGet(uint offset)
    {
        if (_cache.TryGetValue(offset, out var cached)) return cached;
        var span = _data.Span;
        if (offset >= (uint)span.Length) return offset == 0 && span.Length == 0 ? string.Empty : null;
        var rest = span[(int)offset..];
        int end = rest.IndexOf((byte)0);
        if (end < 0) return null;
        var s = Encoding.UTF8.GetString(rest[..end]);
        _cache[offset] = s;
        return s;
    }
}
