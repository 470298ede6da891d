using System.Buffers.Binary;
using BpfSharp.Runtime.Packets;

namespace BpfSharp.Tests.Runtime.Packets;

/// <summary>
/// A strict parser for the frames the generator calls well-formed, written apart from the generator so the two
/// check each other: it returns the stack (<c>vlan/ipv4/tcp</c>, <c>ipv6-ext/udp</c>, <c>arp</c>) or why the
/// frame is not well-formed (lengths that disagree, a bad checksum, a fragment, a cut header).
/// </summary>
internal static class TinyPacketParser
{
    public static (string? Stack, string? Problem) Parse(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 14) return (null, "shorter than an Ethernet header");
        int offset = 12;
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(frame[offset..]);
        string prefix = "";
        if (type == EtherType.QinQ)
        {
            if (frame.Length < offset + 8 || BinaryPrimitives.ReadUInt16BigEndian(frame[(offset + 4)..]) != EtherType.Vlan) return (null, "bad QinQ");
            prefix = "qinq/";
            offset += 8;
        }
        else if (type == EtherType.Vlan)
        {
            prefix = "vlan/";
            offset += 4;
        }
        if (frame.Length < offset + 2) return (null, "cut VLAN tag");
        type = BinaryPrimitives.ReadUInt16BigEndian(frame[offset..]);
        var l3 = frame[(offset + 2)..];
        var (stack, problem) = type switch
        {
            EtherType.Arp => Arp(l3),
            EtherType.IPv4 => IPv4(l3),
            EtherType.IPv6 => IPv6(l3),
            _ => (null, $"EtherType 0x{type:x4}"),
        };
        return stack is null ? (null, problem) : (prefix + stack, null);
    }

    private static (string?, string?) Arp(ReadOnlySpan<byte> p)
    {
        if (p.Length != 28) return (null, "ARP not 28 bytes");
        if (BinaryPrimitives.ReadUInt16BigEndian(p) != 1 || BinaryPrimitives.ReadUInt16BigEndian(p[2..]) != EtherType.IPv4 || p[4] != 6 || p[5] != 4)
            return (null, "ARP not Ethernet/IPv4");
        ushort op = BinaryPrimitives.ReadUInt16BigEndian(p[6..]);
        return op is 1 or 2 ? ("arp", null) : (null, "ARP op");
    }

    private static (string?, string?) IPv4(ReadOnlySpan<byte> p)
    {
        if (p.Length < 20) return (null, "cut IPv4 header");
        if (p[0] >> 4 != 4) return (null, "IPv4 version");
        int ihl = (p[0] & 0xf) * 4;
        if (ihl < 20 || ihl > p.Length) return (null, "IHL");
        int total = BinaryPrimitives.ReadUInt16BigEndian(p[2..]);
        if (total != p.Length) return (null, "total length differs from the frame");
        if (ihl > total) return (null, "IHL beyond total length");
        if (InternetChecksum.Compute(p[..ihl]) != 0) return (null, "IPv4 header checksum");
        if ((BinaryPrimitives.ReadUInt16BigEndian(p[6..]) & 0x3fff) != 0) return (null, "fragment");
        var (l4, problem) = Transport(p[9], p[ihl..total], InternetChecksum.PseudoHeaderIPv4(p[12..16], p[16..20], p[9], total - ihl));
        return l4 is null ? (null, problem) : ((ihl > 20 ? "ipv4-options/" : "ipv4/") + l4, null);
    }

    private static (string?, string?) IPv6(ReadOnlySpan<byte> p)
    {
        if (p.Length < 40) return (null, "cut IPv6 header");
        if (p[0] >> 4 != 6) return (null, "IPv6 version");
        if (BinaryPrimitives.ReadUInt16BigEndian(p[4..]) != p.Length - 40) return (null, "payload length differs from the frame");
        byte next = p[6];
        int offset = 40;
        bool extensions = false;
        while (next is IpProtocol.HopByHop or IpProtocol.Routing or IpProtocol.DestinationOptions or IpProtocol.Fragment)
        {
            if (next == IpProtocol.Fragment) return (null, "fragment");
            if (p.Length < offset + 8) return (null, "cut extension header");
            int length = (p[offset + 1] + 1) * 8;
            if (p.Length < offset + length) return (null, "cut extension header");
            next = p[offset];
            offset += length;
            extensions = true;
        }
        var upper = p[offset..];
        var (l4, problem) = Transport(next, upper, InternetChecksum.PseudoHeaderIPv6(p[8..24], p[24..40], next, upper.Length));
        return l4 is null ? (null, problem) : ((extensions ? "ipv6-ext/" : "ipv6/") + l4, null);
    }

    private static (string?, string?) Transport(byte protocol, ReadOnlySpan<byte> p, uint pseudo)
    {
        switch (protocol)
        {
            case IpProtocol.Tcp:
                if (p.Length < 20 || (p[12] >> 4) * 4 < 20 || (p[12] >> 4) * 4 > p.Length) return (null, "cut TCP header");
                return InternetChecksum.Verifies(pseudo, p) ? ("tcp", null) : (null, "TCP checksum");
            case IpProtocol.Udp:
                if (p.Length < 8 || BinaryPrimitives.ReadUInt16BigEndian(p[4..]) != p.Length) return (null, "UDP length");
                return InternetChecksum.Verifies(pseudo, p) ? ("udp", null) : (null, "UDP checksum");
            case IpProtocol.Icmp:
                if (p.Length < 8) return (null, "cut ICMP header");
                return InternetChecksum.Compute(p) == 0 ? ("icmp", null) : (null, "ICMP checksum");
            case IpProtocol.IcmpV6:
                if (p.Length < 8) return (null, "cut ICMPv6 header");
                return InternetChecksum.Verifies(pseudo, p) ? ("icmpv6", null) : (null, "ICMPv6 checksum");
            default:
                return (null, $"protocol {protocol}");
        }
    }
}
