using BpfSharp.Loader;
using BpfSharp.Runtime.Maps;
using static BpfSharp.Tests.Runtime.Maps.Specs;

namespace BpfSharp.Tests.Runtime.Maps;

public class QueueStackMapTests
{
    private static uint PopU32(BpfMap map, out int result)
    {
        var value = new byte[4];
        result = map.Pop(value);
        return BitConverter.ToUInt32(value);
    }

    [Fact]
    public void Queue_pops_in_fifo_order_and_stack_in_lifo_order()
    {
        var queue = Create(MapType.Queue, 0, 4, 3);
        var stack = Create(MapType.Stack, 0, 4, 3);
        for (uint v = 1; v <= 3; v++)
        {
            Assert.Equal(0, queue.Push(U32(v), 0));
            Assert.Equal(0, stack.Push(U32(v), 0));
        }
        Assert.Equal(new uint[] { 1, 2, 3 }, Enumerable.Range(0, 3).Select(_ => PopU32(queue, out _)));
        Assert.Equal(new uint[] { 3, 2, 1 }, Enumerable.Range(0, 3).Select(_ => PopU32(stack, out _)));
        PopU32(queue, out int empty);
        Assert.Equal(MapErrno.ENOENT, empty);
        Assert.Equal(MapErrno.ENOENT, stack.Peek(new byte[4]));
    }

    [Theory]
    [InlineData(MapType.Queue, new uint[] { 2, 3, 4 })]
    [InlineData(MapType.Stack, new uint[] { 4, 3, 2 })]
    public void Push_to_a_full_map_is_e2big_unless_exist_overwrites_the_oldest(MapType type, uint[] expected)
    {
        var map = Create(type, 0, 4, 3);
        for (uint v = 1; v <= 3; v++) map.Push(U32(v), 0);
        Assert.Equal(MapErrno.E2BIG, map.Push(U32(4), 0));
        Assert.Equal(0, map.Push(U32(4), MapFlags.Exist));
        Assert.Equal(expected, Enumerable.Range(0, 3).Select(_ => PopU32(map, out _)));
    }

    [Fact]
    public void Push_flags_other_than_any_and_exist_are_einval()
    {
        var map = Create(MapType.Queue, 0, 4, 3);
        Assert.Equal(MapErrno.EINVAL, map.Push(U32(1), MapFlags.NoExist));
        Assert.Equal(MapErrno.EINVAL, map.Push(U32(1), 4));
    }

    [Fact]
    public void User_space_update_pushes_lookup_peeks_and_lookup_and_delete_pops()
    {
        var map = Create(MapType.Queue, 0, 4, 3);
        Assert.Equal(0, map.UpdateElem([], U32(7)));
        Assert.Equal(0, map.UpdateElem([], U32(8)));
        var value = new byte[4];
        Assert.Equal(0, map.LookupElem([], value));
        Assert.Equal(7u, BitConverter.ToUInt32(value));
        Assert.Equal(0, map.LookupAndDeleteElem([], value));
        Assert.Equal(0, map.LookupAndDeleteElem([], value));
        Assert.Equal(8u, BitConverter.ToUInt32(value));
        Assert.Equal(MapErrno.ENOENT, map.LookupAndDeleteElem([], value));
        Assert.Equal(MapErrno.EINVAL, map.DeleteElem([]));
        Assert.Equal(MapErrno.EINVAL, map.GetNextKey([], []));
    }

    [Fact]
    public void Queues_need_a_zero_key_size()
    {
        Assert.Equal(MapErrno.EINVAL, Assert.Throws<MapCreateException>(() => Create(MapType.Queue, 4, 4, 3)).Errno);
    }
}
