using BpfSharp.Kernel;
using BpfSharp.Loader;
using BpfSharp.Runtime.Maps;
using BpfSharp.Tests.TestSupport;

namespace BpfSharp.Tests.Runtime.Maps;

/// <summary>
/// Seeded random map specs (sizes, max_entries, flags, map_extra) created by the runtime factory and by the
/// kernel: the factory accepts exactly what the kernel accepts, and refuses the rest with the kernel's errno.
/// </summary>
public class MapCreationDifferentialTests
{
    private static readonly MapType[] Types =
    [
        MapType.Array, MapType.PercpuArray, MapType.Hash, MapType.PercpuHash, MapType.LruHash, MapType.LruPercpuHash,
        MapType.ProgArray, MapType.PerfEventArray, MapType.Queue, MapType.Stack, MapType.BloomFilter, MapType.Ringbuf, MapType.StackTrace,
        MapType.LpmTrie,
    ];

    private static readonly uint[] KeySizes = [0, 1, 4, 8, 513];
    private static readonly uint[] ValueSizes = [0, 4, 8, 12, 32, 1024];
    private static readonly uint[] MaxEntries = [0, 1, 4, 4096, 8192, 12288];
    private static readonly ulong[] MapExtras = [0, 3, 0x10];

    [KernelTheory]
    [InlineData(2026)]
    [InlineData(7)]
    [InlineData(99)]
    public void Random_specs_are_accepted_and_refused_as_the_kernel_does(int seed)
    {
        var random = new Random(seed);
        var mismatches = new List<string>();
        for (int i = 0; i < 1000 && mismatches.Count < 20; i++)
        {
            var type = Types[random.Next(Types.Length)];
            // Sizes the type takes most of the time, so flags get judged too.
            bool typical = random.Next(3) != 0;
            uint key = typical ? TypicalKey(type) : KeySizes[random.Next(KeySizes.Length)];
            uint value = typical ? TypicalValue(type) : ValueSizes[random.Next(ValueSizes.Length)];
            uint max = typical && type == MapType.Ringbuf ? 4096 : MaxEntries[random.Next(MaxEntries.Length)];
            uint flags = 0;
            for (int bit = 0; bit <= 12; bit++) if (random.Next(8) == 0) flags |= 1u << bit;
            if (type == MapType.LpmTrie && typical) flags |= MapFlags.NoPrealloc; // which it needs
            ulong extra = type == MapType.BloomFilter ? MapExtras[random.Next(MapExtras.Length)] : 0;
            var spec = new MapSpec { Name = "c", Type = type, KeySize = key, ValueSize = value, MaxEntries = max, Flags = flags, MapExtra = extra, SectionName = ".maps" };
            int expected = 0, actual = 0;
            try
            {
                using var map = KernelMap.Create(type, key, value, max, flags, "c", mapExtra: extra);
            }
            catch (KernelException e)
            {
                expected = -e.ErrorNumber;
            }
            try
            {
                BpfMapFactory.Create(spec, new MapCreateOptions { CpuCount = 2 });
            }
            catch (MapCreateException e)
            {
                actual = e.Errno;
            }
            if (expected != actual) mismatches.Add($"{spec} extra {extra}: kernel {MapErrno.Name(expected)}, runtime {MapErrno.Name(actual)}");
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    private static uint TypicalKey(MapType type) => type switch
    {
        MapType.Queue or MapType.Stack or MapType.BloomFilter or MapType.Ringbuf => 0,
        MapType.LpmTrie => 8,
        _ => 4,
    };

    private static uint TypicalValue(MapType type) => type switch
    {
        MapType.Ringbuf => 0,
        MapType.ProgArray or MapType.PerfEventArray => 4,
        _ => 32,
    };
}
