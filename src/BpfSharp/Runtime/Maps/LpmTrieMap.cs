using System.Buffers.Binary;
using BpfSharp.Loader;

namespace BpfSharp.Runtime.Maps;

/// <summary>
/// BPF_MAP_TYPE_LPM_TRIE: keys are <c>struct bpf_lpm_trie_key { u32 prefixlen; u8 data[]; }</c> and a lookup
/// answers the value of the longest stored prefix that matches the key's first prefixlen bits (bits are taken
/// most significant first, in the data's byte order). Behaviour measured on Linux 6.18:
/// <list type="bullet">
/// <item>Only the first prefixlen bits of the data identify an element, but an update stores the data bytes as
/// given, host bits included, and get-next-key returns them (an update of the same prefix with other host bits
/// replaces the element and its bytes).</item>
/// <item>Update: flags above BPF_EXIST give -EINVAL, then prefixlen above the data's bits -EINVAL; BPF_EXIST on a
/// missing prefix -ENOENT, BPF_NOEXIST on a present one -EEXIST; a new prefix in a full map -ENOSPC (not -E2BIG).</item>
/// <item>Lookup with prefixlen above the data's bits: -ENOENT; delete: -EINVAL; delete of a prefix that is not
/// an element: -ENOENT.</item>
/// <item>Get-next-key walks the trie in post-order, children before parents and the 0 branch before the 1
/// branch (so 10.1.1.0/24, 10.1.128.0/24, 10.1.0.0/16, 10.0.0.0/8, 0.0.0.0/0); NULL, a key that is not an
/// element or a prefixlen above the data's bits give the first key.</item>
/// <item>Lookup, update and delete batches are the generic ones; lookup-and-delete (element and batch) is not
/// supported (-ENOTSUPP).</item>
/// </list>
/// </summary>
public sealed class LpmTrieMap : BpfMap
{
    /// <summary>The smallest key: the u32 prefixlen and one data byte.</summary>
    public const uint MinKeySize = 5;

    /// <summary>The largest key: the u32 prefixlen and 256 data bytes.</summary>
    public const uint MaxKeySize = 4 + 256;

    /// <summary>The largest value the kernel accepts (KMALLOC_MAX_SIZE less the largest data and its node header; measured).</summary>
    public const uint MaxValueSize = 4194024;

    private readonly int _dataSize;
    private LpmTrieNode? _root;

    /// <summary>Creates the map; sizes are assumed valid (see <see cref="WhyRefused"/>).</summary>
    public LpmTrieMap(MapSpec spec) : base(spec)
    {
        _dataSize = (int)spec.KeySize - 4;
        MaxPrefixLength = _dataSize * 8;
    }

    /// <summary>The number of data bits: the largest prefixlen a key may have.</summary>
    public int MaxPrefixLength { get; }

    /// <summary>The number of elements.</summary>
    public int Count { get; private set; }

