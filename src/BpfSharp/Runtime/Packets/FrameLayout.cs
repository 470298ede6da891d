namespace BpfSharp.Runtime.Packets;

/// <summary>
/// A frame the generator assembled with where each header starts, so that malformed variants can cut it at a
/// header boundary or inside a header.
/// </summary>
/// <param name="Kind">The stack, e.g. <c>vlan/ipv4/tcp</c>.</param>
/// <param name="Frame">The bytes.</param>
/// <param name="Headers">Each header's name (<c>l3</c>, <c>ext</c>, <c>l4</c>, <c>payload</c>) and first byte, in frame order.</param>
internal sealed record FrameLayout(string Kind, byte[] Frame, (string Name, int Offset)[] Headers)
{
    /// <summary>Where a named header starts, or -1.</summary>
    public int OffsetOf(string name)
    {
        foreach (var (n, offset) in Headers)
            if (n == name) return offset;
        return -1;
    }

    /// <summary>Where the header after header number <paramref name="index"/> starts (the frame's end for the last).</summary>
    public int EndOf(int index) => index + 1 < Headers.Length ? Headers[index + 1].Offset : Frame.Length;
}
