using BpfSharp.Loader;
using BpfSharp.Runtime.Maps;
using static BpfSharp.Tests.Runtime.Maps.Specs;

namespace BpfSharp.Tests.Runtime.Maps;

public class BpfMapFactoryTests
{
    public static TheoryData<MapType, uint, uint, uint, uint, int> Refused => new()
    {
        { MapType.Array, 8, 4, 4, 0, MapErrno.EINVAL },
        { MapType.Array, 4, 0, 4, 0, MapErrno.EINVAL },
        { MapType.Array, 4, 4, 0, 0, MapErrno.EINVAL },
        { MapType.Hash, 0, 4, 4, 0, MapErrno.EINVAL },
        { MapType.Hash, 4, 4, 4, MapFlags.NoCommonLru, MapErrno.EINVAL },
        { MapType.Hash, 4, 4, 4, MapFlags.Mmapable, MapErrno.EINVAL },
        { MapType.PercpuHash, 4, 4, 4, MapFlags.NumaNode, MapErrno.EINVAL },
        { MapType.ProgArray, 4, 4, 4, MapFlags.ReadOnlyProgram, MapErrno.EINVAL },
        { MapType.PercpuArray, 4, 4, 4, MapFlags.InnerMap, MapErrno.EINVAL },
        { MapType.LruHash, 4, 4, 4, MapFlags.NoPrealloc, MapErrno.ENOTSUPP },
        { MapType.PercpuArray, 4, 4, 4, MapFlags.Mmapable, MapErrno.EINVAL },
        { MapType.Array, 4, 4, 4, MapFlags.ReadOnly | MapFlags.WriteOnly, MapErrno.EINVAL },
        { MapType.Array, 4, 4, 4, MapFlags.PreserveElems, MapErrno.EINVAL },
        { MapType.ProgArray, 4, 8, 4, 0, MapErrno.EINVAL },
        { MapType.Array, 4, 1 << 20, 1 << 12, 0, MapErrno.ENOMEM },
        { MapType.Hash, 4, 4, uint.MaxValue, 0, MapErrno.ENOMEM },
        { MapType.BloomFilter, 0, 4, uint.MaxValue, 0, MapErrno.ENOMEM },
        { MapType.StackTrace, 4, 8, uint.MaxValue, 0, MapErrno.E2BIG },
        { MapType.Queue, 0, 1 << 20, 1 << 12, 0, MapErrno.ENOMEM },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Creation_is_refused_as_the_kernel_refuses_it(MapType type, uint key, uint value, uint max, uint flags, int errno)
    {
        var error = Assert.Throws<MapCreateException>(() => BpfMapFactory.Create(Of(type, key, value, max, flags)));
        Assert.Equal(errno, error.Errno);
    }

    [Fact]
    public void Unsupported_types_say_so()
    {
        var error = Assert.Throws<MapCreateException>(() => BpfMapFactory.Create(Of(MapType.Sockmap, 4, 4, 4)));
        Assert.Contains("not supported by the runtime", error.Message);
        Assert.False(BpfMapFactory.Supports(MapType.Sockmap));
    }

    [Fact]
    public void Global_data_contents_fill_element_zero()
    {
        var spec = Of(MapType.Array, 4, 6, 1, MapFlags.Mmapable | MapFlags.ReadOnlyProgram, ".rodata");
        spec.Contents = [1, 2, 3];
        var map = (ArrayMap)BpfMapFactory.Create(spec);
        Assert.Equal(new byte[] { 1, 2, 3, 0, 0, 0 }, map.ValueMemory(0).Span.ToArray());
        spec.Contents = new byte[7];
        Assert.Throws<MapCreateException>(() => BpfMapFactory.Create(spec));
    }

    [Fact]
    public void Maps_of_maps_need_an_inner_map()
    {
        var error = Assert.Throws<MapCreateException>(() => BpfMapFactory.Create(Of(MapType.ArrayOfMaps, 4, 4, 4)));
        Assert.Equal(MapErrno.EINVAL, error.Errno);
    }

    [Fact]
    public void The_factory_builds_the_type_the_spec_names()
    {
        Assert.IsType<ArrayMap>(Create(MapType.PercpuArray, 4, 4, 4));
        Assert.IsType<HashMap>(Create(MapType.LruPercpuHash, 4, 4, 4));
        Assert.True(Create(MapType.LruPercpuHash, 4, 4, 4, cpus: 5).IsPerCpu);
        Assert.Equal(5, Create(MapType.LruPercpuHash, 4, 4, 4, cpus: 5).CpuCount);
    }
}