    /// <summary>Why the kernel refuses this LPM trie at creation, or null (flags are judged by the factory).</summary>
    public static (int Errno, string Reason)? WhyRefused(MapSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.MaxEntries == 0) return (MapErrno.EINVAL, "max_entries must not be zero");
        if ((spec.Flags & MapFlags.NoPrealloc) == 0) return (MapErrno.EINVAL, "LPM tries need BPF_F_NO_PREALLOC");
        if (spec.KeySize is < MinKeySize or > MaxKeySize)
            return (MapErrno.EINVAL, $"the key size must be between {MinKeySize} and {MaxKeySize} (it is {spec.KeySize})");
        if (spec.ValueSize is 0 or > MaxValueSize)
            return (MapErrno.EINVAL, $"the value size must be between 1 and {MaxValueSize} (it is {spec.ValueSize})");
        return null;
    }

    /// <summary>The elements' keys (as stored) in the kernel's get-next-key order.</summary>
    public IEnumerable<byte[]> Keys()
    {
        for (var node = First(); node is not null; node = Next(node)) yield return node.Key!;
    }

    /// <inheritdoc/>
    public override bool TryLookup(ReadOnlySpan<byte> key, int cpu, out MemorySlice value)
    {
        var node = LongestMatch(key);
        value = node is null ? default : new MemorySlice(node.Value!, 0, (int)ValueSize);
        return node is not null;
    }

    /// <inheritdoc/>
    public override int Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags, int cpu) => Store(key, value, flags);

    /// <inheritdoc/>
    public override int Delete(ReadOnlySpan<byte> key)
    {
        if (PrefixOf(key) > MaxPrefixLength) return MapErrno.EINVAL;
        var node = FindExact(key);
        if (node is not { HasElement: true }) return MapErrno.ENOENT;
        Remove(node);
        return 0;
    }

    /// <inheritdoc/>
    protected override int LookupElemCore(ReadOnlySpan<byte> key, Span<byte> value, ulong flags)
    {
        var node = LongestMatch(key);
        if (node is null) return MapErrno.ENOENT;
        node.Value.AsSpan(0, (int)ValueSize).CopyTo(value);
        return 0;
    }

    /// <inheritdoc/>
    protected override int UpdateElemCore(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags) => Store(key, value, flags);

    /// <inheritdoc/>
    protected override int GetNextKeyCore(ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        LpmTrieNode? next;
        if (!key.IsEmpty && PrefixOf(key) <= MaxPrefixLength && FindExact(key) is { HasElement: true } current)
            next = Next(current);
        else
            next = First(); // NULL, a prefixlen beyond the data or a key that is not an element: the first key
        if (next is null) return MapErrno.ENOENT;
        next.Key.CopyTo(nextKey);
        return 0;
    }

    /// <inheritdoc/>
    protected override int LookupBatchCore(ReadOnlySpan<byte> inBatch, Span<byte> outBatch, Span<byte> keys, Span<byte> values,
        ref uint count, ulong elemFlags, ulong flags, bool delete) =>
        delete ? MapErrno.ENOTSUPP : GenericBatch.Lookup(this, inBatch, outBatch, keys, values, ref count, elemFlags, flags);

    /// <inheritdoc/>
    protected override int UpdateBatchCore(ReadOnlySpan<byte> keys, ReadOnlySpan<byte> values, ref uint count, ulong elemFlags, ulong flags) =>
        GenericBatch.Update(this, keys, values, ref count, elemFlags, flags);

    /// <inheritdoc/>
    protected override int DeleteBatchCore(ReadOnlySpan<byte> keys, ref uint count, ulong elemFlags, ulong flags) =>
        GenericBatch.Delete(this, keys, ref count, elemFlags, flags);

    private static uint PrefixOf(ReadOnlySpan<byte> key) => BinaryPrimitives.ReadUInt32LittleEndian(key);

    private static int Bit(ReadOnlySpan<byte> data, int index) => (data[index >> 3] >> (7 - (index & 7))) & 1;

    /// <summary>How many of the first <paramref name="limit"/> bits of two prefixes are equal.</summary>
    private static int CommonBits(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int limit)
    {
        int bytes = limit >> 3, i = 0;
        while (i < bytes && a[i] == b[i]) i++;
        int bit = i * 8;
        while (bit < limit && Bit(a, bit) == Bit(b, bit)) bit++;
        return bit;
    }

    /// <summary>The first <paramref name="prefixLength"/> bits of <paramref name="data"/>, the rest zero.</summary>
    private byte[] Masked(ReadOnlySpan<byte> data, int prefixLength)
    {
        var bits = new byte[_dataSize];
        int whole = prefixLength >> 3;
        data[..whole].CopyTo(bits);
        if ((prefixLength & 7) != 0) bits[whole] = (byte)(data[whole] & (0xff00 >> (prefixLength & 7)));
        return bits;
    }

    private int Store(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags)
    {
        if (flags > MapFlags.Exist) return MapErrno.EINVAL;
        uint prefix = PrefixOf(key);
        if (prefix > MaxPrefixLength) return MapErrno.EINVAL;
        var node = FindExact(key);
        if (node is { HasElement: true })
        {
            if (flags == MapFlags.NoExist) return MapErrno.EEXIST;
        }
        else
        {
            if (flags == MapFlags.Exist) return MapErrno.ENOENT;
            if (Count >= MaxEntries) return MapErrno.ENOSPC;
            node ??= Insert(key[4..], (int)prefix);
            Count++;
        }
        // A fresh element, as the kernel allocates one: a program holding the old value keeps its memory.
        node.Key = key.ToArray();
        node.Value = value[..(int)ValueSize].ToArray();
        return 0;
    }

    /// <summary>The node whose prefix is exactly the key's (with or without an element), or null.</summary>
    private LpmTrieNode? FindExact(ReadOnlySpan<byte> key)
    {
        int prefix = (int)PrefixOf(key);
        var data = key[4..];
        for (var node = _root; node is not null && node.PrefixLength <= prefix;)
        {
            if (CommonBits(node.Bits, data, node.PrefixLength) < node.PrefixLength) return null;
            if (node.PrefixLength == prefix) return node;
            node = node.Children[Bit(data, node.PrefixLength)];
        }
        return null;
    }

    /// <summary>The element with the longest prefix matching the key's first prefixlen bits, or null.</summary>
    private LpmTrieNode? LongestMatch(ReadOnlySpan<byte> key)
    {
        uint prefix = PrefixOf(key);
        if (prefix > MaxPrefixLength) return null;
        var data = key[4..];
        LpmTrieNode? best = null;
        for (var node = _root; node is not null && node.PrefixLength <= prefix;)
        {
            if (CommonBits(node.Bits, data, node.PrefixLength) < node.PrefixLength) break;
            if (node.HasElement) best = node;
            if (node.PrefixLength == prefix) break;
            node = node.Children[Bit(data, node.PrefixLength)];
        }
        return best;
    }

    /// <summary>Adds a node for a prefix that has none (splitting an edge with a branch point when needed).</summary>
    private LpmTrieNode Insert(ReadOnlySpan<byte> data, int prefix)
    {
        var fresh = new LpmTrieNode(prefix, Masked(data, prefix));
        LpmTrieNode? parent = null;
        var node = _root;
        while (node is not null)
        {
            int common = CommonBits(node.Bits, data, Math.Min(node.PrefixLength, prefix));
            if (common == node.PrefixLength)
            {
                // The node is a proper prefix of the new one: go down.
                parent = node;
                node = node.Children[Bit(data, node.PrefixLength)];
                continue;
            }
            LpmTrieNode top;
            if (common == prefix)
            {
                // The new prefix is a proper prefix of the node: it goes above it.
                fresh.Children[Bit(node.Bits, prefix)] = node;
                node.Parent = fresh;
                top = fresh;
            }
            else
            {
                // They part at bit `common`: a branch point holds both.
                top = new LpmTrieNode(common, Masked(data, common));
                top.Children[Bit(data, common)] = fresh;
                top.Children[Bit(node.Bits, common)] = node;
                fresh.Parent = top;
                node.Parent = top;
            }
            Replace(parent, node, top);
            return fresh;
        }
        Replace(parent, null, fresh, Bit(data, parent?.PrefixLength ?? 0));
        return fresh;
    }

    /// <summary>Puts <paramref name="replacement"/> where <paramref name="old"/> hung under <paramref name="parent"/> (or at the root).</summary>
    private void Replace(LpmTrieNode? parent, LpmTrieNode? old, LpmTrieNode? replacement, int side = -1)
    {
        if (replacement is not null) replacement.Parent = parent;
        if (parent is null)
            _root = replacement;
        else
            parent.Children[side >= 0 ? side : parent.Children[0] == old ? 0 : 1] = replacement;
    }

    private void Remove(LpmTrieNode node)
    {
        node.Key = null;
        node.Value = null;
        Count--;
        switch (node.ChildCount)
        {
            case 2:
                return; // stays as a branch point
            case 1:
                Replace(node.Parent, node, node.Children[0] ?? node.Children[1]);
                return;
        }
        var parent = node.Parent;
        Replace(parent, node, null);
        // A branch point left with one child is no longer needed.
        if (parent is { HasElement: false }) Replace(parent.Parent, parent, parent.Children[0] ?? parent.Children[1]);
    }

    /// <summary>The first element in post-order under <paramref name="node"/>: its leftmost leaf.</summary>
    private static LpmTrieNode? Leftmost(LpmTrieNode? node)
    {
        while (node is not null && node.ChildCount > 0) node = node.Children[0] ?? node.Children[1];
        return node;
    }

    private LpmTrieNode? First() => Leftmost(_root);

    /// <summary>The element after <paramref name="node"/> in post-order (children before parents, 0 before 1).</summary>
    private static LpmTrieNode? Next(LpmTrieNode node)
    {
        for (var parent = node.Parent; parent is not null; node = parent, parent = parent.Parent)
        {
            if (parent.Children[0] == node && parent.Children[1] is { } right) return Leftmost(right);
            if (parent.HasElement) return parent;
        }
        return null;
    }
}
