using BpfSharp.Isa;

namespace BpfSharp.Tests.Isa;

/// <summary>HelperFunctions maps helper ids to the names the kernel's disassembler prints, and back.</summary>
public class HelperFunctionsTests
{
    [Theory]
    [InlineData(0, "bpf_unspec")]
    [InlineData(1, "bpf_map_lookup_elem")]
    [InlineData(2, "bpf_map_update_elem")]
    [InlineData(6, "bpf_trace_printk")]
    [InlineData(12, "bpf_tail_call")]
    [InlineData(14, "bpf_get_current_pid_tgid")]
    [InlineData(25, "bpf_perf_event_output")]
    [InlineData(51, "bpf_redirect_map")]
    [InlineData(113, "bpf_probe_read_kernel")]
    [InlineData(130, "bpf_ringbuf_output")]
    [InlineData(181, "bpf_loop")]
    [InlineData(209, "bpf_user_ringbuf_drain")]
    [InlineData(211, "bpf_cgrp_storage_delete")]
    public void Ids_map_to_kernel_helper_names(int id, string name) => Assert.Equal(name, HelperFunctions.NameOf(id));

    [Fact]
    public void The_table_ends_at_the_last_helper_of_linux_6_18()
    {
        Assert.Equal(212, HelperFunctions.Count);
        Assert.Equal("bpf_cgrp_storage_delete", HelperFunctions.NameOf(HelperFunctions.Count - 1));
    }

    [Theory]
    [InlineData(212)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void Unknown_ids_have_no_name(int id) => Assert.Null(HelperFunctions.NameOf(id));

    [Theory]
    [InlineData("bpf_tail_call", 12)]
    [InlineData("tail_call", 12)]
    [InlineData("bpf_ringbuf_output", 130)]
    [InlineData("ringbuf_output", 130)]
    [InlineData("unspec", 0)]
    public void Names_resolve_with_or_without_the_bpf_prefix(string name, int id)
    {
        Assert.True(HelperFunctions.TryGetId(name, out int found));
        Assert.Equal(id, found);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("bpf_")]
    [InlineData("bpf_no_such_helper")]
    [InlineData("BPF_TAIL_CALL")]
    [InlineData("bpf_bpf_tail_call")]
    public void Unknown_names_have_no_id(string? name)
    {
        Assert.False(HelperFunctions.TryGetId(name, out int id));
        Assert.Equal(-1, id);
    }

    [Fact]
    public void Every_name_is_distinct_prefixed_and_round_trips()
    {
        var names = Enumerable.Range(0, HelperFunctions.Count).Select(i => HelperFunctions.NameOf(i)!).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        for (int i = 0; i < names.Count; i++)
        {
            Assert.StartsWith("bpf_", names[i], StringComparison.Ordinal);
            Assert.True(HelperFunctions.TryGetId(names[i], out int id));
            Assert.Equal(i, id);
            Assert.True(HelperFunctions.TryGetId(names[i]["bpf_".Length..], out id));
            Assert.Equal(i, id);
        }
    }
}
