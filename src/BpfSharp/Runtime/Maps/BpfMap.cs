using System.Buffers.Binary;
using BpfSharp.Loader;

namespace BpfSharp.Runtime.Maps;

/// <summary>
/// A map of the userspace runtime: the contract the interpreter and the helpers use. Concrete map types
/// (array, hash, LRU, ringbuf, ...) derive from it and add their .NET API. Results follow the kernel's
/// conventions: 0 or a negative errno.
/// </summary>
public abstract class BpfMap
{
    /// <summary>Creates the map from its specification.</summary>
    protected BpfMap(MapSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Name = spec.Name;
        Type = spec.Type;
        KeySize = spec.KeySize;
        ValueSize = spec.ValueSize;
        MaxEntries = spec.MaxEntries;
        Flags = spec.Flags;
    }

    private string? _handleName, _valueRegionName;

    /// <summary>The name of the region behind the map's handle (built once: runs map it often).</summary>
    internal string HandleName => _handleName ??= "map " + Name;

    /// <summary>The name of a region holding one of its values (built once).</summary>
    internal string ValueRegionName => _valueRegionName ??= "value of map " + Name;

    /// <summary>The map's name in its object.</summary>
    public string Name { get; }

    /// <summary>Its kernel map type.</summary>
    public MapType Type { get; }

    /// <summary>Key size in bytes.</summary>
    public uint KeySize { get; }

    /// <summary>Value size in bytes (per CPU for per-CPU maps).</summary>
    public uint ValueSize { get; }

    /// <summary>Capacity.</summary>
    public uint MaxEntries { get; }

    /// <summary>Creation flags (BPF_F_*).</summary>
    public uint Flags { get; }

    /// <summary>
    /// What a program's bpf_map_lookup_elem sees: the value memory of <paramref name="cpu"/> for the key, which
    /// stays valid (not reused for another element) while the program runs; false when there is none.
    /// </summary>
    public abstract bool TryLookup(ReadOnlySpan<byte> key, int cpu, out MemorySlice value);

