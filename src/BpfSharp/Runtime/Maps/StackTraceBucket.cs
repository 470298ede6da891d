namespace BpfSharp.Runtime.Maps;

/// <summary>One stored stack of a <see cref="StackTraceMap"/>: its hash, its frames, and in build-ID mode their entries.</summary>
internal sealed class StackTraceBucket(uint hash, ulong[] ips, StackBuildId[]? entries)
{
    public uint Hash { get; } = hash;
    public ulong[] Ips { get; } = ips;
    public StackBuildId[]? Entries { get; } = entries;
    public int Count => Ips.Length;
}
