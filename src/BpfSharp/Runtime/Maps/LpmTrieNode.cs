namespace BpfSharp.Runtime.Maps;

/// <summary>
/// A node of an <see cref="LpmTrieMap"/>'s path-compressed binary trie: the first <see cref="PrefixLength"/> bits
/// of <see cref="Bits"/> (later bits are zero), and either an element (its key as last written and its value
/// memory) or, for a branch point no element sits on, none — such a node always has two children.
/// </summary>
internal sealed class LpmTrieNode(int prefixLength, byte[] bits)
{
    /// <summary>The number of significant bits.</summary>
    public int PrefixLength { get; } = prefixLength;

    /// <summary>The prefix, most significant bit of byte 0 first, zero after <see cref="PrefixLength"/>.</summary>
    public byte[] Bits { get; } = bits;

    /// <summary>The element's whole key (prefixlen and data as the last update wrote them), or null on a branch point.</summary>
    public byte[]? Key { get; set; }

    /// <summary>The element's value memory (a new array for every update, so a program's pointer stays valid).</summary>
    public byte[]? Value { get; set; }

    /// <summary>Whether an element sits on the node.</summary>
    public bool HasElement => Key is not null;

    /// <summary>The children: [0] continues with a 0 bit at <see cref="PrefixLength"/>, [1] with a 1 bit.</summary>
    public LpmTrieNode?[] Children { get; } = new LpmTrieNode?[2];

    /// <summary>The parent node, null for the root.</summary>
    public LpmTrieNode? Parent { get; set; }

    /// <summary>The number of children.</summary>
    public int ChildCount => (Children[0] is null ? 0 : 1) + (Children[1] is null ? 0 : 1);
}
