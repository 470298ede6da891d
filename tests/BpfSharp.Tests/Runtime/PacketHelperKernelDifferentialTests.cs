using BpfSharp.Isa;
using BpfSharp.Kernel;
using BpfSharp.Loader;
using BpfSharp.Runtime;
using BpfSharp.Runtime.Packets;
using BpfSharp.Tests.TestSupport;

namespace BpfSharp.Tests.Runtime;

/// <summary>
/// The packet helpers (loading and storing bytes, checksum updates, moving XDP's packet edges, redirects) against
/// the running kernel: small programs run through BPF_PROG_TEST_RUN and through <see cref="ProgramRunner"/> on the
/// same frame must return the same value and leave the same packet.
/// </summary>
public class PacketHelperKernelDifferentialTests
{
    private static readonly byte[] Frame = new PacketGenerator(7).EveryKind().First(p => p.Label == "ipv4/udp valid").Frame;

    public static TheoryData<string, string, string> Cases() => new()
    {
        { "xdp", "adjust_head grows the head", "r2 = -14\ncall bpf_xdp_adjust_head\nexit" },
        { "xdp", "adjust_head shrinks the head", "r2 = 14\ncall bpf_xdp_adjust_head\nexit" },
        { "xdp", "adjust_head beyond the headroom fails", "r2 = -300\ncall bpf_xdp_adjust_head\nexit" },
        { "xdp", "adjust_head past the end fails", "r2 = 4000\ncall bpf_xdp_adjust_head\nexit" },
        { "xdp", "adjust_tail shrinks", "r2 = -10\ncall bpf_xdp_adjust_tail\nexit" },
        { "xdp", "adjust_tail grows with zeros", "r2 = 20\ncall bpf_xdp_adjust_tail\nexit" },
        { "xdp", "adjust_tail below a header fails", "r2 = -2000\ncall bpf_xdp_adjust_tail\nexit" },
        { "xdp", "adjust_meta adds metadata", "r6 = r1\nr2 = -8\ncall bpf_xdp_adjust_meta\nexit" },
        { "xdp", "adjust_meta misaligned fails", "r2 = -6\ncall bpf_xdp_adjust_meta\nexit" },
        { "xdp", "adjust_meta beyond 32 bytes", "r2 = -40\ncall bpf_xdp_adjust_meta\nexit" },
        { "xdp", "adjust_meta then adjust_head keeps the metadata", "r6 = r1\nr2 = -8\ncall bpf_xdp_adjust_meta\nr1 = r6\nr2 = -14\ncall bpf_xdp_adjust_head\nexit" },
        { "xdp", "redirect", "r1 = 1\nr2 = 0\ncall bpf_redirect\nexit" },
        { "xdp", "redirect with flags aborts", "r1 = 1\nr2 = 1\ncall bpf_redirect\nexit" },
        { "sched_cls", "redirect", "r1 = 1\nr2 = 0\ncall bpf_redirect\nexit" },
        { "sched_cls", "redirect with bad flags shoots", "r1 = 1\nr2 = 8\ncall bpf_redirect\nexit" },
        { "sched_cls", "load_bytes of the EtherType", "r2 = 12\nr3 = r10\nr3 += -8\nr4 = 2\ncall bpf_skb_load_bytes\nr0 = *(u16 *)(r10 -8)\nexit" },
        { "sched_cls", "load_bytes past the end fails", "r2 = 40\nr3 = r10\nr3 += -8\nr4 = 8\ncall bpf_skb_load_bytes\nexit" },
        { "sched_cls", "store_bytes over the source MAC", "r2 = 0x11223344\n*(u64 *)(r10 -8) = r2\nr2 = 6\nr3 = r10\nr3 += -8\nr4 = 6\nr5 = 0\ncall bpf_skb_store_bytes\nexit" },
        { "sched_cls", "store_bytes past the end fails", "r2 = 0\n*(u64 *)(r10 -8) = r2\nr2 = 40\nr3 = r10\nr3 += -8\nr4 = 8\nr5 = 0\ncall bpf_skb_store_bytes\nexit" },
        { "sched_cls", "store_bytes with bad flags fails", "r2 = 0\n*(u64 *)(r10 -8) = r2\nr2 = 0\nr3 = r10\nr3 += -8\nr4 = 8\nr5 = 4\ncall bpf_skb_store_bytes\nexit" },
        { "sched_cls", "l3_csum_replace of 2 bytes", "r2 = 24\nr3 = 0x4011\nr4 = 0x3f11\nr5 = 2\ncall bpf_l3_csum_replace\nexit" },
        { "sched_cls", "l3_csum_replace of 4 bytes", "r2 = 24\nr3 = 0x0100000a\nr4 = 0x0200a8c0\nr5 = 4\ncall bpf_l3_csum_replace\nexit" },
        { "sched_cls", "l3_csum_replace by a diff", "r2 = 24\nr3 = 0\nr4 = 0x1234\nr5 = 0\ncall bpf_l3_csum_replace\nexit" },
        { "sched_cls", "l3_csum_replace with a bad size fails", "r2 = 24\nr3 = 0\nr4 = 1\nr5 = 3\ncall bpf_l3_csum_replace\nexit" },
        { "sched_cls", "l3_csum_replace past the end fails", "r2 = 4000\nr3 = 0\nr4 = 1\nr5 = 2\ncall bpf_l3_csum_replace\nexit" },
        { "sched_cls", "l4_csum_replace with the pseudo header", "r2 = 40\nr3 = 0x0100000a\nr4 = 0x0200a8c0\nr5 = 0x14\ncall bpf_l4_csum_replace\nexit" },
        { "sched_cls", "l4_csum_replace marking mangled zero", "r2 = 40\nr3 = 0x1234\nr4 = 0x4321\nr5 = 0x22\ncall bpf_l4_csum_replace\nexit" },
        { "sched_cls", "l4_csum_replace with unknown flags fails", "r2 = 40\nr3 = 0\nr4 = 1\nr5 = 0x102\ncall bpf_l4_csum_replace\nexit" },
        { "sched_cls", "csum_diff of two words", "r1 = 0x0100000a\n*(u32 *)(r10 -8) = r1\nr1 = 0x0200a8c0\n*(u32 *)(r10 -4) = r1\nr1 = r10\nr1 += -8\nr2 = 4\nr3 = r10\nr3 += -4\nr4 = 4\nr5 = 0x1234\ncall bpf_csum_diff\nexit" },
        { "sched_cls", "csum_diff of sizes that are not whole words", "r1 = 0\n*(u64 *)(r10 -8) = r1\nr1 = r10\nr1 += -8\nr2 = 6\nr3 = r10\nr3 += -8\nr4 = 4\nr5 = 0\ncall bpf_csum_diff\nexit" },
        { "sched_cls", "csum_diff pushing data", "r1 = 0x7f000001\n*(u32 *)(r10 -4) = r1\nr1 = 0\nr2 = 0\nr3 = r10\nr3 += -4\nr4 = 4\nr5 = 0xffff\ncall bpf_csum_diff\nexit" },
        { "sched_cls", "csum_diff pulling data", "r1 = 0x7f000001\n*(u32 *)(r10 -4) = r1\nr1 = r10\nr1 += -4\nr2 = 4\nr3 = 0\nr4 = 0\nr5 = 0x1234\ncall bpf_csum_diff\nexit" },
        { "sched_cls", "csum_diff of three bytes", "r1 = 0x00abcdef\n*(u32 *)(r10 -4) = r1\nr1 = 0\nr2 = 0\nr3 = r10\nr3 += -4\nr4 = 3\nr5 = 0\ncall bpf_csum_diff\nexit" },
    };

