namespace BpfSharp.Verifier;

/// <summary>
/// Compares call chains (call sites then the function start) by content. The alternate span lookup lets the
/// stack-liveness pass find a function instance from a stack-allocated chain without allocating a key.
/// </summary>
internal sealed class CallchainComparer : IEqualityComparer<int[]>, IAlternateEqualityComparer<ReadOnlySpan<int>, int[]>
{
    public static readonly CallchainComparer Instance = new();

    public bool Equals(int[]? x, int[]? y) => x is null ? y is null : y is not null && x.AsSpan().SequenceEqual(y);

    public int GetHashCode(int[] chain) => GetHashCode((ReadOnlySpan<int>)chain);

    public bool Equals(ReadOnlySpan<int> alternate, int[] other) => alternate.SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<int> alternate)
    {
        var h = new HashCode();
        foreach (int c in alternate) h.Add(c);
        return h.ToHashCode();
    }

    public int[] Create(ReadOnlySpan<int> alternate) => alternate.ToArray();
}
