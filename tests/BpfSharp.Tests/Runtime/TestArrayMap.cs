using BpfSharp.Loader;
using BpfSharp.Runtime;
using BpfSharp.Runtime.Maps;

namespace BpfSharp.Tests.Runtime;

/// <summary>A minimal array map for runtime tests (the real maps live in Runtime/Maps): u32 keys, fixed values.</summary>
internal sealed class TestArrayMap : BpfMap
{
    private readonly byte[] _values;

    public TestArrayMap(string name, uint valueSize, uint maxEntries, uint flags = 0)
        : base(new MapSpec { Name = name, Type = MapType.Array, KeySize = 4, ValueSize = valueSize, MaxEntries = maxEntries, Flags = flags, SectionName = ".maps" })
    {
        _values = new byte[valueSize * maxEntries];
    }

    public Span<byte> Value(uint index) => _values.AsSpan((int)(index * ValueSize), (int)ValueSize);

    public override bool TryLookup(ReadOnlySpan<byte> key, int cpu, out MemorySlice value)
    {
        uint index = BitConverter.ToUInt32(key);
        value = index < MaxEntries ? new MemorySlice(_values, (int)(index * ValueSize), (int)ValueSize) : default;
        return index < MaxEntries;
    }

    public override int Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags, int cpu)
    {
        if (!TryLookup(key, cpu, out var slot)) return -7; // E2BIG, as the kernel's array map
        value.CopyTo(slot.Span);
        return 0;
    }

    public override int Delete(ReadOnlySpan<byte> key) => -22; // EINVAL: array elements cannot be deleted
}
