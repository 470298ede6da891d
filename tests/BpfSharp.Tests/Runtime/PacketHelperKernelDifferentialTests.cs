using BpfSharp.Isa;
using BpfSharp.Kernel;
using BpfSharp.Loader;
using BpfSharp.Runtime;
using BpfSharp.Runtime.Packets;
using BpfSharp.Tests.TestSupport;

namespace BpfSharp.Tests.Runtime;

/// <summary>
/// The packet helpers (loading and storing bytes, checksum updates, moving XDP's packet edges, redirects, and the
/// tc helpers that resize the skb or move its VLAN tag, with the ctx fields read back after them) against
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

    // The skb resizing helpers (tc only): "frame label | behaviour" → program. Programs keep the ctx in r6 to read
    // back what the kernel derives from the skb (len +0, protocol +16, vlan_present +20, vlan_tci +24, vlan_proto +28).
    private const string V4 = "ipv4/udp valid", V6 = "ipv6/udp valid", Vlan = "vlan/ipv4", QinQ = "qinq/ipv4", Arp = "arp valid";
    private const string ShortVlan = "hex:ffffffffffff02000000000181000001", Llc = "hex:ffffffffffff020000000001810000050040ffff0000000000000000";

    private static string Call(string helper, params long[] args) =>
        string.Concat(args.Select((v, i) => $"r{i + 2} = {v}\n")) + $"r1 = r6\ncall {helper}\n";

    private static string Then(string read) => $"r7 = r0\n{read}\nexit";

    public static TheoryData<string, string, string> SkbCases() => new()
    {
        { V4, "change_tail grows with zeros, len follows", "r6 = r1\n" + Call("bpf_skb_change_tail", 100, 0) + Then("r0 = *(u32 *)(r6 +0)\nr0 += r7") },
        { V4, "change_tail shrinks", "r6 = r1\n" + Call("bpf_skb_change_tail", 20, 0) + Then("r0 = *(u32 *)(r6 +0)\nr0 += r7") },
        { V4, "change_tail to the network header", "r6 = r1\n" + Call("bpf_skb_change_tail", 14, 0) + "exit" },
        { V4, "change_tail below the network header fails", "r6 = r1\n" + Call("bpf_skb_change_tail", 13, 0) + "exit" },
        { V4, "change_tail with flags fails", "r6 = r1\n" + Call("bpf_skb_change_tail", 60, 1) + "exit" },
        { V4, "change_tail to SKB_MAX_ALLOC", "r6 = r1\n" + Call("bpf_skb_change_tail", 16064, 0) + "exit" },
        { V4, "change_tail beyond SKB_MAX_ALLOC fails", "r6 = r1\n" + Call("bpf_skb_change_tail", 16065, 0) + "exit" },
        { V4, "change_tail shrink then grow gives zeros", "r6 = r1\n" + Call("bpf_skb_change_tail", 20, 0) + Call("bpf_skb_change_tail", 60, 0) + "exit" },
        { V4, "change_tail beyond the buffer then back", "r6 = r1\n" + Call("bpf_skb_change_tail", 5000, 0) + "r7 = r0\n" + Call("bpf_skb_change_tail", 50, 0) + "r0 += r7\nexit" },
        { V4, "change_head pushes zeros, len follows", "r6 = r1\n" + Call("bpf_skb_change_head", 14, 0) + Then("r0 = *(u32 *)(r6 +0)\nr0 += r7") },
        { V4, "change_head beyond the headroom", "r6 = r1\n" + Call("bpf_skb_change_head", 100, 0) + "exit" },
        { V4, "change_head of 0", "r6 = r1\n" + Call("bpf_skb_change_head", 0, 0) + "exit" },
        { V4, "change_head with flags fails", "r6 = r1\n" + Call("bpf_skb_change_head", 4, 2) + "exit" },
        { V4, "change_head to SKB_MAX_ALLOC", "r6 = r1\nr2 = 16064\nr3 = *(u32 *)(r6 +0)\nr2 -= r3\nr3 = 0\nr1 = r6\ncall bpf_skb_change_head\nexit" },
        { V4, "change_head beyond SKB_MAX_ALLOC fails", "r6 = r1\nr2 = 16065\nr3 = *(u32 *)(r6 +0)\nr2 -= r3\nr3 = 0\nr1 = r6\ncall bpf_skb_change_head\nexit" },
        { V4, "change_head of a negative room fails", "r6 = r1\n" + Call("bpf_skb_change_head", -1, 0) + "exit" },
        { V4, "change_head moves the network header: change_tail's minimum follows", "r6 = r1\n" + Call("bpf_skb_change_head", 10, 0) + Call("bpf_skb_change_tail", 23, 0) + "r7 = r0\n" + Call("bpf_skb_change_tail", 24, 0) + "r0 <<= 8\nr0 |= r7\nexit" },
        { V4, "pull_data of 0", "r6 = r1\n" + Call("bpf_skb_pull_data", 0) + "exit" },
        { V4, "pull_data of 20", "r6 = r1\n" + Call("bpf_skb_pull_data", 20) + "exit" },
        { V4, "pull_data of the whole packet", "r6 = r1\nr2 = *(u32 *)(r6 +0)\nr1 = r6\ncall bpf_skb_pull_data\nexit" },
        { V4, "pull_data beyond len fails", "r6 = r1\nr2 = *(u32 *)(r6 +0)\nr2 += 1\nr1 = r6\ncall bpf_skb_pull_data\nexit" },
        { V4, "pull_data of 4 GiB - 1 fails", "r6 = r1\n" + Call("bpf_skb_pull_data", 0xffffffff) + "exit" },
        { V4, "adjust_room mac grows", "r6 = r1\n" + Call("bpf_skb_adjust_room", 8, 1, 0) + Then("r0 = *(u32 *)(r6 +0)\nr0 += r7") },
        { V4, "adjust_room net grows", "r6 = r1\n" + Call("bpf_skb_adjust_room", 8, 0, 0) + "exit" },
        { V6, "adjust_room net grows an ipv6 packet", "r6 = r1\n" + Call("bpf_skb_adjust_room", 8, 0, 0) + "exit" },
        { V4, "adjust_room net shrinks", "r6 = r1\n" + Call("bpf_skb_adjust_room", -4, 0, 0) + "exit" },
        { V4, "adjust_room mac shrinks", "r6 = r1\n" + Call("bpf_skb_adjust_room", -8, 1, 0) + "exit" },
        { V4, "adjust_room shrinks below an ip header fails", "r6 = r1\nr2 = 34\nr3 = *(u32 *)(r6 +0)\nr2 -= r3\nr3 = 1\nr4 = 0\nr1 = r6\ncall bpf_skb_adjust_room\nexit" },
        { V4, "adjust_room shrinks everything fails", "r6 = r1\n" + Call("bpf_skb_adjust_room", -4000, 1, 0) + "exit" },
        { V4, "adjust_room of a bad mode", "r6 = r1\n" + Call("bpf_skb_adjust_room", 8, 2, 0) + "exit" },
        { V4, "adjust_room by 0x1000 faults", "r6 = r1\n" + Call("bpf_skb_adjust_room", 0x1000, 1, 0) + "exit" },
        { V4, "adjust_room with unknown flags fails", "r6 = r1\n" + Call("bpf_skb_adjust_room", 8, 1, 1 << 9) + "exit" },
        { V4, "adjust_room with a decap flag", "r6 = r1\n" + Call("bpf_skb_adjust_room", -8, 1, 1 << 7) + "exit" },
        { V4, "adjust_room with both decap flags fails", "r6 = r1\n" + Call("bpf_skb_adjust_room", -8, 1, 3 << 7) + "exit" },
        { V4, "adjust_room grow with a decap flag fails", "r6 = r1\n" + Call("bpf_skb_adjust_room", 8, 1, 1 << 7) + "exit" },
        { V4, "adjust_room decap to ipv6 changes protocol", "r6 = r1\n" + Call("bpf_skb_adjust_room", -4, 0, 1 << 8) + Then("r0 = *(u32 *)(r6 +16)\nr0 <<= 8\nr0 += r7") },
        { V6, "adjust_room decap to ipv4 changes protocol", "r6 = r1\n" + Call("bpf_skb_adjust_room", -20, 1, 1 << 7) + Then("r0 = *(u32 *)(r6 +16)\nr0 <<= 8\nr0 += r7") },
        { V4, "adjust_room decap to ipv6 keeps 40 bytes", "r6 = r1\nr2 = 54\nr3 = *(u32 *)(r6 +0)\nr2 -= r3\nr3 = 1\nr4 = 0x100\nr1 = r6\ncall bpf_skb_adjust_room\nexit" },
        { V4, "change_tail after encap and decap", "r6 = r1\n" + Call("bpf_skb_adjust_room", 20, 1, 2) + Call("bpf_skb_adjust_room", -20, 1, 1 << 7) + "r7 = r0\n" + Call("bpf_skb_change_tail", 100, 0) + "r0 <<= 8\nr0 |= r7\nexit" },
        { V4, "adjust_room shrink with an encap flag fails", "r6 = r1\n" + Call("bpf_skb_adjust_room", -8, 1, 2) + "exit" },
        { V4, "adjust_room with both l3 encaps fails", "r6 = r1\n" + Call("bpf_skb_adjust_room", 40, 1, 6) + "exit" },
        { V4, "adjust_room with gre and udp fails", "r6 = r1\n" + Call("bpf_skb_adjust_room", 40, 1, 2 | 8 | 16) + "exit" },
        { V4, "adjust_room encap ipv6 changes protocol", "r6 = r1\n" + Call("bpf_skb_adjust_room", 40, 1, 4) + Then("r0 = *(u32 *)(r6 +16)\nr0 <<= 8\nr0 += r7") },
        { V4, "adjust_room encap with an l2 header", "r6 = r1\nr4 = 0x0e00000000000042 ll\nr2 = 48\nr3 = 1\nr1 = r6\ncall bpf_skb_adjust_room\nexit" },
        { V4, "adjust_room encap with a short l2 header fails", "r6 = r1\nr4 = 0x0800000000000042 ll\nr2 = 48\nr3 = 1\nr1 = r6\ncall bpf_skb_adjust_room\nexit" },
        { V4, "adjust_room encap with an l2 header longer than the room fails", "r6 = r1\nr4 = 0x4000000000000002 ll\nr2 = 20\nr3 = 1\nr1 = r6\ncall bpf_skb_adjust_room\nexit" },
        { V4, "adjust_room encap twice is EALREADY", "r6 = r1\n" + Call("bpf_skb_adjust_room", 20, 1, 2) + Call("bpf_skb_adjust_room", 20, 1, 2) + "exit" },
        { V4, "change_tail after an encap is ENOTSUPP", "r6 = r1\n" + Call("bpf_skb_adjust_room", 20, 1, 2) + Call("bpf_skb_change_tail", 100, 0) + "exit" },
        { V4, "adjust_room beyond SKB_MAX_ALLOC", "r6 = r1\n" + Call("bpf_skb_change_tail", 16000, 0) + Call("bpf_skb_adjust_room", 100, 1, 0) + "r7 = r0\n" + Call("bpf_skb_change_tail", 60, 0) + "r0 = r7\nexit" },
        { Arp, "adjust_room of a non-ip packet", "r6 = r1\n" + Call("bpf_skb_adjust_room", 8, 1, 0) + "exit" },
        { V4, "vlan_push keeps the tag outside the packet", "r6 = r1\n" + Call("bpf_skb_vlan_push", 0x0081, 0x1234) + Then("r0 = *(u32 *)(r6 +20)\nr1 = *(u32 *)(r6 +24)\nr0 <<= 16\nr0 |= r1\nr0 <<= 16\nr1 = *(u32 *)(r6 +28)\nr0 |= r1") },
        { V4, "vlan_push of tci 0 is a present tag", "r6 = r1\n" + Call("bpf_skb_vlan_push", 0x0081, 0) + Then("r0 = *(u32 *)(r6 +20)") },
        { V4, "vlan_push of an unknown protocol is 802.1Q", "r6 = r1\n" + Call("bpf_skb_vlan_push", 0x1234, 7) + Then("r0 = *(u32 *)(r6 +28)") },
        { V4, "vlan_push of 802.1ad", "r6 = r1\n" + Call("bpf_skb_vlan_push", 0xa888, 7) + Then("r0 = *(u32 *)(r6 +28)") },
        { V4, "vlan_push twice puts the first tag in the packet", "r6 = r1\n" + Call("bpf_skb_vlan_push", 0xa888, 0x0123) + Call("bpf_skb_vlan_push", 0x0081, 0x0456) + Then("r0 = *(u32 *)(r6 +16)\nr1 = *(u32 *)(r6 +0)\nr0 <<= 16\nr0 |= r1") },
        { V4, "vlan_push twice leaves the network header 14 bytes from data", "r6 = r1\n" + Call("bpf_skb_vlan_push", 0x0081, 1) + Call("bpf_skb_vlan_push", 0x0081, 2) + Call("bpf_skb_change_tail", 17, 0) + "r7 = r0\n" + Call("bpf_skb_change_tail", 18, 0) + "r0 <<= 8\nr0 |= r7\nexit" },
        { V4, "vlan_pop without a tag", "r6 = r1\n" + Call("bpf_skb_vlan_pop") + "exit" },
        { V4, "vlan_push then vlan_pop", "r6 = r1\n" + Call("bpf_skb_vlan_push", 0x0081, 5) + Call("bpf_skb_vlan_pop") + Then("r0 = *(u32 *)(r6 +20)\nr0 += r7") },
        { Vlan, "vlan_pop takes the tag out of the packet", "r6 = r1\n" + Call("bpf_skb_vlan_pop") + Then("r0 = *(u32 *)(r6 +16)\nr1 = *(u32 *)(r6 +20)\nr0 <<= 16\nr0 |= r1\nr1 = *(u32 *)(r6 +0)\nr0 <<= 16\nr0 |= r1") },
        { QinQ, "vlan_pop of q-in-q makes the inner tag the outside one", "r6 = r1\n" + Call("bpf_skb_vlan_pop") + Then("r0 = *(u32 *)(r6 +24)\nr1 = *(u32 *)(r6 +28)\nr0 <<= 16\nr0 |= r1\nr1 = *(u32 *)(r6 +16)\nr0 <<= 16\nr0 |= r1") },
        { QinQ, "vlan_pop of q-in-q twice", "r6 = r1\n" + Call("bpf_skb_vlan_pop") + Call("bpf_skb_vlan_pop") + Then("r0 = *(u32 *)(r6 +20)\nr1 = *(u32 *)(r6 +16)\nr0 <<= 16\nr0 |= r1") },
        { Vlan, "vlan_push on a tagged packet", "r6 = r1\n" + Call("bpf_skb_vlan_push", 0x0081, 9) + Call("bpf_skb_vlan_push", 0x0081, 10) + Then("r0 = *(u32 *)(r6 +16)") },
        { V4, "direct access after change_tail moved the packet to a bigger buffer", "r6 = r1\n" + Call("bpf_skb_change_tail", 5000, 0) + "r2 = *(u32 *)(r6 +76)\nr3 = *(u32 *)(r6 +80)\nr0 = r3\nr0 -= r2\nexit" },
        { V4, "direct access after change_head", "r6 = r1\n" + Call("bpf_skb_change_head", 100, 0) + "r2 = *(u32 *)(r6 +76)\nr3 = *(u32 *)(r6 +80)\nr4 = r2\nr4 += 120\nr0 = 0\nif r4 > r3 goto +2\nr0 = *(u8 *)(r2 +100)\n*(u8 *)(r2 +99) = r0\nexit" },
        { Vlan, "adjust_room of a tagged packet", "r6 = r1\n" + Call("bpf_skb_adjust_room", 8, 1, 0) + "exit" },
        { ShortVlan, "vlan_pop of a tag shorter than its header", "r6 = r1\n" + Call("bpf_skb_vlan_pop") + "exit" },
        { Llc, "vlan_pop to an 802.3 length and raw payload", "r6 = r1\n" + Call("bpf_skb_vlan_pop") + Then("r0 = *(u32 *)(r6 +16)") },
        { "ipv4/tcp valid", "change_tail of a tcp packet to the network header", "r6 = r1\n" + Call("bpf_skb_change_tail", 14, 0) + "exit" },
        { V6, "change_tail of an ipv6 packet to the network header", "r6 = r1\n" + Call("bpf_skb_change_tail", 14, 0) + "exit" },
        { V4, "adjust_room after change_head inserts after the new mac header", "r6 = r1\n" + Call("bpf_skb_change_head", 10, 0) + Call("bpf_skb_adjust_room", 8, 1, 0) + "exit" },
        { V4, "adjust_room net after change_head", "r6 = r1\n" + Call("bpf_skb_change_head", 6, 0) + Call("bpf_skb_adjust_room", -4, 0, 0) + "exit" },
        { Vlan, "vlan_pop after change_head", "r6 = r1\n" + Call("bpf_skb_change_head", 4, 0) + Call("bpf_skb_vlan_pop") + Then("r0 = *(u32 *)(r6 +16)") },
        { V4, "change_proto to ipv6", "r6 = r1\n" + Call("bpf_skb_change_proto", 0xdd86, 0) + Then("r0 = *(u32 *)(r6 +16)\nr0 <<= 8\nr0 += r7") },
        { V6, "change_proto to ipv4", "r6 = r1\n" + Call("bpf_skb_change_proto", 0x0008, 0) + Then("r0 = *(u32 *)(r6 +16)\nr0 <<= 8\nr0 += r7") },
        { V4, "change_proto to the same protocol", "r6 = r1\n" + Call("bpf_skb_change_proto", 0x0008, 0) + "exit" },
        { V4, "change_proto with flags fails", "r6 = r1\n" + Call("bpf_skb_change_proto", 0xdd86, 1) + "exit" },
        { Arp, "change_proto of arp", "r6 = r1\n" + Call("bpf_skb_change_proto", 0xdd86, 0) + "exit" },
    };

    [KernelTheory]
    [MemberData(nameof(Cases))]
    public void Runtime_and_kernel_leave_the_same_packet_and_return_value(string type, string behaviour, string text) =>
        Compare(type == "xdp" ? ProgramType.Xdp : ProgramType.SchedCls, Frame, behaviour, text);

    [KernelTheory]
    [MemberData(nameof(SkbCases))]
    public void Skb_resizing_helpers_agree_with_the_kernel(string frame, string behaviour, string text) =>
        Compare(ProgramType.SchedCls, frame.StartsWith("hex:") ? Convert.FromHexString(frame[4..])
            : new PacketGenerator(7).EveryKind().First(p => p.Label == frame || p.Label.StartsWith(frame + "/")).Frame, behaviour, text);

    private static void Compare(ProgramType programType, byte[] frame, string behaviour, string text)
    {
        var insns = Assembler.Assemble(text);
        var load = KernelProgram.Load(new ProgramLoadRequest
        {
            Type = programType, Instructions = insns, Name = "bpfsharp_pkt", License = "GPL", LogLevel = ProgramLoadRequest.LogBasic,
        });
        Assert.True(load.Succeeded, $"{behaviour}: the kernel refused:\n{load.Log}");
        TestRunResult kernel;
        using (var fd = load.Program!) kernel = KernelProgram.TestRun(fd, new TestRunRequest { Data = frame, DataOutSlack = 16384 });

        var spec = new ProgramSpec { Name = "prog", SectionName = programType == ProgramType.Xdp ? "xdp" : "sched_cls", Type = programType, Instructions = insns, License = "GPL" };
        var ours = ProgramRunner.Create(new ObjectSpec { Programs = [spec], Maps = [] }, spec).Run(frame);
        Assert.True(ours.Succeeded, $"{behaviour}: {ours.Error}");
        Assert.Equal(kernel.ReturnValue, (uint)ours.ReturnValue);
        Assert.Equal(Convert.ToHexString(kernel.Data), Convert.ToHexString(ours.Data!));
    }
}
