using System.Text;
using BpfSharp.Runtime;
using static BpfSharp.Tests.Runtime.RuntimeTestSupport;

namespace BpfSharp.Tests.Runtime;

/// <summary>The runtime's core helpers, each through a small program.</summary>
public class CoreHelperTests
{
    /// <summary>Stores <paramref name="text"/> (NUL-terminated) at r10-64 and leaves r1 = its address, r2 = its size.</summary>
    private static string StoreString(string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text + "\0");
        var code = new StringBuilder();
        for (int i = 0; i < bytes.Length; i++) code.Append($"*(u8 *)(r10 {i - 64}) = {bytes[i]}\n");
        code.Append($"r1 = r10\nr1 += -64\nr2 = {bytes.Length}\n");
        return code.ToString();
    }

    [Fact]
    public void Trace_printk_formats_like_the_kernel_and_collects_lines()
    {
        var interpreter = new Interpreter();
        var result = interpreter.Run(Program(StoreString("a=%d b=%u c=%llx\n") + "r3 = -5\nr4 = -1\nr5 = -1\ncall bpf_trace_printk\nexit"));
        Assert.Equal(["a=-5 b=4294967295 c=ffffffffffffffff"], result.Trace);
        Assert.Equal((ulong)"a=-5 b=4294967295 c=ffffffffffffffff\n".Length, result.ReturnValue);
        var padded = interpreter.Run(Program(StoreString("[%5d|%-4x|%05u]") + "r3 = 42\nr4 = 10\nr5 = 7\ncall bpf_trace_printk\nexit"));
        Assert.Equal(["[   42|a   |00007]"], padded.Trace);
    }

    [Fact]
    public void Trace_printk_refuses_an_unknown_conversion()
    {
        var result = new Interpreter().Run(Program(StoreString("%q") + "call bpf_trace_printk\nexit"));
        Assert.Equal(unchecked((ulong)-22L), result.ReturnValue);
        Assert.Empty(result.Trace);
    }

    [Fact]
    public void Probe_read_from_memory_not_given_returns_efault_and_zero_fills()
    {
        ulong r0 = Run("""
            r1 = -1
            *(u64 *)(r10 -8) = r1
            r1 = r10
            r1 += -8
            r2 = 8
            r3 = 0x999900000000 ll
            call bpf_probe_read_kernel
            r1 = *(u64 *)(r10 -8)
            r0 <<= 32
            r0 |= r1
            exit
            """);
        Assert.Equal(unchecked((ulong)-14L) << 32, r0);
        Assert.Equal(0x1122UL, Run("r1 = 0x1122\n*(u64 *)(r10 -16) = r1\nr1 = r10\nr1 += -8\nr2 = 8\nr3 = r10\nr3 += -16\ncall bpf_probe_read\nr0 = *(u64 *)(r10 -8)\nexit"));
    }

    [Fact]
    public void Probe_read_str_copies_up_to_the_nul_and_returns_the_length_with_it()
    {
        ulong r0 = Run(StoreString("hello") + "r3 = r1\nr1 = r10\nr1 += -128\nr2 = 4\ncall bpf_probe_read_user_str\nr1 = *(u32 *)(r10 -128)\nr0 <<= 32\nr0 |= r1\nexit");
        // Truncated to 3 characters and a NUL: "hel\0".
        Assert.Equal((4UL << 32) | 0x006c6568UL, r0);
    }

    [Theory]
    [InlineData("  -42", 10, -42L, 5)]
    [InlineData("0x1f!", 0, 31L, 4)]
    [InlineData("017", 0, 15L, 3)]
    [InlineData("ff", 16, 255L, 2)]
    public void Strtol_parses_like_the_kernel(string text, int radix, long value, int consumed)
    {
        string program = StoreString(text) + $"r2 = {text.Length}\nr3 = {radix}\nr4 = r10\nr4 += -8\ncall bpf_strtol\nr1 = *(u64 *)(r10 -8)\nexit";
        var interpreter = new Interpreter();
        Assert.Equal((ulong)consumed, interpreter.Run(Program(program)).ReturnValue);
        Assert.Equal((ulong)value, interpreter.Run(Program(program.Replace("exit", "r0 = r1\nexit"))).ReturnValue);
    }

    [Fact]
    public void Strtoul_refuses_a_sign_and_strtol_reports_overflow()
    {
        Assert.Equal(unchecked((ulong)-22L), Run(StoreString("-1") + "r2 = 2\nr3 = 0\nr4 = r10\nr4 += -8\ncall bpf_strtoul\nexit"));
        Assert.Equal(unchecked((ulong)-34L), Run(StoreString("99999999999999999999") + "r2 = 20\nr3 = 0\nr4 = r10\nr4 += -8\ncall bpf_strtol\nexit"));
    }

    [Fact]
    public void Snprintf_formats_into_the_buffer_and_returns_the_length_with_the_nul()
    {
        string program = StoreString("x=%d") + """
            r3 = r1
            r1 = 7
            *(u64 *)(r10 -72) = r1
            r4 = r10
            r4 += -72
            r5 = 8
            r1 = r10
            r1 += -96
            r2 = 16
            call bpf_snprintf
            r1 = *(u32 *)(r10 -96)
            r0 <<= 32
            r0 |= r1
            exit
            """;
        Assert.Equal((4UL << 32) | 0x00373d78UL, Run(program));
    }

    [Fact]
    public void Spin_lock_twice_is_a_deadlock_and_unlock_releases()
    {
        Assert.Equal(0UL, Run("r1 = r10\nr1 += -8\ncall bpf_spin_lock\nr1 = r10\nr1 += -8\ncall bpf_spin_unlock\nr0 = *(u32 *)(r10 -8)\nexit"));
        var e = Fails("r1 = r10\nr1 += -8\ncall bpf_spin_lock\nr1 = r10\nr1 += -8\ncall bpf_spin_lock\nexit");
        Assert.Contains("already held (deadlock)", e.Message);
    }

    [Fact]
    public void Environment_helpers_report_the_configured_values()
    {
        var options = new InterpreterOptions { PidTgid = 0x1234_00005678, UidGid = 0x3e8_000003e8, Comm = "worker", Cpu = 1, MonotonicClock = () => 5000 };
        Assert.Equal(0x1234_00005678UL, Run("call bpf_get_current_pid_tgid\nexit", options));
        Assert.Equal(0x3e8_000003e8UL, Run("call bpf_get_current_uid_gid\nexit", options));
        Assert.Equal(1UL, Run("call bpf_get_smp_processor_id\nexit", options));
        Assert.Equal(5000UL, Run("call bpf_ktime_get_ns\nexit", options));
        Assert.Equal(0x72656b726f77UL, Run("r1 = r10\nr1 += -16\nr2 = 16\ncall bpf_get_current_comm\nr0 = *(u64 *)(r10 -16)\nexit", options));
    }

    [Fact]
    public void Prandom_is_seeded_and_repeats_per_run()
    {
        string program = "call bpf_get_prandom_u32\nr6 = r0\ncall bpf_get_prandom_u32\nr0 <<= 32\nr0 |= r6\nexit";
        var options = new InterpreterOptions { RandomSeed = 7 };
        ulong first = Run(program, options);
        Assert.Equal(first, Run(program, options));
        Assert.NotEqual(first, Run(program, new InterpreterOptions { RandomSeed = 8 }));
        Assert.NotEqual((uint)first, (uint)(first >> 32));
    }

    [Fact]
    public void Map_helpers_update_look_up_and_delete_through_the_map_contract()
    {
        var map = new TestArrayMap("values", 8, 2);
        var program = Program("""
            r1 = 1
            *(u32 *)(r10 -4) = r1
            r1 = 0x77
            *(u64 *)(r10 -16) = r1
            r1 = map[values] ll
            r2 = r10
            r2 += -4
            r3 = r10
            r3 += -16
            r4 = 0
            call bpf_map_update_elem
            r6 = r0
            r1 = map[values] ll
            r2 = r10
            r2 += -4
            call bpf_map_delete_elem
            r0 += 22
            r6 += r0
            r1 = 5
            *(u32 *)(r10 -4) = r1
            r1 = map[values] ll
            r2 = r10
            r2 += -4
            call bpf_map_lookup_elem
            r0 |= r6
            exit
            """, map);
        // update: 0; delete on an array: -EINVAL (22 is added back); lookup of key 5 out of range: NULL.
        Assert.Equal(0UL, new Interpreter().Run(program).ReturnValue);
        Assert.Equal(0x77UL, BitConverter.ToUInt64(map.Value(1)));
    }

    [Fact]
    public void A_map_helper_given_something_else_than_a_map_names_the_argument()
    {
        var e = Fails("r1 = r10\nr2 = r10\ncall bpf_map_lookup_elem\nexit");
        Assert.Contains("R1 is not a map", e.Message);
    }
}
