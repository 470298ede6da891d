using System.Buffers.Binary;
using BpfSharp.Loader;

namespace BpfSharp.Runtime.Maps;

/// <summary>
/// BPF_MAP_TYPE_HASH, PERCPU_HASH, LRU_HASH and LRU_PERCPU_HASH: keys hashed into
/// roundup_pow_of_two(max_entries) buckets like the kernel's htab, so get-next-key walks buckets in order and
/// the batch token is a u32 bucket index. A full hash map refuses new keys with -E2BIG; an LRU map evicts its
/// least recently used element instead. The LRU here is exact and deterministic (a program's lookup or update
/// makes an element the newest; user-space lookups do not, as in the kernel); the kernel's LRU is approximate
/// (per-CPU free lists, eviction in batches) and may evict earlier than this one. BPF_F_NO_COMMON_LRU is accepted
/// and changes nothing here.
/// </summary>
public class HashMap : BpfMap
{
    private readonly HashMapEntry?[] _buckets;
    private readonly int _stride;
    private readonly int _cpus;
    private HashMapEntry? _newest, _oldest;

    /// <summary>Creates the map; sizes are assumed valid (see <see cref="BpfMapFactory"/>).</summary>
    public HashMap(MapSpec spec, MapCreateOptions? options = null) : base(spec)
    {
        options ??= MapCreateOptions.Default;
        _cpus = spec.Type is MapType.PercpuHash or MapType.LruPercpuHash ? options.CpuCount : 1;
        _stride = RoundUp8(spec.ValueSize);
        _buckets = new HashMapEntry?[BucketCountFor(spec.MaxEntries)];
        ValuesHaveSpinLock = options.ValuesHaveSpinLock && _cpus == 1 && spec.Type == MapType.Hash;
    }

    /// <summary>The kernel's bucket count: max_entries rounded up to a power of two.</summary>
    public static int BucketCountFor(uint maxEntries) => (int)Math.Max(1u, System.Numerics.BitOperations.RoundUpToPowerOf2(Math.Max(maxEntries, 1u)));

    /// <summary>The number of elements.</summary>
    public int Count { get; private set; }

    /// <summary>The number of buckets (the range of batch tokens).</summary>
    public int BucketCount => _buckets.Length;

    /// <summary>Whether this is an LRU map.</summary>
    public bool IsLru => Type is MapType.LruHash or MapType.LruPercpuHash;

    /// <inheritdoc/>
    public override bool IsPerCpu => Type is MapType.PercpuHash or MapType.LruPercpuHash;

    /// <inheritdoc/>
    public override int CpuCount => _cpus;

    /// <inheritdoc/>
    public override int BatchTokenSize => 4;

    /// <summary>The keys from least to most recently used (LRU maps; empty otherwise).</summary>
    public IEnumerable<byte[]> KeysByRecency()
    {
        for (var e = _oldest; e is not null; e = e.Newer) yield return e.Key;
    }

    /// <inheritdoc/>
    public override bool TryLookup(ReadOnlySpan<byte> key, int cpu, out MemorySlice value)
    {
        var entry = Find(key, KeyHash.Of(key));
        if (entry is null)
        {
            value = default;
            return false;
        }
        Touch(entry);
        value = new MemorySlice(entry.Value, CheckCpu(cpu) * _stride, (int)ValueSize);
        return true;
    }

