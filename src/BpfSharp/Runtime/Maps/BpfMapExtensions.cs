using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BpfSharp.Runtime.Maps;

/// <summary>
/// Typed conveniences over a map's user-space API: keys and values as unmanaged structs (little-endian, as the
/// program sees them), per-CPU values as arrays, iteration over keys.
/// </summary>
public static class BpfMapExtensions
{
    /// <summary>BPF_MAP_LOOKUP_ELEM with typed key and value (CPU 0's value of a per-CPU map): 0 or a negative errno.</summary>
    public static int LookupElem<TKey, TValue>(this BpfMap map, TKey key, out TValue value)
        where TKey : unmanaged where TValue : unmanaged
    {
        CheckSizes<TKey, TValue>(map, perCpuArray: false);
        Span<byte> buffer = stackalloc byte[map.SyscallValueSize];
        int result = map.LookupElem(Bytes(ref key), buffer);
        value = result == 0 ? MemoryMarshal.Read<TValue>(buffer) : default;
        return result;
    }

    /// <summary>BPF_MAP_UPDATE_ELEM with typed key and value (the same value on every CPU of a per-CPU map).</summary>
    public static int UpdateElem<TKey, TValue>(this BpfMap map, TKey key, TValue value, ulong flags = MapFlags.Any)
        where TKey : unmanaged where TValue : unmanaged
    {
        CheckSizes<TKey, TValue>(map, perCpuArray: false);
        var buffer = new byte[map.SyscallValueSize];
        int stride = (int)((map.ValueSize + 7) & ~7u);
        for (int cpu = 0; cpu < (map.IsPerCpu ? map.CpuCount : 1); cpu++) MemoryMarshal.Write(buffer.AsSpan(cpu * stride), in value);
        return map.UpdateElem(Bytes(ref key), buffer, flags);
    }

    /// <summary>BPF_MAP_DELETE_ELEM with a typed key.</summary>
    public static int DeleteElem<TKey>(this BpfMap map, TKey key) where TKey : unmanaged
    {
        CheckKey<TKey>(map);
        return map.DeleteElem(Bytes(ref key));
    }

    /// <summary>Every CPU's value of a per-CPU map, or null when the key is not there.</summary>
    public static TValue[]? LookupPerCpu<TKey, TValue>(this BpfMap map, TKey key) where TKey : unmanaged where TValue : unmanaged
    {
        CheckSizes<TKey, TValue>(map, perCpuArray: true);
        var buffer = new byte[map.SyscallValueSize];
        if (map.LookupElem(Bytes(ref key), buffer) != 0) return null;
        int stride = (int)((map.ValueSize + 7) & ~7u);
        var values = new TValue[map.CpuCount];
        for (int cpu = 0; cpu < values.Length; cpu++) values[cpu] = MemoryMarshal.Read<TValue>(buffer.AsSpan(cpu * stride));
        return values;
    }

    /// <summary>Sets every CPU's value of a per-CPU map (one value per CPU).</summary>
    public static int UpdatePerCpu<TKey, TValue>(this BpfMap map, TKey key, ReadOnlySpan<TValue> values, ulong flags = MapFlags.Any)
        where TKey : unmanaged where TValue : unmanaged
    {
        CheckSizes<TKey, TValue>(map, perCpuArray: true);
        if (values.Length != map.CpuCount) throw new ArgumentException($"map '{map.Name}' has {map.CpuCount} CPUs, got {values.Length} values", nameof(values));
        var buffer = new byte[map.SyscallValueSize];
        int stride = (int)((map.ValueSize + 7) & ~7u);
        for (int cpu = 0; cpu < values.Length; cpu++) MemoryMarshal.Write(buffer.AsSpan(cpu * stride), in values[cpu]);
        return map.UpdateElem(Bytes(ref key), buffer, flags);
    }

    /// <summary>The keys in get-next-key order (a snapshot walk; changing the map while walking follows the kernel's rules).</summary>
    public static IEnumerable<byte[]> Keys(this BpfMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        byte[] previous = [];
        while (true)
        {
            var next = new byte[map.KeySize];
            if (map.GetNextKey(previous, next) != 0) yield break;
            yield return next;
            previous = next;
        }
    }

    private static ReadOnlySpan<byte> Bytes<T>(ref T value) where T : unmanaged => MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value));

    private static void CheckKey<TKey>(BpfMap map) where TKey : unmanaged
    {
        ArgumentNullException.ThrowIfNull(map);
        if (Unsafe.SizeOf<TKey>() != map.KeySize)
            throw new ArgumentException($"map '{map.Name}' has {map.KeySize}-byte keys; {typeof(TKey).Name} has {Unsafe.SizeOf<TKey>()}");
    }

    private static void CheckSizes<TKey, TValue>(BpfMap map, bool perCpuArray) where TKey : unmanaged where TValue : unmanaged
    {
        CheckKey<TKey>(map);
        if (Unsafe.SizeOf<TValue>() != map.ValueSize)
            throw new ArgumentException($"map '{map.Name}' has {map.ValueSize}-byte values; {typeof(TValue).Name} has {Unsafe.SizeOf<TValue>()}");
        if (perCpuArray && !map.IsPerCpu) throw new ArgumentException($"map '{map.Name}' is not a per-CPU map");
    }
}