    /// <summary>A program's bpf_map_update_elem: 0 or a negative errno (-EEXIST, -ENOENT, -E2BIG, -EINVAL, ...).</summary>
    public abstract int Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags, int cpu);

    /// <summary>A program's bpf_map_delete_elem: 0 or a negative errno.</summary>
    public abstract int Delete(ReadOnlySpan<byte> key);

    /// <summary>
    /// For maps that hold objects rather than bytes (prog array: a program; array/hash of maps: a map): the object
    /// at <paramref name="key"/>, or null. Other maps hold none.
    /// </summary>
    public virtual object? LookupObject(ReadOnlySpan<byte> key) => null;

    /// <summary>
    /// A program's bpf_map_push_elem (queue, stack, bloom filter): 0 or a negative errno; -EOPNOTSUPP on other maps.
    /// </summary>
    public virtual int Push(ReadOnlySpan<byte> value, ulong flags) => MapErrno.EOPNOTSUPP;

    /// <summary>A program's bpf_map_pop_elem (queue, stack): 0 with the value copied out, or a negative errno.</summary>
    public virtual int Pop(Span<byte> value) => MapErrno.EOPNOTSUPP;

    /// <summary>
    /// A program's bpf_map_peek_elem: queue/stack copy the next value out; a bloom filter answers 0 (maybe present)
    /// or -ENOENT (definitely absent) for <paramref name="value"/>.
    /// </summary>
    public virtual int Peek(Span<byte> value) => MapErrno.EOPNOTSUPP;

    // ---- The user-space (bpf syscall) side: what a test author or a loader uses. ----

    private bool _frozen;

    /// <summary>Whether the map holds one value per simulated CPU.</summary>
    public virtual bool IsPerCpu => false;

    /// <summary>The number of simulated CPUs whose values a per-CPU map holds (1 for other maps).</summary>
    public virtual int CpuCount => 1;

    /// <summary>Whether values hold a bpf_spin_lock, so BPF_F_LOCK is accepted.</summary>
    public bool ValuesHaveSpinLock { get; protected init; }

    /// <summary>
    /// The bytes a syscall-side value buffer holds: <see cref="ValueSize"/>, or for per-CPU maps one value per CPU,
    /// each rounded up to 8 bytes, as the bpf syscall lays them out.
    /// </summary>
    public int SyscallValueSize => IsPerCpu ? RoundUp8(ValueSize) * CpuCount : (int)ValueSize;

    /// <summary>The size of a batch token (in_batch/out_batch): the key for generic batches, a u32 bucket for hash maps.</summary>
    public virtual int BatchTokenSize => (int)KeySize;

    /// <summary>Whether <see cref="Freeze"/> was called: user space can no longer write.</summary>
    public bool IsFrozen => _frozen;

    /// <summary>BPF_MAP_FREEZE: from now on user-space updates and deletes fail with -EPERM (programs still write).</summary>
    public int Freeze()
    {
        if ((Flags & MapFlags.WriteOnly) != 0) return MapErrno.EPERM;
        _frozen = true;
        return 0;
    }

    /// <summary>
    /// BPF_MAP_LOOKUP_ELEM: copies the value (all CPUs' values for per-CPU maps, see <see cref="SyscallValueSize"/>)
    /// into <paramref name="value"/>. Returns 0, -ENOENT, -EINVAL (flags), -EPERM (write-only map).
    /// </summary>
    /// <exception cref="ArgumentException">The key or the value buffer has the wrong size.</exception>
    public int LookupElem(ReadOnlySpan<byte> key, Span<byte> value, ulong flags = 0)
    {
        CheckKey(key);
        CheckValueBuffer(value.Length);
        if ((Flags & MapFlags.WriteOnly) != 0) return MapErrno.EPERM;
        if ((flags & ~MapFlags.Lock) != 0) return MapErrno.EINVAL;
        if ((flags & MapFlags.Lock) != 0 && !ValuesHaveSpinLock) return MapErrno.EINVAL;
        return LookupElemCore(key, value[..SyscallValueSize], flags);
    }

    /// <summary>BPF_MAP_UPDATE_ELEM: 0 or a negative errno (-EEXIST, -ENOENT, -E2BIG, -EINVAL, -EPERM, ...).</summary>
    /// <exception cref="ArgumentException">The key or the value has the wrong size.</exception>
    public int UpdateElem(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags = 0)
    {
        CheckKey(key);
        CheckValueBuffer(value.Length);
        if (_frozen || (Flags & MapFlags.ReadOnly) != 0) return MapErrno.EPERM;
        if ((flags & MapFlags.Lock) != 0 && !ValuesHaveSpinLock) return MapErrno.EINVAL;
        return UpdateElemCore(key, value[..SyscallValueSize], flags);
    }

    /// <summary>BPF_MAP_DELETE_ELEM: 0 or a negative errno (-ENOENT, -EINVAL for arrays, -EPERM).</summary>
    /// <exception cref="ArgumentException">The key has the wrong size.</exception>
    public int DeleteElem(ReadOnlySpan<byte> key)
    {
        CheckKey(key);
        if (_frozen || (Flags & MapFlags.ReadOnly) != 0) return MapErrno.EPERM;
        return DeleteElemCore(key);
    }

    /// <summary>
    /// BPF_MAP_LOOKUP_AND_DELETE_ELEM: hash maps remove the key and return its value; queue/stack pop (empty key).
    /// -ENOTSUPP on maps that do not support it, as the kernel answers.
    /// </summary>
    public int LookupAndDeleteElem(ReadOnlySpan<byte> key, Span<byte> value, ulong flags = 0)
    {
        CheckKey(key);
        CheckValueBuffer(value.Length);
        if (_frozen || (Flags & (MapFlags.ReadOnly | MapFlags.WriteOnly)) != 0) return MapErrno.EPERM;
        if ((flags & ~MapFlags.Lock) != 0) return MapErrno.EINVAL;
        if ((flags & MapFlags.Lock) != 0 && !ValuesHaveSpinLock) return MapErrno.EINVAL;
        return LookupAndDeleteElemCore(key, value[..SyscallValueSize], flags);
    }

    /// <summary>
    /// BPF_MAP_GET_NEXT_KEY: the key after <paramref name="key"/> in the map's order; an empty
    /// <paramref name="key"/> (NULL) or a key that is not in the map gives the first key. -ENOENT after the last.
    /// </summary>
    public int GetNextKey(ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        if (!key.IsEmpty) CheckKey(key);
        if (nextKey.Length < KeySize) throw new ArgumentException($"map '{Name}' needs a {KeySize}-byte next-key buffer, got {nextKey.Length}", nameof(nextKey));
        if ((Flags & MapFlags.WriteOnly) != 0) return MapErrno.EPERM;
        return GetNextKeyCore(key, nextKey[..(int)KeySize]);
    }

    /// <summary>
    /// BPF_MAP_LOOKUP_BATCH: copies up to <paramref name="count"/> elements from the position
    /// <paramref name="inBatch"/> (empty: the start) into <paramref name="keys"/>/<paramref name="values"/>, sets
    /// <paramref name="count"/> to how many it copied and <paramref name="outBatch"/> to where to resume. Returns 0,
    /// -ENOENT when the end was reached (count may still be non-zero), -ENOSPC when a hash bucket does not fit,
    /// -EINVAL (flags), -ENOTSUPP.
    /// </summary>
    public int LookupBatch(ReadOnlySpan<byte> inBatch, Span<byte> outBatch, Span<byte> keys, Span<byte> values, ref uint count,
        ulong elemFlags = 0, ulong flags = 0)
    {
        CheckBatch(inBatch, outBatch, keys, values, count, withValues: true);
        CheckToken(outBatch);
        if ((Flags & MapFlags.WriteOnly) != 0) return MapErrno.EPERM;
        return LookupBatchCore(inBatch, outBatch, keys, values, ref count, elemFlags, flags, delete: false);
    }

    /// <summary>BPF_MAP_LOOKUP_AND_DELETE_BATCH: <see cref="LookupBatch"/> that also removes what it returns.</summary>
    public int LookupAndDeleteBatch(ReadOnlySpan<byte> inBatch, Span<byte> outBatch, Span<byte> keys, Span<byte> values, ref uint count,
        ulong elemFlags = 0, ulong flags = 0)
    {
        CheckBatch(inBatch, outBatch, keys, values, count, withValues: true);
        CheckToken(outBatch);
        if (_frozen || (Flags & (MapFlags.ReadOnly | MapFlags.WriteOnly)) != 0) return MapErrno.EPERM;
        return LookupBatchCore(inBatch, outBatch, keys, values, ref count, elemFlags, flags, delete: true);
    }

    /// <summary>
    /// BPF_MAP_UPDATE_BATCH: updates <paramref name="count"/> elements in order with <paramref name="elemFlags"/>
    /// (0 or BPF_F_LOCK), stopping at the first failure; <paramref name="count"/> becomes the number done.
    /// </summary>
    public int UpdateBatch(ReadOnlySpan<byte> keys, ReadOnlySpan<byte> values, ref uint count, ulong elemFlags = 0, ulong flags = 0)
    {
        CheckBatch([], [], keys, values, count, withValues: true);
        if (_frozen || (Flags & MapFlags.ReadOnly) != 0) return MapErrno.EPERM;
        return UpdateBatchCore(keys, values, ref count, elemFlags, flags);
    }

    /// <summary>BPF_MAP_DELETE_BATCH: deletes <paramref name="count"/> keys in order, stopping at the first failure.</summary>
    public int DeleteBatch(ReadOnlySpan<byte> keys, ref uint count, ulong elemFlags = 0, ulong flags = 0)
    {
        CheckBatch([], [], keys, [], count, withValues: false);
        if (_frozen || (Flags & MapFlags.ReadOnly) != 0) return MapErrno.EPERM;
        return DeleteBatchCore(keys, ref count, elemFlags, flags);
    }

    /// <summary>
    /// Iteration over an array indexed by a u32 key, as the kernel's array-like maps do: the key after
    /// <paramref name="key"/>, the first index for an empty or out-of-range key, -ENOENT after the last.
    /// </summary>
    protected int NextIndexKey(ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        uint next = 0;
        if (!key.IsEmpty)
        {
            uint index = BinaryPrimitives.ReadUInt32LittleEndian(key);
            if (index < MaxEntries)
            {
                if (index == MaxEntries - 1) return MapErrno.ENOENT;
                next = index + 1;
            }
        }
        BinaryPrimitives.WriteUInt32LittleEndian(nextKey, next);
        return 0;
    }

    /// <summary>Empties the object slot a u32 key names: 0, -E2BIG (index), -ENOENT (already empty).</summary>
    protected static int ClearSlot<T>(T?[] slots, ReadOnlySpan<byte> key) where T : class
    {
        uint index = BinaryPrimitives.ReadUInt32LittleEndian(key);
        if (index >= (uint)slots.Length) return MapErrno.E2BIG;
        if (slots[index] is null) return MapErrno.ENOENT;
        slots[index] = null;
        return 0;
    }

    /// <summary>The map's lookup for user space; the buffer is exactly <see cref="SyscallValueSize"/> bytes.</summary>
    protected virtual int LookupElemCore(ReadOnlySpan<byte> key, Span<byte> value, ulong flags) => MapErrno.ENOTSUPP;

    /// <summary>The map's update for user space; the value is exactly <see cref="SyscallValueSize"/> bytes.</summary>
    protected virtual int UpdateElemCore(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags) => MapErrno.ENOTSUPP;

    /// <summary>The map's delete for user space (by default a program's delete).</summary>
    protected virtual int DeleteElemCore(ReadOnlySpan<byte> key) => Delete(key);

    /// <summary>The map's lookup-and-delete for user space.</summary>
    protected virtual int LookupAndDeleteElemCore(ReadOnlySpan<byte> key, Span<byte> value, ulong flags) => MapErrno.ENOTSUPP;

    /// <summary>The map's get-next-key; an empty <paramref name="key"/> means NULL.</summary>
    protected virtual int GetNextKeyCore(ReadOnlySpan<byte> key, Span<byte> nextKey) => MapErrno.ENOTSUPP;

    /// <summary>The map's lookup batch (and lookup-and-delete batch when <paramref name="delete"/>).</summary>
    protected virtual int LookupBatchCore(ReadOnlySpan<byte> inBatch, Span<byte> outBatch, Span<byte> keys, Span<byte> values,
        ref uint count, ulong elemFlags, ulong flags, bool delete) => MapErrno.ENOTSUPP;

    /// <summary>The map's update batch.</summary>
    protected virtual int UpdateBatchCore(ReadOnlySpan<byte> keys, ReadOnlySpan<byte> values, ref uint count, ulong elemFlags, ulong flags) =>
        MapErrno.ENOTSUPP;

    /// <summary>The map's delete batch.</summary>
    protected virtual int DeleteBatchCore(ReadOnlySpan<byte> keys, ref uint count, ulong elemFlags, ulong flags) => MapErrno.ENOTSUPP;

    /// <summary><paramref name="size"/> rounded up to a multiple of 8 (how the kernel lays out array and per-CPU values).</summary>
    protected static int RoundUp8(uint size) => (int)((size + 7) & ~7u);

    private void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize) throw new ArgumentException($"map '{Name}' has {KeySize}-byte keys, got {key.Length}", nameof(key));
    }

    private void CheckValueBuffer(int length)
    {
        if (length < SyscallValueSize)
            throw new ArgumentException($"map '{Name}' needs a {SyscallValueSize}-byte value buffer{(IsPerCpu ? $" ({CpuCount} CPUs x {RoundUp8(ValueSize)})" : "")}, got {length}", "value");
    }

    private void CheckBatch(ReadOnlySpan<byte> inBatch, Span<byte> outBatch, ReadOnlySpan<byte> keys, ReadOnlySpan<byte> values, uint count, bool withValues)
    {
        if (!inBatch.IsEmpty && inBatch.Length != BatchTokenSize)
            throw new ArgumentException($"map '{Name}' has {BatchTokenSize}-byte batch tokens, got {inBatch.Length}", nameof(inBatch));
        long keyBytes = (long)count * KeySize, valueBytes = withValues ? (long)count * SyscallValueSize : 0;
        if (keys.Length < keyBytes) throw new ArgumentException($"{count} keys need {keyBytes} bytes, got {keys.Length}", nameof(keys));
        if (values.Length < valueBytes) throw new ArgumentException($"{count} values need {valueBytes} bytes, got {values.Length}", nameof(values));
        _ = outBatch;
    }

    private void CheckToken(Span<byte> outBatch)
    {
        if (outBatch.Length < BatchTokenSize)
            throw new ArgumentException($"map '{Name}' needs a {BatchTokenSize}-byte out_batch buffer, got {outBatch.Length}", nameof(outBatch));
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({KernelNames.Of(Type)}, key {KeySize}, value {ValueSize}, max {MaxEntries})";
}
