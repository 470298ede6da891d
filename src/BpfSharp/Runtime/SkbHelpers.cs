using System.Buffers.Binary;
using BpfSharp.Kernel;

namespace BpfSharp.Runtime;

/// <summary>
/// The tc helpers that resize an skb's packet or move its VLAN tag: change_tail, change_head, adjust_room,
/// change_proto, vlan_push, vlan_pop and pull_data, with the limits and errnos the running kernel (6.18) shows in a
/// BPF_PROG_TEST_RUN (<c>PacketHelperKernelDifferentialTests</c>). They act on the run's <see cref="PacketBuffer"/>
/// and its <see cref="SkbState"/>, and republish the ctx fields derived from the skb (len, protocol, vlan_*).
/// </summary>
public static class SkbHelpers
{
    /// <summary>SKB_MAX_ALLOC (four pages less the shared info): the longest packet the helpers grow to.</summary>
    public const int MaximumLength = 4 * 4096 - 320;

    private const int EthernetHeader = 14, AddressesLength = 12, VlanHeader = 4;
    private const int Ipv4Header = 20, Ipv6Header = 40;
    private const ushort Ipv4 = 0x0800, Ipv6 = 0x86dd, Vlan8021Q = 0x8100, Vlan8021AD = 0x88a8, Raw8023 = 0x0001, Llc8022 = 0x0004;
    private const int EALREADY = 114;

    private const ulong FixedGso = 1 << 0, EncapIpv4 = 1 << 1, EncapIpv6 = 1 << 2, EncapGre = 1 << 3, EncapUdp = 1 << 4;
    private const ulong NoChecksumReset = 1 << 5, EncapEthernet = 1 << 6, DecapIpv4 = 1 << 7, DecapIpv6 = 1 << 8;
    private const int InnerMacShift = 56;
    private const ulong AdjustRoomFlags = FixedGso | EncapIpv4 | EncapIpv6 | EncapGre | EncapUdp | EncapEthernet | DecapIpv4 | DecapIpv6 |
        0xffUL << InnerMacShift;
    private const uint ModeNet = 0, ModeMac = 1;

    /// <summary>Every skb resizing helper.</summary>
    public static IReadOnlyList<HelperFunction> All { get; } =
    [
        new(18, "bpf_skb_vlan_push", VlanPush),
        new(19, "bpf_skb_vlan_pop", VlanPop),
        new(31, "bpf_skb_change_proto", ChangeProtocol),
        new(38, "bpf_skb_change_tail", ChangeTail),
        new(39, "bpf_skb_pull_data", PullData),
        new(43, "bpf_skb_change_head", ChangeHead),
        new(50, "bpf_skb_adjust_room", AdjustRoom),
    ];

    private static (PacketBuffer Packet, SkbState Skb) SkbOf(BpfExecution x, in HelperArguments a)
    {
        var packet = x.PacketArgument(a.InstructionIndex);
        return (packet, packet.Skb ?? throw new BpfRuntimeException(a.InstructionIndex, "this helper needs an skb (socket filter or tc run)"));
    }

    // Runs a helper body and republishes the ctx fields it may have changed, as bpf_compute_data_pointers and the
    // ctx rewrite make the kernel's fields follow the skb.
    private static ulong Apply(BpfExecution x, in HelperArguments a, Func<PacketBuffer, SkbState, int> body)
    {
        var (packet, skb) = SkbOf(x, a);
        int result = body(packet, skb);
        skb.Publish(packet.Length);
        return HelperReturn.Of(result);
    }

    private static ulong ChangeTail(BpfExecution x, in HelperArguments a)
    {
        uint length = (uint)a.R2;
        ulong flags = a.R3;
        return Apply(x, a, (packet, skb) =>
        {
            // The shortest packet keeps the headers the skb knows of: up to the network header in a test run.
            if (flags != 0 || length > MaximumLength || length < skb.NetworkOffset) return -Errno.EINVAL;
            if (skb.Encapsulated) return -Errno.ENOTSUPP;
            packet.SetLength((int)length);
            return 0;
        });
    }

