namespace BpfSharp.Runtime;

/// <summary>How helpers put a kernel-style result in r0: a value or result code as is, an errno negated.</summary>
internal static class HelperReturn
{
    /// <summary>A signed result (0, a count, or an already negative errno) as the 64-bit r0.</summary>
    public static ulong Of(int value) => (ulong)(long)value;

    /// <summary>-<paramref name="errno"/> as the 64-bit r0.</summary>
    public static ulong Errno(int errno) => (ulong)(long)-errno;
}
