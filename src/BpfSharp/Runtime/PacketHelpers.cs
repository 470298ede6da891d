using BpfSharp.Kernel;
using BpfSharp.Loader;
using BpfSharp.Runtime.Maps;

namespace BpfSharp.Runtime;

/// <summary>
/// Helpers of packet programs (socket filters, tc classifiers, XDP) acting on the run's <see cref="PacketBuffer"/>:
/// loading and storing packet bytes, checksum updates, moving XDP's packet edges, and redirects (recorded, not
/// carried out). Offsets are from data, as the kernel's are from skb->data / xdp->data.
/// </summary>
public static class PacketHelpers
{
    private const ulong HeaderFieldMask = 0xf;
    private const ulong MarkMangled0 = 1 << 5;
    private const ulong PseudoHeader = 1 << 4;
    private const ulong MarkEnforce = 1 << 6;
    private const ulong L4Ipv6 = 1 << 7;
    private const ulong RecomputeChecksum = 1 << 0;
    private const ulong InvalidateHash = 1 << 1;
    private const ulong Ingress = 1;
    private const ulong ActionMask = 3;
    private const ulong Broadcast = 1 << 3;
    private const ulong ExcludeIngress = 1 << 4;
    private const ulong XdpAborted = 0, XdpRedirect = 4, TcActShot = 2, TcActRedirect = 7;

    /// <summary>Every packet helper.</summary>
    public static IReadOnlyList<HelperFunction> All { get; } =
    [
        new(9, "bpf_skb_store_bytes", StoreBytes),
        new(10, "bpf_l3_csum_replace", L3ChecksumReplace),
        new(11, "bpf_l4_csum_replace", L4ChecksumReplace),
        new(23, "bpf_redirect", Redirect),
        new(26, "bpf_skb_load_bytes", LoadBytes),
        new(28, "bpf_csum_diff", ChecksumDiff),
        new(44, "bpf_xdp_adjust_head", (x, in a) => HelperReturn.Of(x.PacketArgument(a.InstructionIndex).AdjustHead((int)a.R2))),
        new(51, "bpf_redirect_map", RedirectMap),
        new(54, "bpf_xdp_adjust_meta", (x, in a) => HelperReturn.Of(x.PacketArgument(a.InstructionIndex).AdjustMeta((int)a.R2))),
        new(65, "bpf_xdp_adjust_tail", (x, in a) => HelperReturn.Of(x.PacketArgument(a.InstructionIndex).AdjustTail((int)a.R2))),
    ];

    // The bytes [offset, offset + length) of the packet, or empty when they are not all inside it.
    private static bool TryPacketBytes(PacketBuffer packet, ulong offset, ulong length, out Span<byte> bytes)
    {
        var data = packet.Data;
        if (offset > 0xffff || length > (ulong)data.Length || offset > (ulong)data.Length - length)
        {
            bytes = default;
            return false;
        }
        bytes = data.Slice((int)offset, (int)length);
        return true;
    }

    private static ulong LoadBytes(BpfExecution x, in HelperArguments a)
    {
        var packet = x.PacketArgument(a.InstructionIndex);
        var to = x.Memory.GetSpan(a.R3, (int)(uint)a.R4, true, a.InstructionIndex);
        if (!TryPacketBytes(packet, (uint)a.R2, (uint)a.R4, out var bytes))
        {
            to.Clear();
            return HelperReturn.Errno(Errno.EFAULT);
        }
        bytes.CopyTo(to);
        return 0;
    }

    private static ulong StoreBytes(BpfExecution x, in HelperArguments a)
    {
        var packet = x.PacketArgument(a.InstructionIndex);
        if ((a.R5 & ~(RecomputeChecksum | InvalidateHash)) != 0) return HelperReturn.Errno(Errno.EINVAL);
        var from = x.Memory.GetSpan(a.R3, (int)(uint)a.R4, false, a.InstructionIndex);
        if (!TryPacketBytes(packet, (uint)a.R2, (uint)a.R4, out var bytes)) return HelperReturn.Errno(Errno.EFAULT);
        from.CopyTo(bytes);
        return 0;
    }

    private static ulong L3ChecksumReplace(BpfExecution x, in HelperArguments a)
    {
        if ((a.R5 & ~HeaderFieldMask) != 0) return HelperReturn.Errno(Errno.EINVAL);
        if (!TryPacketBytes(x.PacketArgument(a.InstructionIndex), (uint)a.R2, 2, out var field)) return HelperReturn.Errno(Errno.EFAULT);
        return Replace(field, a.R3, a.R4, (int)(a.R5 & HeaderFieldMask), mangledZero: false);
    }

