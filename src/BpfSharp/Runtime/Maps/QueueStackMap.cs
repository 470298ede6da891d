using BpfSharp.Loader;

namespace BpfSharp.Runtime.Maps;

/// <summary>
/// BPF_MAP_TYPE_QUEUE (FIFO) and BPF_MAP_TYPE_STACK (LIFO): values without keys (key_size 0). Push refuses a
/// full map with -E2BIG unless BPF_EXIST, which overwrites the oldest value; pop and peek of an empty map are
/// -ENOENT. From user space, update pushes, lookup peeks and lookup-and-delete pops.
/// </summary>
public sealed class QueueStackMap : BpfMap
{
    private readonly byte[] _values;
    private readonly int _capacity;
    private int _oldest;

    /// <summary>Creates the map; sizes are assumed valid (see <see cref="BpfMapFactory"/>).</summary>
    public QueueStackMap(MapSpec spec) : base(spec)
    {
        if (spec.Type is not (MapType.Queue or MapType.Stack)) throw new ArgumentException($"not a queue or stack: {spec.Type}", nameof(spec));
        _capacity = checked((int)spec.MaxEntries);
        _values = new byte[checked((long)_capacity * spec.ValueSize)];
    }

    /// <summary>The number of values held.</summary>
    public int Count { get; private set; }

    /// <inheritdoc/>
    public override int Push(ReadOnlySpan<byte> value, ulong flags)
    {
        if ((flags & MapFlags.NoExist) != 0 || flags > MapFlags.Exist) return MapErrno.EINVAL;
        if (Count == _capacity)
        {
            if ((flags & MapFlags.Exist) == 0) return MapErrno.E2BIG;
            _oldest = (_oldest + 1) % _capacity;
            Count--;
        }
        value[..(int)ValueSize].CopyTo(Slot((_oldest + Count) % _capacity));
        Count++;
        return 0;
    }

    /// <inheritdoc/>
    public override int Pop(Span<byte> value)
    {
        if (Count == 0) return MapErrno.ENOENT;
        Next().CopyTo(value);
        if (Type == MapType.Queue) _oldest = (_oldest + 1) % _capacity;
        Count--;
        return 0;
    }

    /// <inheritdoc/>
    public override int Peek(Span<byte> value)
    {
        if (Count == 0) return MapErrno.ENOENT;
        Next().CopyTo(value);
        return 0;
    }

    /// <summary>Programs use push/pop/peek, not lookup.</summary>
    public override bool TryLookup(ReadOnlySpan<byte> key, int cpu, out MemorySlice value)
    {
        value = default;
        return false;
    }

    /// <summary>-EINVAL: a program's update of a queue or stack (it pushes instead).</summary>
    public override int Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags, int cpu) => MapErrno.EINVAL;

    /// <summary>-EINVAL: queues and stacks have no keys to delete.</summary>
    public override int Delete(ReadOnlySpan<byte> key) => MapErrno.EINVAL;

    /// <inheritdoc/>
    protected override int LookupElemCore(ReadOnlySpan<byte> key, Span<byte> value, ulong flags) => Peek(value);

    /// <inheritdoc/>
    protected override int UpdateElemCore(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags) => Push(value, flags);

    /// <inheritdoc/>
    protected override int LookupAndDeleteElemCore(ReadOnlySpan<byte> key, Span<byte> value, ulong flags) =>
        flags != 0 ? MapErrno.EINVAL : Pop(value);

    /// <inheritdoc/>
    protected override int GetNextKeyCore(ReadOnlySpan<byte> key, Span<byte> nextKey) => MapErrno.EINVAL;

    private Span<byte> Next() => Slot(Type == MapType.Queue ? _oldest : (_oldest + Count - 1) % _capacity);

    private Span<byte> Slot(int index) => _values.AsSpan(index * (int)ValueSize, (int)ValueSize);
}
