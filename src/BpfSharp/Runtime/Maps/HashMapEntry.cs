namespace BpfSharp.Runtime.Maps;

/// <summary>
/// One element of a <see cref="HashMap"/>: its key, its value memory (one array per element, so a deleted or
/// replaced element's memory stays valid for a program still holding it), its bucket chain and LRU links.
/// </summary>
internal sealed class HashMapEntry(byte[] key, uint hash, byte[] value)
{
    public byte[] Key { get; } = key;
    public uint Hash { get; } = hash;
    public byte[] Value { get; set; } = value;
    public object? Object { get; set; }
    public HashMapEntry? Next { get; set; }
    public HashMapEntry? Newer { get; set; }
    public HashMapEntry? Older { get; set; }
}