    /// <inheritdoc/>
    public override int Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags, int cpu) =>
        Store(key, value, flags, CheckCpu(cpu), allCpus: false, out _);

    /// <inheritdoc/>
    public override int Delete(ReadOnlySpan<byte> key)
    {
        uint hash = KeyHash.Of(key);
        var entry = Find(key, hash);
        if (entry is null) return MapErrno.ENOENT;
        Remove(entry);
        return 0;
    }

    /// <inheritdoc/>
    protected override int LookupElemCore(ReadOnlySpan<byte> key, Span<byte> value, ulong flags)
    {
        var entry = Find(key, KeyHash.Of(key));
        if (entry is null) return MapErrno.ENOENT;
        CopyOut(entry, value);
        return 0;
    }

    /// <inheritdoc/>
    protected override int UpdateElemCore(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags) =>
        Store(key, value, flags, 0, allCpus: true, out _);

    /// <inheritdoc/>
    protected override int LookupAndDeleteElemCore(ReadOnlySpan<byte> key, Span<byte> value, ulong flags)
    {
        var entry = Find(key, KeyHash.Of(key));
        if (entry is null) return MapErrno.ENOENT;
        CopyOut(entry, value);
        Remove(entry);
        return 0;
    }

    /// <inheritdoc/>
    protected override int GetNextKeyCore(ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        int bucket = 0;
        if (!key.IsEmpty)
        {
            uint hash = KeyHash.Of(key);
            var entry = Find(key, hash);
            if (entry is not null)
            {
                if (entry.Next is { } sameBucket)
                {
                    sameBucket.Key.CopyTo(nextKey);
                    return 0;
                }
                bucket = (int)(hash & (uint)(_buckets.Length - 1)) + 1;
            }
            // A key not in the map restarts the walk from the first key, as the kernel does.
        }
        for (; bucket < _buckets.Length; bucket++)
        {
            if (_buckets[bucket] is { } first)
            {
                first.Key.CopyTo(nextKey);
                return 0;
            }
        }
        return MapErrno.ENOENT;
    }

    /// <inheritdoc/>
    protected override int LookupBatchCore(ReadOnlySpan<byte> inBatch, Span<byte> outBatch, Span<byte> keys, Span<byte> values,
        ref uint count, ulong elemFlags, ulong flags, bool delete)
    {
        if (GenericBatch.CheckFlags(this, elemFlags, flags) is not 0 and int bad) return bad;
        if (flags != 0) return MapErrno.EINVAL;
        uint max = count;
        if (max == 0) return 0;
        count = 0;
        uint bucket = inBatch.IsEmpty ? 0 : BinaryPrimitives.ReadUInt32LittleEndian(inBatch);
        if (bucket >= _buckets.Length) return MapErrno.ENOENT;
        int keySize = (int)KeySize, valueSize = SyscallValueSize, result = 0;
        uint total = 0;
        while (true)
        {
            uint inBucket = 0;
            for (var e = _buckets[bucket]; e is not null; e = e.Next) inBucket++;
            // A bucket is returned whole or not at all.
            if (inBucket > max - total)
            {
                if (total == 0) result = MapErrno.ENOSPC;
                break;
            }
            for (var e = _buckets[bucket]; e is not null; e = e.Next)
            {
                e.Key.CopyTo(keys[((int)total * keySize)..]);
                CopyOut(e, values.Slice((int)total * valueSize, valueSize));
                total++;
                if (delete) Remove(e);
            }
            bucket++;
            if (bucket >= _buckets.Length)
            {
                result = MapErrno.ENOENT;
                break;
            }
        }
        BinaryPrimitives.WriteUInt32LittleEndian(outBatch, bucket);
        count = total;
        return result;
    }

    /// <inheritdoc/>
    protected override int UpdateBatchCore(ReadOnlySpan<byte> keys, ReadOnlySpan<byte> values, ref uint count, ulong elemFlags, ulong flags) =>
        GenericBatch.Update(this, keys, values, ref count, elemFlags, flags);

    /// <inheritdoc/>
    protected override int DeleteBatchCore(ReadOnlySpan<byte> keys, ref uint count, ulong elemFlags, ulong flags) =>
        GenericBatch.Delete(this, keys, ref count, elemFlags, flags);

    /// <summary>Stores an object (hash of maps) under <paramref name="key"/> with update flags; 0 or a negative errno.</summary>
    protected int StoreObject(ReadOnlySpan<byte> key, object target, ulong flags)
    {
        int result = Store(key, new byte[SyscallValueSize], flags, 0, allCpus: true, out var entry);
        if (result == 0) entry!.Object = target;
        return result;
    }

    /// <summary>The object stored under <paramref name="key"/> (hash of maps), or null.</summary>
    protected object? FindObject(ReadOnlySpan<byte> key) => Find(key, KeyHash.Of(key))?.Object;

    private int Store(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags, int cpu, bool allCpus, out HashMapEntry? stored)
    {
        stored = null;
        bool locked = (flags & MapFlags.Lock) != 0;
        ulong kind = IsPerCpu ? flags : flags & ~MapFlags.Lock;
        if (kind > MapFlags.Exist) return MapErrno.EINVAL;
        if (locked && !ValuesHaveSpinLock) return MapErrno.EINVAL;
        uint hash = KeyHash.Of(key);
        var entry = Find(key, hash);
        if (entry is not null)
        {
            if ((flags & MapFlags.NoExist) != 0) return MapErrno.EEXIST;
            if (IsPerCpu || locked)
                CopyIn(entry.Value, value, cpu, allCpus); // in place, as the kernel updates per-CPU and locked values
            else
            {
                // A new element replaces the old one; a program still holding the old value keeps its memory.
                var fresh = new byte[entry.Value.Length];
                CopyIn(fresh, value, cpu, allCpus);
                entry.Value = fresh;
            }
            Touch(entry);
            stored = entry;
            return 0;
        }
        if ((flags & MapFlags.Exist) != 0) return MapErrno.ENOENT;
        if (Count >= MaxEntries)
        {
            if (!IsLru || _oldest is null) return MapErrno.E2BIG;
            Remove(_oldest);
        }
        var bytes = new byte[_stride * _cpus];
        CopyIn(bytes, value, cpu, allCpus);
        entry = new HashMapEntry(key.ToArray(), hash, bytes);
        ref var head = ref _buckets[hash & (uint)(_buckets.Length - 1)];
        entry.Next = head;
        head = entry;
        Count++;
        if (IsLru) LinkNewest(entry);
        stored = entry;
        return 0;
    }

    private void CopyIn(byte[] target, ReadOnlySpan<byte> value, int cpu, bool allCpus)
    {
        if (!IsPerCpu)
            value[..(int)ValueSize].CopyTo(target);
        else if (allCpus)
            value[..(_stride * _cpus)].CopyTo(target); // whole 8-byte slots, padding included, as the kernel copies them
        else
            value[..(int)ValueSize].CopyTo(target.AsSpan(cpu * _stride));
    }

    private void CopyOut(HashMapEntry entry, Span<byte> value)
    {
        if (!IsPerCpu)
            entry.Value.AsSpan(0, (int)ValueSize).CopyTo(value);
        else
            for (int c = 0; c < _cpus; c++) entry.Value.AsSpan(c * _stride, _stride).CopyTo(value[(c * _stride)..]);
    }

    private HashMapEntry? Find(ReadOnlySpan<byte> key, uint hash)
    {
        for (var e = _buckets[hash & (uint)(_buckets.Length - 1)]; e is not null; e = e.Next)
            if (e.Hash == hash && key.SequenceEqual(e.Key)) return e;
        return null;
    }

    private void Remove(HashMapEntry entry)
    {
        int bucket = (int)(entry.Hash & (uint)(_buckets.Length - 1));
        if (_buckets[bucket] == entry)
            _buckets[bucket] = entry.Next;
        else
        {
            var previous = _buckets[bucket]!;
            while (previous.Next != entry) previous = previous.Next!;
            previous.Next = entry.Next;
        }
        // entry.Next is kept: a batch walking the bucket continues from it.
        Count--;
        if (IsLru) Unlink(entry);
    }

    private void Touch(HashMapEntry entry)
    {
        if (!IsLru || _newest == entry) return;
        Unlink(entry);
        LinkNewest(entry);
    }

    private void LinkNewest(HashMapEntry entry)
    {
        entry.Older = _newest;
        entry.Newer = null;
        if (_newest is not null) _newest.Newer = entry;
        _newest = entry;
        _oldest ??= entry;
    }

    private void Unlink(HashMapEntry entry)
    {
        if (entry.Older is not null) entry.Older.Newer = entry.Newer; else _oldest = entry.Newer;
        if (entry.Newer is not null) entry.Newer.Older = entry.Older; else _newest = entry.Older;
        entry.Older = entry.Newer = null;
    }

    private int CheckCpu(int cpu)
    {
        if (!IsPerCpu) return 0;
        if ((uint)cpu >= (uint)_cpus) throw new ArgumentOutOfRangeException(nameof(cpu), $"cpu {cpu} is not one of the {_cpus} simulated CPUs");
        return cpu;
    }
}