    [KernelTheory]
    [MemberData(nameof(Cases))]
    public void Runtime_and_kernel_leave_the_same_packet_and_return_value(string type, string behaviour, string text)
    {
        var programType = type == "xdp" ? ProgramType.Xdp : ProgramType.SchedCls;
        var insns = Assembler.Assemble(text);
        var load = KernelProgram.Load(new ProgramLoadRequest
        {
            Type = programType, Instructions = insns, Name = "bpfsharp_pkt", License = "GPL", LogLevel = ProgramLoadRequest.LogBasic,
        });
        Assert.True(load.Succeeded, $"{behaviour}: the kernel refused:\n{load.Log}");
        TestRunResult kernel;
        using (var fd = load.Program!) kernel = KernelProgram.TestRun(fd, new TestRunRequest { Data = Frame, DataOutSlack = 512 });

        var spec = new ProgramSpec { Name = "prog", SectionName = type, Type = programType, Instructions = insns, License = "GPL" };
        var ours = ProgramRunner.Create(new ObjectSpec { Programs = [spec], Maps = [] }, spec).Run(Frame);
        Assert.True(ours.Succeeded, $"{behaviour}: {ours.Error}");
        Assert.Equal(kernel.ReturnValue, (uint)ours.ReturnValue);
        Assert.Equal(Convert.ToHexString(kernel.Data), Convert.ToHexString(ours.Data!));
    }
}
