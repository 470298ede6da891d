using BpfSharp.Isa;
using BpfSharp.Kernel;
using BpfSharp.Loader;
using BpfSharp.Tests.TestSupport;

namespace BpfSharp.Tests.Kernel;

/// <summary>Small programs assembled here, loaded into the running kernel.</summary>
public class KernelProgramTests
{
    private static ProgramLoadResult Load(string text, uint logLevel = ProgramLoadRequest.LogBasic | ProgramLoadRequest.LogStats,
        ProgramType type = ProgramType.SocketFilter) =>
        KernelProgram.Load(new ProgramLoadRequest { Type = type, Instructions = Assembler.Assemble(text), LogLevel = logLevel, Name = "bpfsharp_test" });

    [Fact]
    public void The_probe_always_gives_a_reason()
    {
        var availability = KernelProbe.Availability;
        Assert.False(string.IsNullOrWhiteSpace(availability.Reason));
    }

    [KernelFact]
    public void An_accepted_program_gets_a_descriptor_and_statistics()
    {
        var r = Load("r0 = *(u32 *)(r1 +0)\nexit");
        using var fd = r.Program;
        Assert.True(r.Succeeded);
        var stats = VerifierLogParser.Parse(r.Log);
        Assert.Equal(2, stats.ProcessedInstructions);
        Assert.NotNull(stats.VerificationTimeMicroseconds);
        Assert.Equal([0], stats.StackDepths);
        var info = KernelProgram.Info(fd!);
        Assert.Equal(ProgramType.SocketFilter, info.Type);
        Assert.Equal(2u, info.VerifiedInstructions);
        Assert.Equal("bpfsharp_test", info.Name);
    }

    public static TheoryData<string, string> Rejections() => new()
    {
        { "exit", "R0 !read_ok" },
        { "r0 = *(u64 *)(r10 +8)\nexit", "invalid read from stack R10 off=8 size=8" },
        { "r0 = 0\nr1 = *(u32 *)(r1 +4096)\nexit", "invalid bpf_context access off=4096 size=4" },
        { "r0 = 0\ngoto pc-1", "infinite loop detected at insn 1" },
        { "r0 = 0\nexit\nr0 = 1\nexit", "unreachable insn 2" },
        { "r0 = 1\nr0 /= 0\nexit", "div by zero" },
        { "call 9999\nexit", "invalid func unknown#9999" },
    };

    [KernelTheory]
    [MemberData(nameof(Rejections))]
    public void A_rejected_program_has_the_kernels_message(string program, string message)
    {
        var r = Load(program);
        Assert.False(r.Succeeded);
        Assert.Contains(r.Errno, new[] { Errno.EACCES, Errno.EINVAL });
        Assert.Equal(message, VerifierLogParser.ErrorMessage(r.Log));
    }

    [KernelFact]
    public void A_long_log_grows_the_buffer_instead_of_failing()
    {
        // 600 instructions at log level 2 need far more than the 4 KiB we start with.
        string text = string.Concat(Enumerable.Repeat("r0 += 1\n", 600)) + "exit";
        var r = KernelProgram.Load(new ProgramLoadRequest
        {
            Type = ProgramType.SocketFilter,
            Instructions = Assembler.Assemble("r0 = 0\n" + text),
            LogLevel = ProgramLoadRequest.LogVerbose | ProgramLoadRequest.LogStats,
            LogSize = 4096,
        });
        using var fd = r.Program;
        Assert.True(r.Succeeded, r.Log[^Math.Min(300, r.Log.Length)..]);
        Assert.Contains("600: (07) r0 += 1", r.Log);
        Assert.Equal(602, VerifierLogParser.Parse(r.Log).ProcessedInstructions);
    }

    [KernelFact]
    public void Test_run_returns_r0_and_the_packet()
    {
        // A socket filter returning skb->len: the kernel hands it the packet without its 14-byte Ethernet header.
        var r = Load("r0 = *(u32 *)(r1 +0)\nexit");
        using var fd = r.Program!;
        var packet = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();
        var run = KernelProgram.TestRun(fd, new TestRunRequest { Data = packet, Repeat = 10 });
        Assert.Equal(50u, run.ReturnValue);
        Assert.Equal(64, run.Data.Length);
        Assert.Equal(packet[14..], run.Data[14..]);
    }

    [KernelFact]
    public void Maps_hold_values_and_frozen_maps_refuse_updates()
    {
        using var map = KernelMap.Create(MapType.Array, 4, 8, 4, name: "bpfsharp_test");
        var key = BitConverter.GetBytes(2);
        map.Update(key, BitConverter.GetBytes(0x1122334455667788UL));
        var value = new byte[8];
        Assert.True(map.TryLookup(key, value));
        Assert.Equal(0x1122334455667788UL, BitConverter.ToUInt64(value));
        map.Freeze();
        var e = Assert.Throws<KernelException>(() => map.Update(key, value));
        Assert.Equal(Errno.EPERM, e.ErrorNumber);

        using var percpu = KernelMap.Create(MapType.PercpuArray, 4, 4, 1);
        Assert.Equal(8 * PossibleCpus.Count, percpu.ValueBufferSize);
    }

    [KernelFact]
    public void A_refused_map_names_itself_and_the_errno()
    {
        var e = Assert.Throws<KernelException>(() => KernelMap.Create(MapType.Array, 8, 4, 1, name: "bad_key"));
        Assert.Equal(Errno.EINVAL, e.ErrorNumber);
        Assert.Contains("BPF_MAP_CREATE", e.Message);
        Assert.Contains("map 'bad_key' (array, key 8, value 4, max 1", e.Message);
    }
}