    private static ulong ChangeHead(BpfExecution x, in HelperArguments a)
    {
        uint room = (uint)a.R2;
        ulong flags = a.R3;
        return Apply(x, a, (packet, skb) =>
        {
            uint length = (uint)packet.Length + room;
            if (flags != 0 || length > MaximumLength || length < packet.Length) return -Errno.EINVAL;
            // The new bytes become the MAC header; the network header stays where it was.
            packet.InsertAt(0, (int)room);
            skb.NetworkOffset += (int)room;
            return 0;
        });
    }

    private static ulong PullData(BpfExecution x, in HelperArguments a)
    {
        uint length = (uint)a.R2;
        // The test run's skb is linear: everything is pulled already, and only more than there is fails.
        return Apply(x, a, (packet, _) => length > packet.Length ? -Errno.ENOMEM : 0);
    }

    private static int NetworkBaseLength(SkbState skb) => skb.Protocol switch { Ipv4 => Ipv4Header, Ipv6 => Ipv6Header, _ => -1 };

    private static ulong AdjustRoom(BpfExecution x, in HelperArguments a)
    {
        int diff = (int)a.R2;
        uint mode = (uint)a.R3;
        ulong flags = a.R4;
        return Apply(x, a, (packet, skb) =>
        {
            long magnitude = Math.Abs((long)diff);
            if ((flags & ~(AdjustRoomFlags | NoChecksumReset)) != 0) return -Errno.EINVAL;
            if (magnitude > 0xfff) return -Errno.EFAULT;
            int baseLength = NetworkBaseLength(skb);
            if (baseLength < 0) return -Errno.ENOTSUPP;
            int offset = skb.NetworkOffset;
            if (mode == ModeNet) offset += baseLength;
            else if (mode != ModeMac) return -Errno.ENOTSUPP;
            bool shrink = diff < 0;
            // A decapsulation names the inner IP version, whose header must remain.
            int minimum = baseLength;
            if ((flags & (DecapIpv4 | DecapIpv6)) != 0)
            {
                if (!shrink) return -Errno.EINVAL;
                switch (flags & (DecapIpv4 | DecapIpv6))
                {
                    case DecapIpv4: minimum = Ipv4Header; break;
                    case DecapIpv6: minimum = Ipv6Header; break;
                    default: return -Errno.EINVAL;
                }
            }
            long current = packet.Length - skb.NetworkOffset;
            if (shrink ? magnitude >= current || current - magnitude < minimum : packet.Length + magnitude > MaximumLength)
                return -Errno.ENOTSUPP;
            return shrink ? Shrink(packet, skb, offset, (int)magnitude, flags) : Grow(packet, skb, offset, (int)magnitude, flags);
        });
    }

    private static int Shrink(PacketBuffer packet, SkbState skb, int offset, int length, ulong flags)
    {
        if ((flags & ~(FixedGso | DecapIpv4 | DecapIpv6 | NoChecksumReset)) != 0) return -Errno.EINVAL;
        if (offset + length > packet.Length) return -Errno.ENOMEM;
        packet.RemoveAt(offset, length);
        // skb->protocol follows the inner L3 header that is now the outer one.
        if (skb.Protocol == Ipv4 && (flags & DecapIpv6) != 0) skb.Protocol = Ipv6;
        else if (skb.Protocol == Ipv6 && (flags & DecapIpv4) != 0) skb.Protocol = Ipv4;
        return 0;
    }

    private static int Grow(PacketBuffer packet, SkbState skb, int offset, int length, ulong flags)
    {
        bool encapsulate = (flags & (EncapIpv4 | EncapIpv6)) != 0;
        if (encapsulate)
        {
            int innerMac = (int)(flags >> InnerMacShift);
            if ((flags & EncapIpv4) != 0 && (flags & EncapIpv6) != 0) return -Errno.EINVAL;
            if ((flags & EncapGre) != 0 && (flags & EncapUdp) != 0) return -Errno.EINVAL;
            if ((flags & EncapEthernet) != 0 && innerMac < EthernetHeader) return -Errno.EINVAL;
            if (skb.Encapsulated) return -EALREADY;
            if (innerMac > length) return -Errno.EINVAL;
        }
        packet.InsertAt(offset, length);
        if (encapsulate)
        {
            skb.Encapsulated = true;
            // skb->protocol follows the new outer L3 header.
            if (skb.Protocol == Ipv4 && (flags & EncapIpv6) != 0) skb.Protocol = Ipv6;
            else if (skb.Protocol == Ipv6 && (flags & EncapIpv4) != 0) skb.Protocol = Ipv4;
        }
        return 0;
    }

