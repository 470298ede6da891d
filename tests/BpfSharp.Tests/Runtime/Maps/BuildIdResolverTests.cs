using BpfSharp.Runtime.Maps;

namespace BpfSharp.Tests.Runtime.Maps;

public class BuildIdResolverTests
{
    private static readonly BuildIdResolver Self = BuildIdResolver.ForCurrentProcess();

    // The test process's libc: mapped several times (read-only, executable, ...) from one file with a build ID.
    private static List<ProcessMapping> LibcMappings() =>
        Self.ReadMappings().Where(m => m.IsFileBacked && Path.GetFileName(m.Path).StartsWith("libc.so", StringComparison.Ordinal)).ToList();

    private static ProcessMapping Anonymous() =>
        Self.ReadMappings().First(m => !m.IsFileBacked && m.Path is "" or "[heap]" or "[stack]");

    [Fact]
    public void An_address_in_libc_resolves_to_the_build_id_its_note_holds_and_its_file_offset()
    {
        var text = LibcMappings().First(m => m.FileOffset != 0);
        var expected = ElfNotes.BuildIdFromSection(text.Path);
        Assert.NotNull(expected);
        ulong ip = text.Start + 0x123;
        var entry = new BuildIdResolver(Environment.ProcessId).Resolve(ip);
        Assert.Equal(StackBuildIdStatus.Valid, entry.Status);
        Assert.Equal(expected, entry.BuildId.Span[..expected.Length].ToArray());
        Assert.Equal(text.FileOffset + 0x123, entry.OffsetOrIp);
    }

    [Fact]
    public void The_two_slots_are_independent_so_an_unresolved_range_does_not_evict_the_resolved_one()
    {
        var text = LibcMappings().First(m => m.FileOffset != 0);
        var anon = Anonymous();
        var resolver = new BuildIdResolver(Environment.ProcessId);
        var stack = resolver.ResolveStack([text.Start + 8, text.Start + 16, anon.Start + 8, anon.Start + 16, text.Start + 24]);
        Assert.Equal([StackBuildIdStatus.Valid, StackBuildIdStatus.Valid, StackBuildIdStatus.Ip, StackBuildIdStatus.Ip, StackBuildIdStatus.Valid],
            stack.Select(e => e.Status));
        Assert.Equal(anon.Start + 8, stack[2].OffsetOrIp);
        Assert.Equal(3, resolver.CacheHits);
        Assert.Equal(2, resolver.MappingLookups);
        Assert.Equal(1, resolver.BuildIdParses);
    }

    [Fact]
    public void Another_mapping_of_the_resolved_file_reuses_its_build_id_without_parsing()
    {
        var libc = LibcMappings();
        var resolver = new BuildIdResolver(Environment.ProcessId);
        var stack = resolver.ResolveStack([libc[0].Start, libc[1].Start + 4]);
        Assert.All(stack, e => Assert.Equal(StackBuildIdStatus.Valid, e.Status));
        Assert.True(stack[0].BuildId.Span.SequenceEqual(stack[1].BuildId.Span));
        Assert.Equal(libc[1].FileOffset + 4, stack[1].OffsetOrIp);
        Assert.Equal(2, resolver.MappingLookups);
        Assert.Equal(1, resolver.BuildIdParses);
    }

    [Fact]
    public void Ranges_are_half_open_so_the_end_address_is_looked_up_again()
    {
        var text = LibcMappings().First(m => m.FileOffset != 0);
        var resolver = new BuildIdResolver(Environment.ProcessId);
        resolver.ResolveStack([text.Start, text.End]);
        Assert.Equal(0, resolver.CacheHits);
        Assert.Equal(2, resolver.MappingLookups);
    }

    [Fact]
    public void An_unmapped_address_falls_back_to_its_ip_and_is_not_cached()
    {
        var resolver = new BuildIdResolver(Environment.ProcessId);
        var stack = resolver.ResolveStack([0x10, 0x18]);
        Assert.All(stack, e => Assert.Equal(StackBuildIdStatus.Ip, e.Status));
        Assert.Equal(0x18ul, stack[1].OffsetOrIp);
        Assert.Equal(2, resolver.MappingLookups);
        Assert.Equal(0, resolver.CacheHits);
    }

    [Fact]
    public void A_build_id_entry_has_the_kernels_32_byte_layout()
    {
        var entry = new StackBuildId(StackBuildIdStatus.Valid, Enumerable.Range(1, 20).Select(i => (byte)i).ToArray(), 0x1122);
        var bytes = new byte[32];
        entry.WriteTo(bytes);
        Assert.Equal(1, BitConverter.ToInt32(bytes, 0));
        Assert.Equal(1, bytes[4]);
        Assert.Equal(20, bytes[23]);
        Assert.Equal(0x1122ul, BitConverter.ToUInt64(bytes, 24));
    }

    [Fact]
    public void Maps_lines_parse_and_bad_lines_are_null()
    {
        var mapping = ProcessMapping.Parse("7fe139158000-7fe1392ae000 r-xp 00026000 fe:00 332096                     /usr/lib/libc.so.6");
        Assert.Equal(new ProcessMapping(0x7fe139158000, 0x7fe1392ae000, 0x26000, 332096, "/usr/lib/libc.so.6"), mapping);
        Assert.False(ProcessMapping.Parse("7fff0000-7fff1000 rw-p 00000000 00:00 0 [stack]")!.Value.IsFileBacked);
        Assert.Null(ProcessMapping.Parse("garbage"));
    }
}
