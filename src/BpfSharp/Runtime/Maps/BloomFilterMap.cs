using System.Numerics;
using BpfSharp.Loader;

namespace BpfSharp.Runtime.Maps;

/// <summary>
/// BPF_MAP_TYPE_BLOOM_FILTER: a bit set that answers "maybe present" or "definitely absent" for values (no keys).
/// map_extra's low 4 bits give the number of hash functions (0 means the default, 5); the bit count is
/// max_entries x hashes / ln 2 rounded up to a power of two, as the kernel sizes it. Push adds a value, peek
/// answers 0 (maybe) or -ENOENT (absent); there is never a false negative. Hashes are deterministic here (the
/// kernel seeds jhash randomly unless BPF_F_ZERO_SEED).
/// </summary>
public sealed class BloomFilterMap : BpfMap
{
    /// <summary>The number of hash functions when map_extra says 0.</summary>
    public const int DefaultHashCount = 5;

    private readonly ulong[] _bits;
    private readonly uint _mask;

    /// <summary>Creates the filter; sizes are assumed valid (see <see cref="BpfMapFactory"/>).</summary>
    public BloomFilterMap(MapSpec spec) : base(spec)
    {
        int hashes = (int)(spec.MapExtra & 0xf);
        HashCount = hashes == 0 ? DefaultHashCount : hashes;
        ulong bits = BitCountFor(spec.MaxEntries, HashCount);
        _bits = new ulong[bits / 64];
        _mask = (uint)(bits - 1);
    }

    /// <summary>The number of hash functions.</summary>
    public int HashCount { get; }

    /// <summary>The number of bits.</summary>
    public long BitCount => (long)_bits.Length * 64;

    /// <summary>The bit count the kernel picks: entries x hashes x 7/5 (about 1/ln 2), a power of two, at least 64.</summary>
    public static ulong BitCountFor(uint maxEntries, int hashCount)
    {
        ulong wanted = Math.Max(64UL, (ulong)maxEntries * (ulong)hashCount * 7 / 5);
        return wanted > 1UL << 32 ? 1UL << 32 : BitOperations.RoundUpToPowerOf2(wanted);
    }

    /// <summary>bpf_map_push_elem: adds <paramref name="value"/>; flags must be BPF_ANY (-EINVAL otherwise).</summary>
    public override int Push(ReadOnlySpan<byte> value, ulong flags)
    {
        if (flags != MapFlags.Any) return MapErrno.EINVAL;
        for (int i = 0; i < HashCount; i++)
        {
            uint bit = Bit(value, i);
            _bits[bit >> 6] |= 1UL << (int)(bit & 63);
        }
        return 0;
    }

    /// <summary>bpf_map_peek_elem: 0 when <paramref name="value"/> may be present, -ENOENT when it is certainly not.</summary>
    public override int Peek(Span<byte> value)
    {
        for (int i = 0; i < HashCount; i++)
        {
            uint bit = Bit(value, i);
            if ((_bits[bit >> 6] & (1UL << (int)(bit & 63))) == 0) return MapErrno.ENOENT;
        }
        return 0;
    }

    /// <summary>Bloom filters have no elements to look up by key.</summary>
    public override bool TryLookup(ReadOnlySpan<byte> key, int cpu, out MemorySlice value)
    {
        value = default;
        return false;
    }

    /// <summary>-EINVAL: programs push instead.</summary>
    public override int Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags, int cpu) => MapErrno.EINVAL;

    /// <summary>-EOPNOTSUPP: nothing can be removed from a bloom filter.</summary>
    public override int Delete(ReadOnlySpan<byte> key) => MapErrno.EOPNOTSUPP;

    /// <summary>User-space lookup: the value buffer is the value to test (the kernel reads it in).</summary>
    protected override int LookupElemCore(ReadOnlySpan<byte> key, Span<byte> value, ulong flags) => Peek(value);

    /// <inheritdoc/>
    protected override int UpdateElemCore(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags) => Push(value, flags);

    /// <inheritdoc/>
    protected override int GetNextKeyCore(ReadOnlySpan<byte> key, Span<byte> nextKey) => MapErrno.EOPNOTSUPP;

    private uint Bit(ReadOnlySpan<byte> value, int index) => KeyHash.Of(value[..(int)ValueSize], (uint)index) & _mask;
}
