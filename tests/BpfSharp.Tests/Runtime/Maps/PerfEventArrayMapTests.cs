using BpfSharp.Loader;
using BpfSharp.Runtime.Maps;
using static BpfSharp.Tests.Runtime.Maps.Specs;

namespace BpfSharp.Tests.Runtime.Maps;

public class PerfEventArrayMapTests
{
    private static PerfEventArrayMap Perf(uint cpus = 2) => (PerfEventArrayMap)BpfMapFactory.Create(Of(MapType.PerfEventArray, 4, 4, cpus));

    [Fact]
    public void Output_to_the_current_cpu_collects_samples_per_cpu_in_order()
    {
        var map = Perf();
        map.Open(0, 0);
        map.Open(1, 1);
        Assert.Equal(0, map.Output(1, MapFlags.PerfCurrentCpu, [1]));
        Assert.Equal(0, map.Output(1, MapFlags.PerfCurrentCpu, [2]));
        Assert.Equal(0, map.Output(0, 0, [3]));
        Assert.True(map.TryRead(1, out var first));
        Assert.True(map.TryRead(1, out var second));
        Assert.False(map.TryRead(1, out _));
        Assert.Equal(new byte[] { 1 }, first);
        Assert.Equal(new byte[] { 2 }, second);
        Assert.True(map.TryRead(0, out var other));
        Assert.Equal(new byte[] { 3 }, other);
    }

    [Fact]
    public void Output_errors_follow_the_kernel()
    {
        var map = Perf();
        map.Open(0, 0);
        Assert.Equal(MapErrno.EINVAL, map.Output(0, 1UL << 63 >> 10, [1]));
        Assert.Equal(MapErrno.E2BIG, map.Output(0, 2, [1]));
        Assert.Equal(MapErrno.ENOENT, map.Output(1, MapFlags.PerfCurrentCpu, [1]));
        Assert.Equal(MapErrno.EOPNOTSUPP, map.Output(1, 0, [1]));
        Assert.Equal(MapErrno.EFAULT, map.Output(0, 0 | (4UL << 32), [1], [9, 9]));
        Assert.Equal(0, map.Output(0, 0 | (2UL << 32), [1], [9, 9]));
        Assert.True(map.TryRead(0, out var withContext));
        Assert.Equal(new byte[] { 1, 9, 9 }, withContext);
    }

    [Fact]
    public void A_full_buffer_loses_samples_and_counts_them()
    {
        var map = Perf(1);
        map.Open(0, 0, capacity: 64);
        Assert.Equal(0, map.Output(0, 0, new byte[20]));
        Assert.Equal(0, map.Output(0, 0, new byte[20]));
        Assert.Equal(MapErrno.ENOSPC, map.Output(0, 0, new byte[20]));
        Assert.Equal(1, map.Buffer(0)!.Lost);
        Assert.True(map.TryRead(0, out _));
        Assert.Equal(0, map.Output(0, 0, new byte[20]));
    }

    [Fact]
    public void Closing_a_slot_is_a_delete()
    {
        var map = Perf();
        map.Open(1, 1);
        Assert.Equal(0, map.DeleteElem(U32(1)));
        Assert.Equal(MapErrno.ENOENT, map.DeleteElem(U32(1)));
        Assert.Equal(MapErrno.E2BIG, map.DeleteElem(U32(2)));
    }
}
