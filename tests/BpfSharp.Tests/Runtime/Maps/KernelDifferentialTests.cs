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
    [InlineData(MapType.PercpuHash, 12u, 5u, 6)]
    [InlineData(MapType.PercpuArray, 12u, 5u, 7)]
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
                // Per-CPU buffers carry each CPU's value in an 8-byte slot; some runs send zero padding as libbpf
                // does, others random padding (which the kernel keeps and returns).
                if (runtime.IsPerCpu && seed < 6) for (int cpu = 0; cpu < runtime.CpuCount; cpu++) value.AsSpan(cpu * stride + (int)valueSize, stride - (int)valueSize).Clear();
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

    [KernelTheory]
    [InlineData(MapType.Queue, 11)]
    [InlineData(MapType.Stack, 12)]
    public void Random_push_pop_peek_give_the_kernels_results(MapType type, int seed)
    {
        var spec = new MapSpec { Name = "diff", Type = type, KeySize = 0, ValueSize = 4, MaxEntries = 4, SectionName = ".maps" };
        var runtime = BpfMapFactory.Create(spec);
        using var kernel = KernelMap.Create(type, 0, 4, 4, name: "diff");
        var random = new Random(seed);
        byte[] value = new byte[4], fromKernel = new byte[4], fromRuntime = new byte[4];
        for (int step = 0; step < 400; step++)
        {
            int op = random.Next(3), expected, actual;
            ulong flags = (ulong)random.Next(4);
            if (op == 0)
            {
                random.NextBytes(value);
                expected = kernel.UpdateResult([], value, flags);
                actual = runtime.UpdateElem([], value, flags);
            }
            else
            {
                ulong lookupFlags = random.Next(4) == 0 ? flags : 0;
                expected = op == 1 ? kernel.LookupResult([], fromKernel, lookupFlags) : kernel.LookupAndDeleteResult([], fromKernel, lookupFlags);
                actual = op == 1 ? runtime.LookupElem([], fromRuntime, lookupFlags) : runtime.LookupAndDeleteElem([], fromRuntime, lookupFlags);
                if (expected == 0) Assert.Equal(fromKernel, fromRuntime);
            }
            Assert.True(expected == actual, $"step {step}: op {op} flags {flags}: kernel {MapErrno.Name(expected)}, runtime {MapErrno.Name(actual)}");
        }
    }

    [KernelFact]
    public void Array_batches_give_the_kernels_counts_tokens_and_values()
    {
        var spec = new MapSpec { Name = "diff", Type = MapType.Array, KeySize = 4, ValueSize = 4, MaxEntries = 10, SectionName = ".maps" };
        var runtime = BpfMapFactory.Create(spec);
        using var kernel = KernelMap.Create(MapType.Array, 4, 4, 10, name: "diff");
        byte[] keys = new byte[40], values = new byte[40];
        for (int i = 0; i < 10; i++)
        {
            BitConverter.TryWriteBytes(keys.AsSpan(i * 4), (uint)i);
            BitConverter.TryWriteBytes(values.AsSpan(i * 4), (uint)(i * 100));
        }
        byte[] keys12 = new byte[48], values12 = new byte[48];
        for (int i = 0; i < 12; i++)
        {
            BitConverter.TryWriteBytes(keys12.AsSpan(i * 4), (uint)i);
            BitConverter.TryWriteBytes(values12.AsSpan(i * 4), (uint)(i * 100));
        }
        // Indexes 10 and 11 are out of range: both stop there.
        Same("update_batch", (ref uint c) => kernel.UpdateBatchResult(keys12, values12, ref c), (ref uint c) => runtime.UpdateBatch(keys12, values12, ref c), 12);
        Same("update_batch NOEXIST", (ref uint c) => kernel.UpdateBatchResult(keys12, values12, ref c, MapFlags.NoExist), (ref uint c) => runtime.UpdateBatch(keys12, values12, ref c, MapFlags.NoExist), 2);
        Same("update_batch LOCK", (ref uint c) => kernel.UpdateBatchResult(keys12, values12, ref c, MapFlags.Lock), (ref uint c) => runtime.UpdateBatch(keys12, values12, ref c, MapFlags.Lock), 2);
        Same("delete_batch", (ref uint c) => kernel.DeleteBatchResult(keys12, ref c), (ref uint c) => runtime.DeleteBatch(keys12, ref c), 2);
        byte[] kOut = new byte[4], rOut = new byte[4], kKeys = new byte[12], rKeys = new byte[12], kValues = new byte[12], rValues = new byte[12];
        Same("lookup_and_delete_batch", (ref uint c) => kernel.LookupBatchResult([], kOut, kKeys, kValues, ref c, delete: true),
            (ref uint c) => runtime.LookupAndDeleteBatch([], rOut, rKeys, rValues, ref c), 3);
        Same("lookup_batch flags", (ref uint c) => kernel.LookupBatchResult([], kOut, kKeys, kValues, ref c, flags: 1),
            (ref uint c) => runtime.LookupBatch([], rOut, rKeys, rValues, ref c, flags: 1), 3);
        byte[] kIn = [], rIn = [];
        for (int round = 0; round < 6; round++)
        {
            Array.Clear(kKeys); Array.Clear(rKeys); Array.Clear(kValues); Array.Clear(rValues);
            byte[] ki = kIn, ri = rIn;
            int result = Same($"lookup_batch round {round}", (ref uint c) => kernel.LookupBatchResult(ki, kOut, kKeys, kValues, ref c),
                (ref uint c) => runtime.LookupBatch(ri, rOut, rKeys, rValues, ref c), 3);
            Assert.Equal(kKeys, rKeys);
            Assert.Equal(kValues, rValues);
            Assert.Equal(kOut, rOut);
            if (result != 0) break;
            kIn = kOut.ToArray();
            rIn = rOut.ToArray();
        }
    }

    [KernelFact]
    public void Hash_batches_return_the_same_elements_and_stop_where_the_kernel_stops()
    {
        var spec = new MapSpec { Name = "diff", Type = MapType.Hash, KeySize = 4, ValueSize = 8, MaxEntries = 16, SectionName = ".maps" };
        var runtime = BpfMapFactory.Create(spec);
        using var kernel = KernelMap.Create(MapType.Hash, 4, 8, 16, name: "diff");
        byte[] keys = new byte[4 * 18], values = new byte[8 * 18];
        for (int i = 0; i < 18; i++)
        {
            BitConverter.TryWriteBytes(keys.AsSpan(i * 4), (uint)(i * 37));
            BitConverter.TryWriteBytes(values.AsSpan(i * 8), (ulong)i);
        }
        // 16 fit, the 17th is E2BIG.
        Same("update_batch", (ref uint c) => kernel.UpdateBatchResult(keys, values, ref c), (ref uint c) => runtime.UpdateBatch(keys, values, ref c), 18);
        Assert.Equal(Drain((ReadOnlySpan<byte> i, Span<byte> o, Span<byte> k, Span<byte> v, ref uint c, ulong e, ulong f) => kernel.LookupBatchResult(i, o, k, v, ref c, e, f)), Drain(runtime.LookupBatch));
        byte[] kOut = new byte[4], rOut = new byte[4], kKeys = new byte[64], rKeys = new byte[64], kValues = new byte[128], rValues = new byte[128];
        Same("lookup_batch flags", (ref uint c) => kernel.LookupBatchResult([], kOut, kKeys, kValues, ref c, flags: 1),
            (ref uint c) => runtime.LookupBatch([], rOut, rKeys, rValues, ref c, flags: 1), 16);
        Same("lookup_batch elem_flags", (ref uint c) => kernel.LookupBatchResult([], kOut, kKeys, kValues, ref c, elemFlags: 1),
            (ref uint c) => runtime.LookupBatch([], rOut, rKeys, rValues, ref c, elemFlags: 1), 16);
        Same("lookup_batch past the last bucket", (ref uint c) => kernel.LookupBatchResult(BitConverter.GetBytes(16u), kOut, kKeys, kValues, ref c),
            (ref uint c) => runtime.LookupBatch(BitConverter.GetBytes(16u), rOut, rKeys, rValues, ref c), 16);
        Same("lookup_batch zero count", (ref uint c) => kernel.LookupBatchResult([], kOut, kKeys, kValues, ref c),
            (ref uint c) => runtime.LookupBatch([], rOut, rKeys, rValues, ref c), 0);
        Same("lookup_batch everything", (ref uint c) => kernel.LookupBatchResult([], kOut, kKeys, kValues, ref c),
            (ref uint c) => runtime.LookupBatch([], rOut, rKeys, rValues, ref c), 16);
        Assert.Equal(kOut, rOut);
        byte[] someKeys = keys.AsSpan(0, 12).ToArray();
        Same("delete_batch", (ref uint c) => kernel.DeleteBatchResult(someKeys, ref c), (ref uint c) => runtime.DeleteBatch(someKeys, ref c), 3);
        Same("delete_batch again", (ref uint c) => kernel.DeleteBatchResult(someKeys, ref c), (ref uint c) => runtime.DeleteBatch(someKeys, ref c), 3);
        Assert.Equal(Drain((ReadOnlySpan<byte> i, Span<byte> o, Span<byte> k, Span<byte> v, ref uint c, ulong e, ulong f) => kernel.LookupBatchResult(i, o, k, v, ref c, e, f)), Drain(runtime.LookupBatch));
    }

    private delegate int Batch(ref uint count);

    private delegate int LookupBatchCall(ReadOnlySpan<byte> inBatch, Span<byte> outBatch, Span<byte> keys, Span<byte> values, ref uint count, ulong elemFlags, ulong flags);

    private static int Same(string what, Batch kernel, Batch runtime, uint count)
    {
        uint kernelCount = count, runtimeCount = count;
        int expected = kernel(ref kernelCount), actual = runtime(ref runtimeCount);
        Assert.True(expected == actual, $"{what}: kernel {MapErrno.Name(expected)}, runtime {MapErrno.Name(actual)}");
        Assert.True(kernelCount == runtimeCount, $"{what}: kernel count {kernelCount}, runtime count {runtimeCount}");
        return expected;
    }

    // Everything a chunked lookup batch walk returns, sorted by key, and the final result.
    private static (string Elements, int Last) Drain(LookupBatchCall call)
    {
        var elements = new SortedDictionary<uint, ulong>();
        byte[] token = [], outBatch = new byte[4], keys = new byte[4 * 4], values = new byte[8 * 4];
        int result = 0;
        for (int round = 0; round < 100; round++)
        {
            uint count = 4;
            result = call(token, outBatch, keys, values, ref count, 0, 0);
            for (int i = 0; i < count; i++) elements.Add(BitConverter.ToUInt32(keys, i * 4), BitConverter.ToUInt64(values, i * 8));
            if (result != 0) break;
            token = outBatch.ToArray();
        }
        return (string.Join(",", elements.Select(e => $"{e.Key}={e.Value}")), result);
    }

    private static void RandomKey(Random random, byte[] key, uint maxEntries)
    {
        key.AsSpan().Clear();
        // A few keys beyond max_entries: out-of-range indexes, and full hash maps.
        uint k = (uint)random.Next((int)maxEntries + 3);
        for (int i = 0; i < key.Length && i < 4; i++) key[i] = (byte)(k >> (8 * i));
    }
}
