using BpfSharp.Loader;
using BpfSharp.Runtime.Maps;
using static BpfSharp.Tests.Runtime.Maps.Specs;

namespace BpfSharp.Tests.Runtime.Maps;

public class LocalStorageMapTests
{
    private static LocalStorageMap Storage(MapType type = MapType.TaskStorage) =>
        (LocalStorageMap)BpfMapFactory.Create(Of(type, 4, 8, 0, MapFlags.NoPrealloc));

    [Fact]
    public void Get_without_create_finds_nothing_and_with_create_makes_the_owners_storage()
    {
        var map = Storage();
        Assert.False(map.TryGet(42, [], 0, out _));
        Assert.True(map.TryGet(42, U64(7), MapFlags.StorageGetCreate, out var created));
        Assert.Equal(7ul, BitConverter.ToUInt64(created.Span));
        BitConverter.TryWriteBytes(created.Span, 8ul);
        Assert.True(map.TryGet(42, U64(99), MapFlags.StorageGetCreate, out var again));
        Assert.Equal(8ul, BitConverter.ToUInt64(again.Span));
        Assert.False(map.TryGet(43, [], 2, out _));
        Assert.Equal(1, map.Count);
    }

    [Fact]
    public void Delete_removes_the_owners_storage_once_and_a_held_value_stays_valid()
    {
        var map = Storage(MapType.SkStorage);
        map.TryGet(1, [], MapFlags.StorageGetCreate, out var held);
        Assert.Equal(0, map.Remove(1));
        Assert.Equal(MapErrno.ENOENT, map.Remove(1));
        BitConverter.TryWriteBytes(held.Span, 5ul);
        Assert.True(map.TryGet(1, [], MapFlags.StorageGetCreate, out var fresh));
        Assert.Equal(0ul, BitConverter.ToUInt64(fresh.Span));
    }

    [Fact]
    public void User_space_uses_the_owner_id_as_key_with_update_flags()
    {
        var map = Storage(MapType.InodeStorage);
        Assert.Equal(MapErrno.ENOENT, map.UpdateElem(3u, 1ul, MapFlags.Exist));
        Assert.Equal(0, map.UpdateElem(3u, 1ul, MapFlags.NoExist));
        Assert.Equal(MapErrno.EEXIST, map.UpdateElem(3u, 1ul, MapFlags.NoExist));
        Assert.Equal(0, map.LookupElem(3u, out ulong v));
        Assert.Equal(1ul, v);
        Assert.True(map.TryGet(3, [], 0, out _));
        Assert.Equal(0, map.DeleteElem(3u));
    }

    [Theory]
    [InlineData(4u, 8u, 0u, 0u)]
    [InlineData(4u, 8u, 1u, MapFlags.NoPrealloc)]
    [InlineData(8u, 8u, 0u, MapFlags.NoPrealloc)]
    [InlineData(4u, 0u, 0u, MapFlags.NoPrealloc)]
    public void Creation_needs_no_prealloc_zero_max_entries_and_an_int_key(uint key, uint value, uint max, uint flags)
    {
        Assert.Equal(MapErrno.EINVAL, Assert.Throws<MapCreateException>(() => BpfMapFactory.Create(Of(MapType.TaskStorage, key, value, max, flags))).Errno);
    }
}
