using BpfSharp.Loader;
using BpfSharp.Runtime.Maps;
using static BpfSharp.Tests.Runtime.Maps.Specs;

namespace BpfSharp.Tests.Runtime.Maps;

public class ArrayMapTests
{
    [Fact]
    public void Every_index_exists_from_creation_and_is_zeroed()
    {
        var map = Create(MapType.Array, 4, 12, 3);
        var value = new byte[12];
        Assert.Equal(0, map.LookupElem(U32(2), value));
        Assert.All(value, b => Assert.Equal(0, b));
        Assert.Equal(MapErrno.ENOENT, map.LookupElem(U32(3), value));
        Assert.False(map.TryLookup(U32(3), 0, out _));
    }

    [Fact]
    public void Update_with_noexist_fails_with_eexist_and_out_of_range_with_e2big()
    {
        var map = Create(MapType.Array, 4, 8, 4);
        Assert.Equal(MapErrno.EEXIST, map.UpdateElem(U32(1), U64(5), MapFlags.NoExist));
        Assert.Equal(MapErrno.E2BIG, map.UpdateElem(U32(4), U64(5)));
        Assert.Equal(MapErrno.EINVAL, map.UpdateElem(U32(1), U64(5), 3));
        Assert.Equal(0, map.UpdateElem(U32(1), U64(5), MapFlags.Exist));
        Assert.Equal(0, map.LookupElem(1u, out ulong v));
        Assert.Equal(5ul, v);
    }

    [Fact]
    public void Delete_is_einval()
    {
        var map = Create(MapType.Array, 4, 8, 4);
        Assert.Equal(MapErrno.EINVAL, map.DeleteElem(U32(0)));
    }

    [Fact]
    public void Lock_flag_is_einval_without_a_spin_lock_and_accepted_with_one()
    {
        var map = Create(MapType.Array, 4, 8, 4);
        Assert.Equal(MapErrno.EINVAL, map.UpdateElem(U32(0), U64(1), MapFlags.Lock));
        Assert.Equal(MapErrno.EINVAL, map.LookupElem(U32(0), new byte[8], MapFlags.Lock));
        var locked = BpfMapFactory.Create(Of(MapType.Array, 4, 8, 4), new MapCreateOptions { ValuesHaveSpinLock = true });
        Assert.Equal(0, locked.UpdateElem(U32(0), U64(1), MapFlags.Lock));
        Assert.Equal(0, locked.LookupElem(U32(0), new byte[8], MapFlags.Lock));
    }

    [Fact]
    public void Program_writes_through_the_lookup_slice_are_seen_by_user_space()
    {
        var map = Create(MapType.Array, 4, 4, 2);
        Assert.True(map.TryLookup(U32(1), 0, out var slice));
        Assert.Equal(4, slice.Length);
        BitConverter.TryWriteBytes(slice.Span, 0xdeadbeefu);
        Assert.Equal(0, map.LookupElem(1u, out uint v));
        Assert.Equal(0xdeadbeefu, v);
    }

    [Fact]
    public void Values_are_rounded_up_to_eight_bytes_in_one_stable_array()
    {
        var map = Create(MapType.Array, 4, 5, 3);
        Assert.True(map.TryLookup(U32(0), 0, out var first));
        Assert.True(map.TryLookup(U32(2), 0, out var third));
        Assert.Same(first.Array, third.Array);
        Assert.Equal(16, third.Offset - first.Offset);
        map.UpdateElem(U32(2), new byte[] { 1, 2, 3, 4, 5 });
        Assert.True(map.TryLookup(U32(2), 0, out var again));
        Assert.Equal(third, again);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, third.Span.ToArray());
    }

    [Fact]
    public void Get_next_key_walks_indexes_and_restarts_from_zero_for_an_out_of_range_key()
    {
        var map = Create(MapType.Array, 4, 4, 3);
        Assert.Equal(new uint[] { 0, 1, 2 }, map.Keys().Select(k => BitConverter.ToUInt32(k)));
        var next = new byte[4];
        Assert.Equal(MapErrno.ENOENT, map.GetNextKey(U32(2), next));
        Assert.Equal(0, map.GetNextKey(U32(77), next));
        Assert.Equal(0u, BitConverter.ToUInt32(next));
    }

    [Fact]
    public void Percpu_array_program_side_sees_its_cpu_and_user_space_sees_all_cpus_rounded_to_eight()
    {
        var map = Create(MapType.PercpuArray, 4, 4, 2, cpus: 3);
        Assert.Equal(24, map.SyscallValueSize);
        Assert.Equal(0, map.Update(U32(1), U32(7), 0, cpu: 2));
        Assert.True(map.TryLookup(U32(1), 1, out var cpu1));
        BitConverter.TryWriteBytes(cpu1.Span, 9u);
        Assert.Equal(new uint[] { 0, 9, 7 }, map.LookupPerCpu<uint, uint>(1u));
        Assert.Equal(0, map.UpdatePerCpu(0u, new uint[] { 1, 2, 3 }));
        Assert.True(map.TryLookup(U32(0), 2, out var cpu2));
        Assert.Equal(3u, BitConverter.ToUInt32(cpu2.Span));
        Assert.Throws<ArgumentOutOfRangeException>(() => map.TryLookup(U32(0), 3, out _));
    }

    [Fact]
    public void Percpu_array_refuses_the_lock_flag()
    {
        var map = Create(MapType.PercpuArray, 4, 4, 2);
        Assert.Equal(MapErrno.EINVAL, map.Update(U32(0), U32(1), MapFlags.Lock, 0));
    }

    [Fact]
    public void Frozen_and_read_only_maps_refuse_user_space_writes_with_eperm_but_programs_still_write()
    {
        var map = Create(MapType.Array, 4, 4, 2);
        Assert.Equal(0, map.Freeze());
        Assert.Equal(MapErrno.EPERM, map.UpdateElem(U32(0), U32(1)));
        Assert.Equal(0, map.Update(U32(0), U32(1), 0, 0));
        var readOnly = Create(MapType.Array, 4, 4, 2, MapFlags.ReadOnly);
        Assert.Equal(MapErrno.EPERM, readOnly.UpdateElem(U32(0), U32(1)));
        var writeOnly = Create(MapType.Array, 4, 4, 2, MapFlags.WriteOnly);
        Assert.Equal(MapErrno.EPERM, writeOnly.LookupElem(U32(0), new byte[4]));
    }

    [Fact]
    public void Wrong_key_or_value_sizes_are_argument_errors()
    {
        var map = Create(MapType.Array, 4, 4, 2);
        Assert.Throws<ArgumentException>(() => map.LookupElem(new byte[3], new byte[4]));
        Assert.Throws<ArgumentException>(() => map.UpdateElem(U32(0), new byte[3]));
        Assert.Throws<ArgumentException>(() => map.LookupElem<uint, ulong>(0u, out _));
    }
}
