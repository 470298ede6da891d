using BpfSharp.Loader;
using BpfSharp.Runtime.Maps;
using static BpfSharp.Tests.Runtime.Maps.Specs;

namespace BpfSharp.Tests.Runtime.Maps;

public class StackTraceMapTests
{
    private static StackTraceMap Stacks(uint maxEntries = 64, uint depth = 4, uint flags = 0) =>
        (StackTraceMap)BpfMapFactory.Create(Of(MapType.StackTrace, 4, depth * ((flags & MapFlags.StackBuildId) != 0 ? 32u : 8u), maxEntries, flags));

    [Fact]
    public void The_same_stack_gets_the_same_id_and_lookup_returns_its_ips_zero_filled()
    {
        var map = Stacks();
        long id = map.GetStackId([0x10, 0x20, 0x30], 0);
        Assert.True(id >= 0);
        Assert.Equal(id, map.GetStackId([0x10, 0x20, 0x30], 0));
        var value = new byte[32];
        Assert.Equal(0, map.LookupElem(U32((uint)id), value));
        Assert.Equal(new ulong[] { 0x10, 0x20, 0x30, 0 }, Enumerable.Range(0, 4).Select(i => BitConverter.ToUInt64(value, i * 8)));
    }

    [Fact]
    public void A_different_stack_in_a_taken_bucket_is_eexist_unless_reuse_stackid()
    {
        var map = Stacks(maxEntries: 1);
        Assert.Equal(0, map.GetStackId([1, 2], 0));
        Assert.Equal(MapErrno.EEXIST, map.GetStackId([3, 4], 0));
        Assert.Equal(0, map.GetStackId([3, 4], MapFlags.ReuseStackId));
        Assert.Equal(new ulong[] { 3, 4 }, map.Stack(0));
    }

    [Fact]
    public void Fast_compare_trusts_a_hash_match()
    {
        var map = Stacks(maxEntries: 1);
        Assert.Equal(0, map.GetStackId([1, 2], 0));
        Assert.Equal(0, map.GetStackId([1, 2], MapFlags.FastStackCompare));
        Assert.Equal(MapErrno.EEXIST, map.GetStackId([1, 3], MapFlags.FastStackCompare));
    }

    [Fact]
    public void Skipped_frames_are_dropped_deep_stacks_truncated_and_nothing_left_is_efault()
    {
        var map = Stacks(depth: 2);
        long id = map.GetStackId([1, 2, 3, 4], 1);
        Assert.Equal(new ulong[] { 2, 3 }, map.Stack((uint)id));
        Assert.Equal(MapErrno.EFAULT, map.GetStackId([1, 2], 2));
        Assert.Equal(MapErrno.EINVAL, map.GetStackId([1, 2], 1UL << 11));
    }

    [Fact]
    public void Iteration_delete_and_update_follow_the_kernel()
    {
        var map = Stacks(maxEntries: 8);
        var ids = new[] { map.GetStackId([1], 0), map.GetStackId([2], 0), map.GetStackId([3], 0) }.Where(i => i >= 0).Distinct().Order().ToList();
        Assert.Equal(ids, map.Keys().Select(k => (long)BitConverter.ToUInt32(k)));
        Assert.Equal(MapErrno.EINVAL, map.UpdateElem(U32(0), new byte[32]));
        Assert.Equal(MapErrno.E2BIG, map.DeleteElem(U32(8)));
        Assert.Equal(0, map.DeleteElem(U32((uint)ids[0])));
        Assert.Equal(MapErrno.ENOENT, map.DeleteElem(U32((uint)ids[0])));
        Assert.Equal(MapErrno.ENOENT, map.LookupElem(U32((uint)ids[0]), new byte[32]));
    }

    [Fact]
    public void Build_id_mode_resolves_user_stacks_and_keeps_kernel_stacks_as_ips()
    {
        var text = BuildIdResolver.ForCurrentProcess().ReadMappings().First(m => m.IsFileBacked && m.Path.Contains("libc.so", StringComparison.Ordinal) && m.FileOffset != 0);
        var map = Stacks(depth: 3, flags: MapFlags.StackBuildId);
        Assert.True(map.IsBuildIdMode);
        long id = map.GetStackId([text.Start + 0x40, 0x10], MapFlags.UserStack);
        Assert.True(id >= 0);
        var value = new byte[96];
        Assert.Equal(0, map.LookupElem(U32((uint)id), value));
        Assert.Equal((int)StackBuildIdStatus.Valid, BitConverter.ToInt32(value, 0));
        Assert.Equal(ElfNotes.BuildIdFromSection(text.Path), value.AsSpan(4, ElfNotes.BuildIdFromSection(text.Path)!.Length).ToArray());
        Assert.Equal(text.FileOffset + 0x40, BitConverter.ToUInt64(value, 24));
        Assert.Equal((int)StackBuildIdStatus.Ip, BitConverter.ToInt32(value, 32));
        Assert.Equal(0x10ul, BitConverter.ToUInt64(value, 56));
        Assert.Equal((int)StackBuildIdStatus.Empty, BitConverter.ToInt32(value, 64));
        long kernelId = map.GetStackId([text.Start + 0x80], MapFlags.ReuseStackId);
        Assert.All(map.BuildIdStack((uint)kernelId)!, e => Assert.Equal(StackBuildIdStatus.Ip, e.Status));
    }

    [Theory]
    [InlineData(24u, MapFlags.StackBuildId)]
    [InlineData(12u, 0u)]
    [InlineData(8u * 128, 0u)]
    [InlineData(8u, MapFlags.NoPrealloc)]
    public void Creation_checks_the_value_size_the_depth_and_flags(uint valueSize, uint flags)
    {
        Assert.Equal(MapErrno.EINVAL, Assert.Throws<MapCreateException>(() => BpfMapFactory.Create(Of(MapType.StackTrace, 4, valueSize, 8, flags))).Errno);
    }
}