    private static ulong L4ChecksumReplace(BpfExecution x, in HelperArguments a)
    {
        if ((a.R5 & ~(MarkMangled0 | MarkEnforce | PseudoHeader | HeaderFieldMask | L4Ipv6)) != 0) return HelperReturn.Errno(Errno.EINVAL);
        if (!TryPacketBytes(x.PacketArgument(a.InstructionIndex), (uint)a.R2, 2, out var field)) return HelperReturn.Errno(Errno.EFAULT);
        bool mangledZero = (a.R5 & MarkMangled0) != 0;
        if (mangledZero && field[0] == 0 && field[1] == 0) return 0; // a UDP checksum of 0 means "none": leave it
        return Replace(field, a.R3, a.R4, (int)(a.R5 & HeaderFieldMask), mangledZero);
    }

    // Incremental update of a 16-bit one's-complement checksum stored in memory (RFC 1624): the test run's skb
    // carries no hardware checksum state, so pseudo-header flags change nothing here.
    private static ulong Replace(Span<byte> field, ulong from, ulong to, int size, bool mangledZero)
    {
        uint stored = (uint)(field[0] | field[1] << 8);
        uint sum;
        switch (size)
        {
            case 0: sum = Add(~stored & 0xffff, (uint)to); break;
            case 2: sum = Add(Add(~stored & 0xffff, ~(uint)from & 0xffff), (uint)to & 0xffff); break;
            case 4: sum = Add(Add(~stored & 0xffff, ~(uint)from), (uint)to); break;
            default: return HelperReturn.Errno(Errno.EINVAL);
        }
        uint result = ~Fold(sum) & 0xffff;
        if (mangledZero && result == 0) result = 0xffff;
        field[0] = (byte)result;
        field[1] = (byte)(result >> 8);
        return 0;
    }

    private static uint Add(uint a, uint b)
    {
        uint r = a + b;
        return r + (r < b ? 1u : 0u);
    }

    private static uint Fold(uint sum)
    {
        sum = (sum & 0xffff) + (sum >> 16);
        return (sum & 0xffff) + (sum >> 16);
    }

    // Since Linux 6.12 the result is the same on every architecture: folded to 16 bits, and the sizes need not be
    // multiples of 4 (a zero-size or six-byte operand is fine), as the kernel's own answers show.
    private static ulong ChecksumDiff(BpfExecution x, in HelperArguments a)
    {
        int fromSize = (int)(uint)a.R2, toSize = (int)(uint)a.R4;
        var from = fromSize == 0 ? default : x.Memory.GetSpan(a.R1, fromSize, false, a.InstructionIndex);
        var to = toSize == 0 ? default : x.Memory.GetSpan(a.R3, toSize, false, a.InstructionIndex);
        uint seed = (uint)a.R5, sum;
        if (fromSize > 0 && toSize > 0) sum = Add(Partial(to, seed), ~Partial(from, 0));
        else if (toSize > 0) sum = Partial(to, seed);
        else if (fromSize > 0) sum = ~Partial(from, ~seed);
        else sum = seed;
        return Fold(sum);
    }

    // The one's-complement sum of the bytes as little-endian 32-bit words (a short tail zero-padded), plus seed.
    private static uint Partial(ReadOnlySpan<byte> bytes, uint seed)
    {
        ulong sum = seed;
        int i = 0;
        for (; i + 4 <= bytes.Length; i += 4) sum += BitConverter.ToUInt32(bytes[i..]);
        if (i < bytes.Length)
        {
            Span<byte> tail = stackalloc byte[4];
            tail.Clear();
            bytes[i..].CopyTo(tail);
            sum += BitConverter.ToUInt32(tail);
        }
        while ((sum >> 32) != 0) sum = (sum & 0xffffffff) + (sum >> 32);
        return (uint)sum;
    }

    private static bool IsXdp(BpfExecution x) => x.Program.Type == ProgramType.Xdp;

    private static ulong Redirect(BpfExecution x, in HelperArguments a)
    {
        bool xdp = IsXdp(x);
        if (xdp ? a.R2 != 0 : (a.R2 & ~Ingress) != 0) return xdp ? XdpAborted : TcActShot;
        x.Environment.Redirect = $"ifindex {(uint)a.R1}{((a.R2 & Ingress) != 0 ? " ingress" : "")}";
        return xdp ? XdpRedirect : TcActRedirect;
    }

    private static ulong RedirectMap(BpfExecution x, in HelperArguments a)
    {
        var map = x.MapArgument(a.R1, a.InstructionIndex);
        if ((a.R3 & ~(ActionMask | Broadcast | ExcludeIngress)) != 0) return XdpAborted;
        Span<byte> key = stackalloc byte[4];
        BitConverter.TryWriteBytes(key, (uint)a.R2);
        if (map.LookupObject(key) is not { } target) return a.R3 & ActionMask;
        x.Environment.Redirect = $"map {map.Name}[{(uint)a.R2}] -> {target}";
        return XdpRedirect;
    }
}
