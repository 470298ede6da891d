using BpfSharp.Loader;
using BpfSharp.Runtime.Maps;
using static BpfSharp.Tests.Runtime.Maps.Specs;

namespace BpfSharp.Tests.Runtime.Maps;

public class MapsOfMapsTests
{
    private static MapSpec Outer(MapType type, uint innerFlags = 0)
    {
        var spec = Of(type, 4, 4, 4);
        spec.InnerMap = Of(MapType.Array, 4, 8, 16, innerFlags, "inner");
        return spec;
    }

    [Fact]
    public void Array_of_maps_holds_compatible_maps_and_refuses_others()
    {
        var outer = (ObjectArrayMap)BpfMapFactory.Create(Outer(MapType.ArrayOfMaps));
        var inner = BpfMapFactory.Create(Of(MapType.Array, 4, 8, 16));
        Assert.Equal(0, outer.Set(1, inner));
        Assert.Same(inner, outer.LookupObject(U32(1)));
        Assert.Null(outer.LookupObject(U32(0)));
        Assert.Equal(MapErrno.EINVAL, outer.Set(2, BpfMapFactory.Create(Of(MapType.Array, 4, 8, 32))));
        Assert.Equal(MapErrno.EINVAL, outer.Set(2, BpfMapFactory.Create(Of(MapType.Hash, 4, 8, 16))));
        Assert.Equal(MapErrno.EINVAL, outer.Set(2, "not a map"));
        Assert.Equal(MapErrno.E2BIG, outer.Set(4, inner));
        Assert.Equal(MapErrno.EINVAL, outer.Set(0, inner, MapFlags.NoExist));
        Assert.Equal(0, outer.DeleteElem(U32(1)));
        Assert.Equal(MapErrno.ENOENT, outer.DeleteElem(U32(1)));
        Assert.Equal(MapErrno.E2BIG, outer.DeleteElem(U32(9)));
    }

    [Fact]
    public void Inner_map_flag_lets_max_entries_differ()
    {
        var outer = (ObjectArrayMap)BpfMapFactory.Create(Outer(MapType.ArrayOfMaps, MapFlags.InnerMap));
        Assert.Equal(0, outer.Set(0, BpfMapFactory.Create(Of(MapType.Array, 4, 8, 99, MapFlags.InnerMap))));
    }

    [Fact]
    public void Hash_of_maps_stores_maps_by_key_with_hash_semantics()
    {
        var outer = (HashOfMapsMap)BpfMapFactory.Create(Outer(MapType.HashOfMaps));
        var inner = BpfMapFactory.Create(Of(MapType.Array, 4, 8, 16));
        Assert.Equal(0, outer.SetMap(U32(7), inner, MapFlags.NoExist));
        Assert.Equal(MapErrno.EEXIST, outer.SetMap(U32(7), inner, MapFlags.NoExist));
        Assert.Same(inner, outer.LookupObject(U32(7)));
        Assert.Equal(MapErrno.EINVAL, outer.SetMap(U32(8), BpfMapFactory.Create(Of(MapType.Array, 4, 4, 16))));
        Assert.Equal(0, outer.DeleteElem(U32(7)));
        Assert.Null(outer.LookupObject(U32(7)));
        Assert.Equal(MapErrno.ENOTSUPP, outer.LookupElem(U32(7), new byte[4]));
    }

    [Fact]
    public void Prog_array_holds_programs_and_initial_slots_are_resolved()
    {
        var spec = Of(MapType.ProgArray, 4, 4, 4);
        spec.InitialSlots = [new MapSlot(2, "tail")];
        object program = new();
        var map = BpfMapFactory.Create(spec, resolveSlot: name => name == "tail" ? program : null);
        Assert.Same(program, map.LookupObject(U32(2)));
        Assert.False(map.TryLookup(U32(2), 0, out _));
        spec.InitialSlots = [new MapSlot(1, "missing")];
        var error = Assert.Throws<MapCreateException>(() => BpfMapFactory.Create(spec, resolveSlot: _ => null));
        Assert.Contains("missing", error.Message);
    }
}
