using BpfSharp.Loader;
using BpfSharp.Runtime.Maps;
using static BpfSharp.Tests.Runtime.Maps.Specs;

namespace BpfSharp.Tests.Runtime.Maps;

public class MapBatchTests
{
    private static List<uint> DrainLookup(BpfMap map, uint chunk, bool delete, out List<int> results)
    {
        var seen = new List<uint>();
        results = [];
        byte[] token = [];
        var outBatch = new byte[map.BatchTokenSize];
        var keys = new byte[chunk * map.KeySize];
        var values = new byte[chunk * map.SyscallValueSize];
        for (int round = 0; round < 1000; round++)
        {
            uint count = chunk;
            int r = delete
                ? map.LookupAndDeleteBatch(token, outBatch, keys, values, ref count)
                : map.LookupBatch(token, outBatch, keys, values, ref count);
            results.Add(r);
            for (int i = 0; i < count; i++)
            {
                uint key = BitConverter.ToUInt32(keys, i * (int)map.KeySize);
                seen.Add(key);
                Assert.Equal(key * 3, BitConverter.ToUInt32(values, i * map.SyscallValueSize));
            }
            if (r != 0) break;
            token = outBatch.ToArray();
        }
        return seen;
    }

    [Fact]
    public void Hash_lookup_batch_returns_every_element_once_and_ends_with_enoent()
    {
        var map = Create(MapType.Hash, 4, 4, 32);
        for (uint k = 0; k < 20; k++) map.UpdateElem(k, k * 3);
        var seen = DrainLookup(map, 5, delete: false, out var results);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (uint)i), seen.Order());
        Assert.Equal(MapErrno.ENOENT, results[^1]);
        Assert.All(results.SkipLast(1), r => Assert.Equal(0, r));
        Assert.Equal(20, ((HashMap)map).Count);
    }

    [Fact]
    public void Hash_lookup_and_delete_batch_empties_the_map()
    {
        var map = Create(MapType.Hash, 4, 4, 16);
        for (uint k = 0; k < 16; k++) map.UpdateElem(k, k * 3);
        var seen = DrainLookup(map, 4, delete: true, out _);
        Assert.Equal(16, seen.Count);
        Assert.Equal(0, ((HashMap)map).Count);
    }

    [Fact]
    public void Hash_batch_too_small_for_a_whole_bucket_is_enospc_with_no_elements()
    {
        var map = Create(MapType.Hash, 4, 4, 2);
        uint mask = (uint)((HashMap)map).BucketCount - 1, a = 0, b = 1;
        while ((KeyHash.Of(U32(a)) & mask) != (KeyHash.Of(U32(b)) & mask)) b++;
        map.UpdateElem(a, 0u);
        map.UpdateElem(b, 0u);
        uint bucket = KeyHash.Of(U32(a)) & mask;
        var outBatch = new byte[4];
        uint count = 1;
        Assert.Equal(MapErrno.ENOSPC, map.LookupBatch(U32(bucket), outBatch, new byte[4], new byte[4], ref count));
        Assert.Equal(0u, count);
        Assert.Equal(bucket, BitConverter.ToUInt32(outBatch));
        count = 2;
        int r = map.LookupBatch(U32(bucket), outBatch, new byte[8], new byte[8], ref count);
        Assert.Equal(2u, count);
        Assert.Equal(bucket == mask ? MapErrno.ENOENT : 0, r);
    }

    [Fact]
    public void Hash_batch_beyond_the_last_bucket_is_enoent()
    {
        var map = Create(MapType.Hash, 4, 4, 4);
        uint count = 2;
        Assert.Equal(MapErrno.ENOENT, map.LookupBatch(U32(4), new byte[4], new byte[8], new byte[8], ref count));
        Assert.Equal(0u, count);
    }

    [Fact]
    public void Array_lookup_batch_uses_the_last_key_as_token()
    {
        var map = Create(MapType.Array, 4, 4, 7);
        for (uint k = 0; k < 7; k++) map.UpdateElem(k, k * 3);
        var seen = DrainLookup(map, 3, delete: false, out var results);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (uint)i), seen);
        Assert.Equal([0, 0, MapErrno.ENOENT], results);
        uint count = 2;
        var outBatch = new byte[4];
        Assert.Equal(0, map.LookupBatch(U32(2), outBatch, new byte[8], new byte[8], ref count));
        Assert.Equal(4u, BitConverter.ToUInt32(outBatch));
    }

    [Fact]
    public void Array_has_no_lookup_and_delete_or_delete_batch()
    {
        var map = Create(MapType.Array, 4, 4, 4);
        uint count = 1;
        Assert.Equal(MapErrno.ENOTSUPP, map.LookupAndDeleteBatch([], new byte[4], new byte[4], new byte[4], ref count));
        Assert.Equal(MapErrno.ENOTSUPP, map.DeleteBatch(new byte[4], ref count));
    }

    [Fact]
    public void Update_batch_stops_at_the_first_failure_and_reports_how_many_it_did()
    {
        var map = Create(MapType.Hash, 4, 4, 2);
        var keys = new byte[12];
        var values = new byte[12];
        for (int i = 0; i < 3; i++) BitConverter.TryWriteBytes(keys.AsSpan(i * 4), (uint)i);
        uint count = 3;
        Assert.Equal(MapErrno.E2BIG, map.UpdateBatch(keys, values, ref count));
        Assert.Equal(2u, count);
        count = 1;
        Assert.Equal(MapErrno.EINVAL, map.UpdateBatch(keys, values, ref count, elemFlags: MapFlags.NoExist));
    }

    [Fact]
    public void Delete_batch_stops_at_a_missing_key()
    {
        var map = Create(MapType.Hash, 4, 4, 4);
        map.UpdateElem(0u, 0u);
        map.UpdateElem(2u, 0u);
        var keys = new byte[12];
        for (int i = 0; i < 3; i++) BitConverter.TryWriteBytes(keys.AsSpan(i * 4), (uint)(i * 2 == 2 ? 5 : i * 2));
        uint count = 3;
        Assert.Equal(MapErrno.ENOENT, map.DeleteBatch(keys, ref count));
        Assert.Equal(1u, count);
    }

    [Fact]
    public void Percpu_batch_values_hold_every_cpu()
    {
        var map = Create(MapType.PercpuHash, 4, 4, 4, cpus: 2);
        map.UpdatePerCpu(1u, new uint[] { 3, 4 });
        Assert.Throws<ArgumentException>(() =>
        {
            uint four = 4;
            return map.LookupBatch([], new byte[4], new byte[16], new byte[16], ref four);
        });
        var v = new byte[32];
        uint count = 2;
        Assert.Equal(MapErrno.ENOENT, map.LookupBatch([], new byte[4], new byte[8], v, ref count));
        Assert.Equal(1u, count);
        Assert.Equal(3u, BitConverter.ToUInt32(v, 0));
        Assert.Equal(4u, BitConverter.ToUInt32(v, 8));
    }

    [Fact]
    public void Zero_count_is_a_no_op_and_unknown_flags_are_einval()
    {
        var map = Create(MapType.Hash, 4, 4, 4);
        uint count = 0;
        Assert.Equal(0, map.LookupBatch([], new byte[4], [], [], ref count));
        count = 1;
        Assert.Equal(MapErrno.EINVAL, map.LookupBatch([], new byte[4], new byte[4], new byte[4], ref count, flags: 1));
    }
}