    private static ulong ChangeProtocol(BpfExecution x, in HelperArguments a)
    {
        ushort to = BinaryPrimitives.ReverseEndianness((ushort)a.R2);
        ulong flags = a.R3;
        return Apply(x, a, (packet, skb) =>
        {
            if (flags != 0) return -Errno.EINVAL;
            const int grow = Ipv6Header - Ipv4Header;
            // Room for the other IP header is made (or taken) right after the MAC header; the program writes it.
            if (skb.Protocol == Ipv4 && to == Ipv6)
            {
                packet.InsertAt(skb.NetworkOffset, grow);
                skb.Protocol = Ipv6;
                return 0;
            }
            if (skb.Protocol == Ipv6 && to == Ipv4)
            {
                if (skb.NetworkOffset + grow > packet.Length) return -Errno.ENOMEM;
                packet.RemoveAt(skb.NetworkOffset, grow);
                skb.Protocol = Ipv4;
                return 0;
            }
            return -Errno.ENOTSUPP;
        });
    }

    private static bool IsVlan(ushort protocol) => protocol is Vlan8021Q or Vlan8021AD;

    private static ulong VlanPush(BpfExecution x, in HelperArguments a)
    {
        ushort protocol = BinaryPrimitives.ReverseEndianness((ushort)a.R2), tci = (ushort)a.R3;
        return Apply(x, a, (packet, skb) =>
        {
            if (!IsVlan(protocol)) protocol = Vlan8021Q;
            // The tag lives outside the packet; only a tag already held there moves into the packet, after the addresses.
            if (skb.VlanPresent)
            {
                packet.InsertAt(AddressesLength, VlanHeader);
                var tag = packet.Data.Slice(AddressesLength, VlanHeader);
                BinaryPrimitives.WriteUInt16BigEndian(tag, skb.VlanProtocol);
                BinaryPrimitives.WriteUInt16BigEndian(tag[2..], skb.VlanTci);
                // The network header moves back with the MAC header: it stays 14 bytes from data (the kernel shows it).
                skb.Protocol = skb.VlanProtocol;
            }
            skb.VlanProtocol = protocol;
            skb.VlanTci = tci;
            return 0;
        });
    }

    private static ulong VlanPop(BpfExecution x, in HelperArguments a) => Apply(x, a, (packet, skb) =>
    {
        if (skb.VlanPresent)
        {
            skb.VlanProtocol = 0;
            skb.VlanTci = 0;
        }
        else
        {
            if (!IsVlan(skb.Protocol)) return 0;
            if (PopTag(packet, skb, out _) is var error and < 0) return error;
        }
        // The next tag in the packet, if any, becomes the accelerated one.
        if (!IsVlan(skb.Protocol)) return 0;
        ushort protocol = skb.Protocol;
        if (PopTag(packet, skb, out ushort tci) is var failed and < 0) return failed;
        skb.VlanProtocol = protocol;
        skb.VlanTci = tci;
        return 0;
    });

    // Takes the tag after the addresses out of the packet; skb->protocol becomes the encapsulated type.
    private static int PopTag(PacketBuffer packet, SkbState skb, out ushort tci)
    {
        tci = 0;
        if (packet.Length < EthernetHeader + VlanHeader) return -Errno.ENOMEM;
        var data = packet.Data;
        tci = BinaryPrimitives.ReadUInt16BigEndian(data[EthernetHeader..]);
        ushort inner = BinaryPrimitives.ReadUInt16BigEndian(data[(EthernetHeader + 2)..]);
        bool raw = data.Length >= EthernetHeader + VlanHeader + 2 && data[EthernetHeader + VlanHeader] == 0xff && data[EthernetHeader + VlanHeader + 1] == 0xff;
        packet.RemoveAt(AddressesLength, VlanHeader);
        skb.Protocol = inner >= 0x0600 ? inner : raw ? Raw8023 : Llc8022;
        skb.NetworkOffset = Math.Max(skb.NetworkOffset - VlanHeader, EthernetHeader);
        return 0;
    }
}
