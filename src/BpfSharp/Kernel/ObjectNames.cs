namespace BpfSharp.Kernel;

/// <summary>The kernel accepts object names of at most 15 characters from [A-Za-z0-9_.]; this makes any name fit.</summary>
internal static class ObjectNames
{
    public static string Sanitize(string name)
    {
        Span<char> buffer = stackalloc char[Math.Min(name.Length, 15)];
        for (int i = 0; i < buffer.Length; i++)
        {
            char c = name[i];
            buffer[i] = char.IsAsciiLetterOrDigit(c) || c is '_' or '.' ? c : '_';
        }
        return new string(buffer);
    }
}
