using BpfSharp.Loader;
using BpfSharp.Runtime.Maps;
using FsCheck;
using FsCheck.Fluent;
using static BpfSharp.Tests.Runtime.Maps.Specs;

namespace BpfSharp.Tests.Runtime.Maps;

public class BloomFilterMapTests
{
    [Fact]
    public void A_pushed_value_is_never_reported_absent()
    {
        Prop.ForAll<uint[], uint>((values, hashes) =>
        {
            var map = BpfMapFactory.Create(Of(MapType.BloomFilter, 0, 4, 64, mapExtra: hashes % 16));
            foreach (uint v in values) Assert.Equal(0, map.Push(U32(v), 0));
            return values.All(v => map.Peek(U32(v)) == 0);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void An_empty_filter_reports_every_value_absent_and_a_sparse_one_most()
    {
        var map = BpfMapFactory.Create(Of(MapType.BloomFilter, 0, 8, 1000));
        Assert.Equal(MapErrno.ENOENT, map.Peek(U64(1)));
        for (ulong v = 0; v < 100; v++) map.Push(U64(v), 0);
        int falsePositives = Enumerable.Range(1000, 1000).Count(v => map.Peek(U64((ulong)v)) == 0);
        Assert.True(falsePositives < 20, $"{falsePositives} false positives of 1000 in a filter sized for 1000 holding 100");
    }

    [Fact]
    public void Map_extra_gives_the_hash_count_and_zero_means_five()
    {
        Assert.Equal(5, ((BloomFilterMap)BpfMapFactory.Create(Of(MapType.BloomFilter, 0, 4, 10))).HashCount);
        Assert.Equal(3, ((BloomFilterMap)BpfMapFactory.Create(Of(MapType.BloomFilter, 0, 4, 10, mapExtra: 3))).HashCount);
        Assert.Equal(MapErrno.EINVAL, Assert.Throws<MapCreateException>(() => BpfMapFactory.Create(Of(MapType.BloomFilter, 0, 4, 10, mapExtra: 0x10))).Errno);
    }

    [Fact]
    public void Push_flags_must_be_any_and_nothing_can_be_deleted_or_iterated()
    {
        var map = BpfMapFactory.Create(Of(MapType.BloomFilter, 0, 4, 10));
        Assert.Equal(MapErrno.EINVAL, map.Push(U32(1), MapFlags.NoExist));
        Assert.Equal(0, map.UpdateElem([], U32(1)));
        Assert.Equal(0, map.LookupElem([], U32(1)));
        Assert.Equal(MapErrno.ENOENT, map.LookupElem([], U32(2)));
        Assert.Equal(MapErrno.EOPNOTSUPP, map.DeleteElem([]));
        Assert.Equal(MapErrno.EOPNOTSUPP, map.GetNextKey([], []));
    }
}
