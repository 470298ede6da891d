using BpfSharp.Loader;
using BpfSharp.Runtime.Maps;
using static BpfSharp.Tests.Runtime.Maps.Specs;

namespace BpfSharp.Tests.Runtime.Maps;

public class LruHashMapTests
{
    [Fact]
    public void A_full_lru_map_evicts_the_least_recently_used_key()
    {
        var map = Create(MapType.LruHash, 4, 8, 3);
        for (uint k = 1; k <= 3; k++) Assert.Equal(0, map.UpdateElem(k, (ulong)k));
        Assert.Equal(0, map.UpdateElem(4u, 4ul));
        Assert.Equal(MapErrno.ENOENT, map.LookupElem(1u, out ulong _));
        Assert.Equal(3, ((HashMap)map).Count);
    }

    [Fact]
    public void A_program_lookup_makes_a_key_recent_but_a_user_space_lookup_does_not()
    {
        var map = (HashMap)Create(MapType.LruHash, 4, 8, 3);
        for (uint k = 1; k <= 3; k++) map.UpdateElem(k, (ulong)k);
        Assert.True(map.TryLookup(U32(1), 0, out _));
        Assert.Equal(0, map.LookupElem(2u, out ulong _));
        map.UpdateElem(4u, 4ul);
        Assert.Equal(0, map.LookupElem(1u, out ulong _));
        Assert.Equal(MapErrno.ENOENT, map.LookupElem(2u, out ulong _));
        Assert.Equal(new uint[] { 3, 1, 4 }, map.KeysByRecency().Select(k => BitConverter.ToUInt32(k)));
    }

    [Fact]
    public void An_update_of_a_present_key_makes_it_recent_and_noexist_still_fails()
    {
        var map = (HashMap)Create(MapType.LruHash, 4, 8, 2);
        map.UpdateElem(1u, 1ul);
        map.UpdateElem(2u, 2ul);
        Assert.Equal(MapErrno.EEXIST, map.UpdateElem(2u, 5ul, MapFlags.NoExist));
        map.UpdateElem(1u, 11ul, MapFlags.Exist);
        map.UpdateElem(3u, 3ul);
        Assert.Equal(MapErrno.ENOENT, map.LookupElem(2u, out ulong _));
        Assert.Equal(0, map.LookupElem(1u, out ulong v));
        Assert.Equal(11ul, v);
    }

    [Fact]
    public void Lru_percpu_hash_evicts_and_keeps_per_cpu_values()
    {
        var map = (HashMap)Create(MapType.LruPercpuHash, 4, 4, 2, MapFlags.NoCommonLru, cpus: 2);
        map.Update(U32(1), U32(10), 0, 1);
        map.Update(U32(2), U32(20), 0, 0);
        map.Update(U32(3), U32(30), 0, 1);
        Assert.Null(map.LookupPerCpu<uint, uint>(1u));
        Assert.Equal(new uint[] { 0, 30 }, map.LookupPerCpu<uint, uint>(3u));
    }

    [Fact]
    public void Deleting_from_an_lru_map_frees_room_without_eviction()
    {
        var map = (HashMap)Create(MapType.LruHash, 4, 8, 2);
        map.UpdateElem(1u, 1ul);
        map.UpdateElem(2u, 2ul);
        map.DeleteElem(1u);
        map.UpdateElem(3u, 3ul);
        Assert.Equal(0, map.LookupElem(2u, out ulong _));
        Assert.Equal(2, map.Count);
    }
}
