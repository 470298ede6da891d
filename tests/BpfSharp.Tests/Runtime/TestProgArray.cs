using BpfSharp.Loader;
using BpfSharp.Runtime;
using BpfSharp.Runtime.Maps;

namespace BpfSharp.Tests.Runtime;

/// <summary>A minimal prog array for tail-call tests.</summary>
internal sealed class TestProgArray : BpfMap
{
    public readonly RuntimeProgram?[] Programs;

    public TestProgArray(uint maxEntries)
        : base(new MapSpec { Name = "jmp_table", Type = MapType.ProgArray, KeySize = 4, ValueSize = 4, MaxEntries = maxEntries, SectionName = ".maps" })
    {
        Programs = new RuntimeProgram?[maxEntries];
    }

    public override bool TryLookup(ReadOnlySpan<byte> key, int cpu, out MemorySlice value)
    {
        value = default;
        return false;
    }

    public override int Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags, int cpu) => -22;

    public override int Delete(ReadOnlySpan<byte> key) => -22;

    public override object? LookupObject(ReadOnlySpan<byte> key)
    {
        uint index = BitConverter.ToUInt32(key);
        return index < Programs.Length ? Programs[index] : null;
    }
}
