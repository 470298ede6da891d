using BpfSharp.Kernel;
using BpfSharp.Loader;
using BpfSharp.Runtime.Maps;
using BpfSharp.Tests.TestSupport;

namespace BpfSharp.Tests.Runtime.Maps;

/// <summary>
/// The same seeded random sequence of updates (random flags, including invalid ones), lookups, deletes and
/// get-next-key applied to a runtime map and a kernel map: every result and every value must be equal.
/// </summary>
public class KernelDifferentialTests
{
    private static readonly ulong[] UpdateFlags = [MapFlags.Any, MapFlags.NoExist, MapFlags.Exist, 3, MapFlags.Lock, MapFlags.Lock | MapFlags.Exist];

    [KernelTheory]
    [InlineData(MapType.Array, 12u, 6u, 1)]
    [InlineData(MapType.Hash, 12u, 6u, 2)]
    [InlineData(MapType.PercpuArray, 8u, 5u, 3)]
    [InlineData(MapType.PercpuHash, 8u, 5u, 4)]
    [InlineData(MapType.Hash, 5u, 1u, 5)]
    public void Random_operations_give_the_kernels_results(MapType type, uint valueSize, uint maxEntries, int seed)
    {
        uint keySize = type is MapType.Hash or MapType.PercpuHash && seed == 5 ? 3u : 4u;
        var spec = new MapSpec { Name = "diff", Type = type, KeySize = keySize, ValueSize = valueSize, MaxEntries = maxEntries, SectionName = ".maps" };
        var runtime = BpfMapFactory.Create(spec, new MapCreateOptions { CpuCount = PossibleCpus.Count });
        using var kernel = KernelMap.Create(type, keySize, valueSize, maxEntries, name: "diff");
        Assert.Equal(kernel.ValueBufferSize, runtime.SyscallValueSize);
        var random = new Random(seed);
        int size = runtime.SyscallValueSize;
        byte[] value = new byte[size], fromKernel = new byte[size], fromRuntime = new byte[size];
        byte[] key = new byte[keySize], nextKernel = new byte[keySize], nextRuntime = new byte[keySize];
        int stride = (int)((valueSize + 7) & ~7u);
        for (int step = 0; step < 600; step++)
        {
            RandomKey(random, key, maxEntries);
            int op = random.Next(10);
            string what;
            int expected, actual;
            if (op < 4)
            {
                random.NextBytes(value);
                // Per-CPU buffers carry each CPU's value in an 8-byte slot; padding is zero, as libbpf sends it.
                if (runtime.IsPerCpu) for (int cpu = 0; cpu < runtime.CpuCount; cpu++) value.AsSpan(cpu * stride + (int)valueSize, stride - (int)valueSize).Clear();
                ulong flags = UpdateFlags[random.Next(UpdateFlags.Length)];
                what = $"update flags {flags}";
                expected = kernel.UpdateResult(key, value, flags);
                actual = runtime.UpdateElem(key, value, flags);
            }
            else if (op < 7)
            {
                what = "lookup";
                fromKernel.AsSpan().Clear();
                fromRuntime.AsSpan().Clear();
                expected = kernel.LookupResult(key, fromKernel);
                actual = runtime.LookupElem(key, fromRuntime);
                if (expected == 0) Assert.True(fromKernel.SequenceEqual(fromRuntime), $"step {step}: values differ for key {Convert.ToHexString(key)}");
            }
            else if (op < 9)
            {
                what = "delete";
                expected = kernel.DeleteResult(key);
                actual = runtime.DeleteElem(key);
            }
            else
            {
                // From a present hash key the answer depends on the kernel's random bucket order: ask from NULL instead.
                bool hashKeyPresent = type is MapType.Hash or MapType.PercpuHash && runtime.LookupElem(key, fromRuntime) == 0;
                bool fromStart = random.Next(3) == 0 || hashKeyPresent;
                what = fromStart ? "get_next_key(NULL)" : "get_next_key";
                expected = kernel.GetNextKeyResult(fromStart ? [] : key, nextKernel);
                actual = runtime.GetNextKey(fromStart ? [] : key, nextRuntime);
                // Hash iteration order depends on the kernel's random seed; arrays' does not.
                if (expected == 0 && type is MapType.Array or MapType.PercpuArray) Assert.Equal(nextKernel, nextRuntime);
            }
            Assert.True(expected == actual, $"step {step}: {what} key {Convert.ToHexString(key)}: kernel {MapErrno.Name(expected)}, runtime {MapErrno.Name(actual)}");
        }
    }

    private static void RandomKey(Random random, byte[] key, uint maxEntries)
    {
        key.AsSpan().Clear();
        // A few keys beyond max_entries: out-of-range indexes, and full hash maps.
        uint k = (uint)random.Next((int)maxEntries + 3);
        for (int i = 0; i < key.Length && i < 4; i++) key[i] = (byte)(k >> (8 * i));
    }
}
