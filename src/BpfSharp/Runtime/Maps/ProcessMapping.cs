using System.Globalization;

namespace BpfSharp.Runtime.Maps;

/// <summary>One line of /proc/PID/maps: a mapped range [Start, End) and the file (and offset) behind it.</summary>
/// <param name="Start">First address.</param>
/// <param name="End">One past the last address.</param>
/// <param name="FileOffset">Offset in the file of <paramref name="Start"/> (vm_pgoff in bytes).</param>
/// <param name="Inode">The file's inode (0 for anonymous memory).</param>
/// <param name="Path">The mapped file, or a pseudo name ([heap], [stack], [vdso]) or empty for anonymous memory.</param>
public readonly record struct ProcessMapping(ulong Start, ulong End, ulong FileOffset, ulong Inode, string Path)
{
    /// <summary>Whether a file backs the range (anonymous and pseudo mappings have no build ID).</summary>
    public bool IsFileBacked => Inode != 0 && Path.StartsWith('/');

    /// <summary>Parses a maps line; null when it is not one.</summary>
    public static ProcessMapping? Parse(string line)
    {
        var parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 5) return null;
        int dash = parts[0].IndexOf('-');
        if (dash < 0
            || !ulong.TryParse(parts[0].AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong start)
            || !ulong.TryParse(parts[0].AsSpan(dash + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong end)
            || !ulong.TryParse(parts[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong offset)
            || !ulong.TryParse(parts[4], NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong inode))
            return null;
        return new ProcessMapping(start, end, offset, inode, parts.Length > 5 ? parts[5].Trim() : "");
    }
}
