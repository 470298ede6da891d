using BpfSharp.Loader;
using BpfSharp.Runtime.Maps;

namespace BpfSharp.Tests.Runtime.Maps;

/// <summary>Map specs and byte helpers for the runtime map tests.</summary>
internal static class Specs
{
    public static MapSpec Of(MapType type, uint keySize, uint valueSize, uint maxEntries, uint flags = 0, string name = "m", ulong mapExtra = 0) =>
        new() { Name = name, Type = type, KeySize = keySize, ValueSize = valueSize, MaxEntries = maxEntries, Flags = flags, SectionName = ".maps", MapExtra = mapExtra };

    public static BpfMap Create(MapType type, uint keySize, uint valueSize, uint maxEntries, uint flags = 0, int cpus = 2) =>
        BpfMapFactory.Create(Of(type, keySize, valueSize, maxEntries, flags), new MapCreateOptions { CpuCount = cpus });

    public static byte[] U32(uint value) => BitConverter.GetBytes(value);

    public static byte[] U64(ulong value) => BitConverter.GetBytes(value);
}
