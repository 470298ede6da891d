using BpfSharp.Loader;
using BpfSharp.Runtime.Maps;
using static BpfSharp.Tests.Runtime.Maps.Specs;

namespace BpfSharp.Tests.Runtime.Maps;

public class HashMapTests
{
    [Fact]
    public void Update_with_noexist_on_present_key_fails_with_eexist()
    {
        var map = Create(MapType.Hash, 4, 8, 4);
        Assert.Equal(0, map.UpdateElem(1u, 10ul, MapFlags.NoExist));
        Assert.Equal(MapErrno.EEXIST, map.UpdateElem(1u, 11ul, MapFlags.NoExist));
        Assert.Equal(0, map.LookupElem(1u, out ulong v));
        Assert.Equal(10ul, v);
    }

    [Fact]
    public void Update_with_exist_on_absent_key_fails_with_enoent()
    {
        var map = Create(MapType.Hash, 4, 8, 4);
        Assert.Equal(MapErrno.ENOENT, map.UpdateElem(1u, 10ul, MapFlags.Exist));
        Assert.Equal(MapErrno.ENOENT, map.LookupElem(1u, out ulong _));
    }

    [Fact]
    public void Unknown_update_flags_are_einval()
    {
        var map = Create(MapType.Hash, 4, 8, 4);
        Assert.Equal(MapErrno.EINVAL, map.UpdateElem(1u, 10ul, 3));
        Assert.Equal(MapErrno.EINVAL, map.Update(U32(1), U64(1), 8, 0));
        Assert.Equal(MapErrno.EINVAL, map.LookupElem(U32(1), new byte[8], 1));
    }

    [Fact]
    public void A_full_hash_map_refuses_new_keys_with_e2big_but_replaces_present_ones()
    {
        var map = Create(MapType.Hash, 4, 8, 2);
        Assert.Equal(0, map.UpdateElem(1u, 1ul));
        Assert.Equal(0, map.UpdateElem(2u, 2ul));
        Assert.Equal(MapErrno.E2BIG, map.UpdateElem(3u, 3ul));
        Assert.Equal(0, map.UpdateElem(2u, 22ul));
        Assert.Equal(0, map.DeleteElem(1u));
        Assert.Equal(0, map.UpdateElem(3u, 3ul));
    }

    [Fact]
    public void Delete_of_absent_key_is_enoent()
    {
        var map = Create(MapType.Hash, 4, 8, 2);
        Assert.Equal(MapErrno.ENOENT, map.DeleteElem(5u));
        map.UpdateElem(5u, 1ul);
        Assert.Equal(0, map.DeleteElem(5u));
        Assert.Equal(MapErrno.ENOENT, map.Delete(U32(5)));
    }

    [Fact]
    public void Lookup_and_delete_returns_the_value_and_removes_the_key()
    {
        var map = Create(MapType.Hash, 4, 8, 2);
        map.UpdateElem(5u, 42ul);
        var value = new byte[8];
        Assert.Equal(0, map.LookupAndDeleteElem(U32(5), value));
        Assert.Equal(42ul, BitConverter.ToUInt64(value));
        Assert.Equal(MapErrno.ENOENT, map.LookupAndDeleteElem(U32(5), value));
    }

    [Fact]
    public void A_value_held_by_a_program_stays_valid_after_its_element_is_deleted_or_replaced()
    {
        var map = Create(MapType.Hash, 4, 8, 4);
        map.UpdateElem(1u, 7ul);
        Assert.True(map.TryLookup(U32(1), 0, out var held));
        map.DeleteElem(1u);
        map.UpdateElem(1u, 8ul);
        map.UpdateElem(2u, 9ul);
        // The held memory still has the old value and is not the new element's.
        Assert.Equal(7ul, BitConverter.ToUInt64(held.Span));
        Assert.True(map.TryLookup(U32(1), 0, out var current));
        Assert.NotSame(held.Array, current.Array);
        BitConverter.TryWriteBytes(held.Span, 1234ul);
        Assert.Equal(0, map.LookupElem(1u, out ulong v));
        Assert.Equal(8ul, v);
    }

    [Fact]
    public void Get_next_key_visits_every_key_once_and_restarts_from_the_first_for_a_missing_key()
    {
        var map = Create(MapType.Hash, 4, 4, 64);
        for (uint k = 0; k < 40; k++) map.UpdateElem(k * 7919, k);
        var keys = map.Keys().Select(k => BitConverter.ToUInt32(k)).ToList();
        Assert.Equal(40, keys.Count);
        Assert.Equal(Enumerable.Range(0, 40).Select(k => (uint)k * 7919).Order(), keys.Order());
        var next = new byte[4];
        Assert.Equal(0, map.GetNextKey(U32(123456), next));
        Assert.Equal(keys[0], BitConverter.ToUInt32(next));
        Assert.Equal(MapErrno.ENOENT, map.GetNextKey(U32(keys[^1]), next));
        Assert.Equal(MapErrno.ENOENT, Create(MapType.Hash, 4, 4, 4).GetNextKey([], next));
    }

    [Fact]
    public void Percpu_hash_program_update_of_a_new_key_zeroes_the_other_cpus()
    {
        var map = Create(MapType.PercpuHash, 4, 4, 4, cpus: 3);
        Assert.Equal(0, map.Update(U32(1), U32(5), 0, cpu: 1));
        Assert.Equal(new uint[] { 0, 5, 0 }, map.LookupPerCpu<uint, uint>(1u));
        Assert.Equal(0, map.Update(U32(1), U32(6), 0, cpu: 0));
        Assert.Equal(new uint[] { 6, 5, 0 }, map.LookupPerCpu<uint, uint>(1u));
        Assert.Equal(0, map.UpdatePerCpu(2u, new uint[] { 1, 2, 3 }));
        Assert.True(map.TryLookup(U32(2), 2, out var slice));
        Assert.Equal(3u, BitConverter.ToUInt32(slice.Span));
        Assert.Equal(MapErrno.EINVAL, map.Update(U32(2), U32(1), MapFlags.Lock, 0));
    }

    [Fact]
    public void Percpu_hash_update_in_place_keeps_a_held_value_current()
    {
        var map = Create(MapType.PercpuHash, 4, 8, 4, cpus: 2);
        map.Update(U32(1), U64(1), 0, 0);
        Assert.True(map.TryLookup(U32(1), 0, out var held));
        map.Update(U32(1), U64(2), MapFlags.Exist, 0);
        Assert.Equal(2ul, BitConverter.ToUInt64(held.Span));
    }
}
