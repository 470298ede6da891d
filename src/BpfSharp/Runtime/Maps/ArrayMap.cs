using System.Buffers.Binary;
using BpfSharp.Loader;

namespace BpfSharp.Runtime.Maps;

/// <summary>
/// BPF_MAP_TYPE_ARRAY and BPF_MAP_TYPE_PERCPU_ARRAY: max_entries values indexed by a u32 key, all present from
/// creation and zeroed, never deleted. One backing array holds every value (per CPU for the per-CPU type), each
/// rounded up to 8 bytes as the kernel lays them out, so a value's memory never moves.
/// </summary>
public sealed class ArrayMap : BpfMap
{
    private readonly byte[] _data;
    private readonly int _stride;
    private readonly int _cpus;

    /// <summary>Creates the array; sizes are assumed valid (see <see cref="BpfMapFactory"/>).</summary>
    public ArrayMap(MapSpec spec, MapCreateOptions? options = null) : base(spec)
    {
        options ??= MapCreateOptions.Default;
        if (spec.Type is not (MapType.Array or MapType.PercpuArray)) throw new ArgumentException($"not an array map: {spec.Type}", nameof(spec));
        _cpus = spec.Type == MapType.PercpuArray ? options.CpuCount : 1;
        _stride = RoundUp8(spec.ValueSize);
        _data = new byte[checked((long)_cpus * spec.MaxEntries * _stride)];
        ValuesHaveSpinLock = options.ValuesHaveSpinLock && !IsPerCpu;
    }

    /// <inheritdoc/>
    public override bool IsPerCpu => Type == MapType.PercpuArray;

    /// <inheritdoc/>
    public override int CpuCount => _cpus;

    /// <summary>The memory of one element's value (of <paramref name="cpu"/> for per-CPU arrays): what programs see.</summary>
    public MemorySlice ValueMemory(uint index, int cpu = 0)
    {
        if (index >= MaxEntries) throw new ArgumentOutOfRangeException(nameof(index), $"index {index} is beyond max_entries {MaxEntries}");
        return new MemorySlice(_data, Offset(index, CheckCpu(cpu)), (int)ValueSize);
    }

    /// <inheritdoc/>
    public override bool TryLookup(ReadOnlySpan<byte> key, int cpu, out MemorySlice value)
    {
        uint index = BinaryPrimitives.ReadUInt32LittleEndian(key);
        if (index >= MaxEntries)
        {
            value = default;
            return false;
        }
        value = new MemorySlice(_data, Offset(index, CheckCpu(cpu)), (int)ValueSize);
        return true;
    }

    /// <inheritdoc/>
    public override int Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags, int cpu)
    {
        int check = CheckUpdate(key, flags, out uint index);
        if (check != 0) return check;
        value[..(int)ValueSize].CopyTo(_data.AsSpan(Offset(index, CheckCpu(cpu)), (int)ValueSize));
        return 0;
    }

    /// <summary>Array elements cannot be deleted: -EINVAL, as the kernel answers.</summary>
    public override int Delete(ReadOnlySpan<byte> key) => MapErrno.EINVAL;

    /// <inheritdoc/>
    protected override int LookupElemCore(ReadOnlySpan<byte> key, Span<byte> value, ulong flags)
    {
        uint index = BinaryPrimitives.ReadUInt32LittleEndian(key);
        if (index >= MaxEntries) return MapErrno.ENOENT;
        if (!IsPerCpu)
        {
            _data.AsSpan(Offset(index, 0), (int)ValueSize).CopyTo(value);
            return 0;
        }
        for (int cpu = 0; cpu < _cpus; cpu++)
            _data.AsSpan(Offset(index, cpu), _stride).CopyTo(value[(cpu * _stride)..]);
        return 0;
    }

    /// <inheritdoc/>
    protected override int UpdateElemCore(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags)
    {
        int check = CheckUpdate(key, flags, out uint index);
        if (check != 0) return check;
        if (!IsPerCpu)
        {
            value.CopyTo(_data.AsSpan(Offset(index, 0), (int)ValueSize));
            return 0;
        }
        // Whole 8-byte slots, padding included, as the kernel copies them.
        for (int cpu = 0; cpu < _cpus; cpu++)
            value.Slice(cpu * _stride, _stride).CopyTo(_data.AsSpan(Offset(index, cpu), _stride));
        return 0;
    }

    /// <inheritdoc/>
    protected override int GetNextKeyCore(ReadOnlySpan<byte> key, Span<byte> nextKey) => NextIndexKey(key, nextKey);

    /// <inheritdoc/>
    protected override int LookupBatchCore(ReadOnlySpan<byte> inBatch, Span<byte> outBatch, Span<byte> keys, Span<byte> values,
        ref uint count, ulong elemFlags, ulong flags, bool delete) =>
        delete ? MapErrno.ENOTSUPP : GenericBatch.Lookup(this, inBatch, outBatch, keys, values, ref count, elemFlags, flags);

    /// <inheritdoc/>
    protected override int UpdateBatchCore(ReadOnlySpan<byte> keys, ReadOnlySpan<byte> values, ref uint count, ulong elemFlags, ulong flags) =>
        GenericBatch.Update(this, keys, values, ref count, elemFlags, flags);

    private int CheckUpdate(ReadOnlySpan<byte> key, ulong flags, out uint index)
    {
        index = BinaryPrimitives.ReadUInt32LittleEndian(key);
        // Per-CPU arrays take no BPF_F_LOCK at all; plain arrays ignore it for the flag range check.
        ulong kind = IsPerCpu ? flags : flags & ~MapFlags.Lock;
        if (kind > MapFlags.Exist) return MapErrno.EINVAL;
        if (index >= MaxEntries) return MapErrno.E2BIG;
        if ((flags & MapFlags.NoExist) != 0) return MapErrno.EEXIST;
        if ((flags & MapFlags.Lock) != 0 && !ValuesHaveSpinLock) return MapErrno.EINVAL;
        return 0;
    }

    private int Offset(uint index, int cpu) => checked((int)(((long)cpu * MaxEntries + index) * _stride));

    private int CheckCpu(int cpu)
    {
        if (!IsPerCpu) return 0;
        if ((uint)cpu >= (uint)_cpus) throw new ArgumentOutOfRangeException(nameof(cpu), $"cpu {cpu} is not one of the {_cpus} simulated CPUs");
        return cpu;
    }
}
