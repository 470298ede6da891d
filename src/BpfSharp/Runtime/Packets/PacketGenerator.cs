using System.Buffers.Binary;

namespace BpfSharp.Runtime.Packets;

/// <summary>
/// Seeded generator of Ethernet frames for test runs: well-formed IPv4/IPv6 with TCP, UDP, ICMP/ICMPv6 (plain,
/// 802.1Q-tagged, QinQ, with IPv4 options or IPv6 extension headers, with an empty payload, 1500+ bytes), ARP, and
/// malformed ones (runts under 14 bytes, truncated at every header boundary and inside headers, bad IHL or
/// version, IP lengths larger or smaller than the frame, fragments, bad checksums, 802.3 length frames, unknown
/// EtherTypes). The same seed gives the same frames (<see cref="System.Random"/> with a seed is reproducible).
/// Well-formed frames carry correct checksums.
/// </summary>
public sealed class PacketGenerator
{
    private static readonly byte[] Protocols = [IpProtocol.Tcp, IpProtocol.Udp, IpProtocol.Icmp];

    private readonly Random _random;

    /// <summary>A generator whose output is fixed by <paramref name="seed"/>.</summary>
    public PacketGenerator(int seed)
    {
        Seed = seed;
        _random = new Random(seed);
        Kinds = BuildKinds();
    }

    /// <summary>The seed.</summary>
    public int Seed { get; }

    /// <summary>Largest frame <see cref="Next"/> produces: fits every program type's test run (xdp takes at most 3520 bytes).</summary>
    public const int MaximumFrameLength = 3000;

    // Each kind of packet is one entry: a name and how to make one.
    private readonly (string Name, Func<GeneratedPacket> Make)[] Kinds;

    /// <summary>One random packet of a random kind.</summary>
    public GeneratedPacket Next() => Kinds[_random.Next(Kinds.Length)].Make();

    /// <summary><paramref name="count"/> random packets.</summary>
    public IEnumerable<GeneratedPacket> Take(int count)
    {
        for (int i = 0; i < count; i++) yield return Next();
    }

    /// <summary>
    /// One packet of every kind in a fixed order, then every truncation of a few stacks (at each header boundary and
    /// in the middle of each header): the small systematic set a differential test runs first.
    /// </summary>
    public IReadOnlyList<GeneratedPacket> EveryKind()
    {
        var packets = Kinds.Select(k => k.Make()).ToList();
        foreach (var layout in new[]
                 {
                     Ip(0, false, IpProtocol.Tcp, 8), Ip(1, true, IpProtocol.Udp, 8), Ip(2, false, IpProtocol.Icmp, 8),
                     Ip(0, true, IpProtocol.Tcp, 8, extensions: [IpProtocol.HopByHop, IpProtocol.Routing]), Arp(0),
                 })
        {
            packets.AddRange(Truncations(layout));
        }
        return packets;
    }

    private (string, Func<GeneratedPacket>)[] BuildKinds() =>
    [
        ("ipv4/tcp valid", () => Valid(Ip(0, false, IpProtocol.Tcp, Payload()))),
        ("ipv4/udp valid", () => Valid(Ip(0, false, IpProtocol.Udp, Payload()))),
        ("ipv4/icmp valid", () => Valid(Ip(0, false, IpProtocol.Icmp, Payload()))),
        ("ipv6/tcp valid", () => Valid(Ip(0, true, IpProtocol.Tcp, Payload()))),
        ("ipv6/udp valid", () => Valid(Ip(0, true, IpProtocol.Udp, Payload()))),
        ("ipv6/icmpv6 valid", () => Valid(Ip(0, true, IpProtocol.IcmpV6, Payload()))),
        ("vlan/ipv4 valid", () => Valid(Ip(1, false, AnyL4(false), Payload()))),
        ("vlan/ipv6 valid", () => Valid(Ip(1, true, AnyL4(true), Payload()))),
        ("qinq/ipv4 valid", () => Valid(Ip(2, false, AnyL4(false), Payload()))),
        ("qinq/ipv6 valid", () => Valid(Ip(2, true, AnyL4(true), Payload()))),
        ("ipv4-options valid", () => Valid(Ip(0, false, AnyL4(false), Payload(), optionWords: 1 + _random.Next(10)))),
        ("ipv6-ext valid", () => Valid(Ip(0, true, AnyL4(true), Payload(), extensions: Extensions()))),
        ("ipv4 empty-payload valid", () => Valid(Ip(0, false, AnyL4(false), 0), "empty-payload")),
        ("ipv6 empty-payload valid", () => Valid(Ip(0, true, AnyL4(true), 0), "empty-payload")),
        ("ipv4 jumbo valid", () => Valid(Ip(0, false, AnyL4(false), Jumbo()), "jumbo")),
        ("ipv6 jumbo valid", () => Valid(Ip(0, true, AnyL4(true), Jumbo()), "jumbo")),
        ("arp valid", () => Valid(Arp(_random.Next(2)))),
        ("vlan/arp valid", () => Valid(Arp(1))),
        ("runt", Runt),
        ("truncated", () => Pick(Truncations(AnyLayout()))),
        ("ipv4 bad-ihl", BadIhl),
        ("ipv4 bad-version", () => BadVersion(false)),
        ("ipv6 bad-version", () => BadVersion(true)),
        ("ipv4 total-length>frame", () => WrongIpLength(false, longer: true)),
        ("ipv4 total-length<frame", () => WrongIpLength(false, longer: false)),
        ("ipv6 payload-length>frame", () => WrongIpLength(true, longer: true)),
        ("ipv6 payload-length<frame", () => WrongIpLength(true, longer: false)),
        ("ipv4 total-length<header", TotalLengthBelowHeader),
        ("ipv4 fragment", Ipv4Fragment),
        ("ipv6 fragment", Ipv6Fragment),
        ("ipv4 bad-ip-checksum", BadIpChecksum),
        ("bad-l4-checksum", BadL4Checksum),
        ("802.3 llc", Llc),
        ("eth unknown-type", UnknownEtherType),
    ];

    private static GeneratedPacket Valid(FrameLayout layout, string? note = null) =>
        new($"{layout.Kind}{(note is null ? "" : " " + note)} valid", layout.Frame, true);

    private GeneratedPacket Pick(List<GeneratedPacket> packets) => packets[_random.Next(packets.Count)];

    private byte AnyL4(bool ipv6)
    {
        byte protocol = Protocols[_random.Next(Protocols.Length)];
        return ipv6 && protocol == IpProtocol.Icmp ? IpProtocol.IcmpV6 : protocol;
    }

    private int Payload() => _random.Next(5) == 0 ? 0 : _random.Next(1, 200);

    // A payload that makes the frame 1500+ bytes but keeps it under MaximumFrameLength (headers take at most 74).
    private int Jumbo() => _random.Next(1500, MaximumFrameLength - 74);

    private byte[] Extensions()
    {
        byte[][] chains =
        [
            [IpProtocol.HopByHop], [IpProtocol.DestinationOptions], [IpProtocol.Routing],
            [IpProtocol.HopByHop, IpProtocol.Routing, IpProtocol.DestinationOptions], [IpProtocol.HopByHop, IpProtocol.DestinationOptions],
        ];
        return chains[_random.Next(chains.Length)];
    }

    private FrameLayout AnyLayout()
    {
        int choice = _random.Next(6);
        if (choice == 5) return Arp(_random.Next(2));
        bool ipv6 = choice >= 3;
        return Ip(_random.Next(3), ipv6, AnyL4(ipv6), Payload() + 1,
            optionWords: !ipv6 && choice == 2 ? 2 : 0, extensions: ipv6 && choice == 4 ? Extensions() : null);
    }

    // Every cut of a frame: at each header's first byte and inside each header (one byte in, and half way).
    private static List<GeneratedPacket> Truncations(FrameLayout layout)
    {
        var result = new List<GeneratedPacket>();
        for (int h = 0; h < layout.Headers.Length; h++)
        {
            var (name, start) = layout.Headers[h];
            int end = layout.EndOf(h);
            var cuts = new SortedSet<int>();
            if (start < 14)
            {
                // Cuts inside the first 14 bytes are runts; a tagged header can still be cut inside its tags.
                if (end > 14) cuts.UnionWith([14, (14 + end) / 2]);
            }
            else
            {
                cuts.Add(start);
                if (end - start > 1) cuts.Add(start + 1);
                if (end - start > 2) cuts.Add(start + (end - start) / 2);
            }
            foreach (int cut in cuts)
            {
                string where = cut == start ? $"@{name}" : $"@{name}+{cut - start}";
                result.Add(new($"{layout.Kind} truncated{where}", layout.Frame[..cut], false));
            }
        }
        return result;
    }

    private GeneratedPacket Runt()
    {
        int length = _random.Next(14);
        var frame = Ip(0, _random.Next(2) == 0, IpProtocol.Udp, 4).Frame[..length];
        return new($"eth runt({length})", frame, false);
    }

    private GeneratedPacket BadIhl()
    {
        // Below the minimum of 5 words, or more words (48+ bytes) than the total length (at most 44 here) holds.
        var layout = Ip(0, false, AnyL4(false), _random.Next(5));
        int l3 = layout.OffsetOf("l3");
        int ihl = _random.Next(2) == 0 ? _random.Next(5) : _random.Next(12, 16);
        layout.Frame[l3] = (byte)(0x40 | ihl);
        RewriteIpv4Checksum(layout.Frame, l3, Math.Max(ihl, 5));
        return new($"{layout.Kind} bad-ihl({ihl})", layout.Frame, false);
    }

    private GeneratedPacket BadVersion(bool ipv6)
    {
        var layout = Ip(0, ipv6, AnyL4(ipv6), Payload());
        int l3 = layout.OffsetOf("l3");
        int[] versions = ipv6 ? [4, 0, 15] : [6, 0, 15];
        int version = versions[_random.Next(versions.Length)];
        layout.Frame[l3] = (byte)((version << 4) | (layout.Frame[l3] & 0x0f));
        if (!ipv6) RewriteIpv4Checksum(layout.Frame, l3, layout.Frame[l3] & 0x0f);
        return new($"{layout.Kind} bad-version({version})", layout.Frame, false);
    }

    private GeneratedPacket WrongIpLength(bool ipv6, bool longer)
    {
        var layout = Ip(0, ipv6, AnyL4(ipv6), Payload() + 8);
        int l3 = layout.OffsetOf("l3");
        byte[] frame = layout.Frame;
        int field = l3 + (ipv6 ? 4 : 2);
        int stated = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(field));
        if (longer)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(field), (ushort)Math.Min(0xffff, stated + _random.Next(1, 2000)));
        }
        else
        {
            // The frame carries bytes beyond what the IP header claims (trailing padding or garbage).
            int extra = _random.Next(1, 64);
            frame = [.. frame, .. Bytes(extra)];
        }
        if (!ipv6) RewriteIpv4Checksum(frame, l3, 5);
        return new($"{layout.Kind} {(ipv6 ? "payload" : "total")}-length{(longer ? ">" : "<")}frame", frame, false);
    }

    private GeneratedPacket TotalLengthBelowHeader()
    {
        var layout = Ip(0, false, AnyL4(false), Payload());
        int l3 = layout.OffsetOf("l3");
        BinaryPrimitives.WriteUInt16BigEndian(layout.Frame.AsSpan(l3 + 2), (ushort)_random.Next(20));
        RewriteIpv4Checksum(layout.Frame, l3, 5);
        return new($"{layout.Kind} total-length<header", layout.Frame, false);
    }

    private GeneratedPacket Ipv4Fragment()
    {
        bool first = _random.Next(2) == 0;
        // A later fragment has no L4 header: its offset (in 8-byte units) is past it.
        ushort fragment = first ? (ushort)0x2000 : (ushort)((_random.Next(2) == 0 ? 0x2000 : 0) | _random.Next(1, 200));
        var layout = Ip(_random.Next(2), false, AnyL4(false), Payload() + 8, fragment: fragment);
        return new($"{layout.Kind} fragment({(first ? "first" : "later")})", layout.Frame, false);
    }

    private GeneratedPacket Ipv6Fragment()
    {
        bool first = _random.Next(2) == 0;
        ushort fragment = first ? (ushort)1 : (ushort)((_random.Next(1, 200) << 3) | _random.Next(2));
        var layout = Ip(_random.Next(2), true, AnyL4(true), Payload() + 8, fragment: fragment);
        return new($"{layout.Kind} fragment({(first ? "first" : "later")})", layout.Frame, false);
    }

    private GeneratedPacket BadIpChecksum()
    {
        var layout = Ip(_random.Next(2), false, AnyL4(false), Payload());
        int l3 = layout.OffsetOf("l3");
        layout.Frame[l3 + 10] ^= (byte)_random.Next(1, 256);
        return new($"{layout.Kind} bad-ip-checksum", layout.Frame, false);
    }

    private GeneratedPacket BadL4Checksum()
    {
        bool ipv6 = _random.Next(2) == 0;
        var layout = Ip(_random.Next(2), ipv6, AnyL4(ipv6), Payload());
        int l4 = layout.OffsetOf("l4");
        int field = layout.Kind.EndsWith("/tcp", StringComparison.Ordinal) ? 16 : layout.Kind.EndsWith("/udp", StringComparison.Ordinal) ? 6 : 2;
        layout.Frame[l4 + field + 1] ^= (byte)_random.Next(1, 256);
        return new($"{layout.Kind} bad-l4-checksum", layout.Frame, false);
    }

    private GeneratedPacket Llc()
    {
        // An 802.3 frame: the type field is the payload's length; the payload starts with an LLC header.
        int length = _random.Next(3, 100);
        var frame = new byte[14 + Math.Max(length, 46)];
        WriteMacs(frame);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), (ushort)length);
        frame[14] = 0x42; frame[15] = 0x42; frame[16] = 0x03; // STP's SAPs, UI
        _random.NextBytes(frame.AsSpan(17));
        return new("802.3 llc", frame, false);
    }

    private GeneratedPacket UnknownEtherType()
    {
        var frame = new byte[14 + _random.Next(0, 100)];
        WriteMacs(frame);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x88b5); // IEEE local experimental
        _random.NextBytes(frame.AsSpan(14));
        return new("eth unknown-type", frame, false);
    }

    private static void RewriteIpv4Checksum(byte[] frame, int l3, int ihl)
    {
        int length = Math.Min(ihl * 4, frame.Length - l3);
        frame[l3 + 10] = frame[l3 + 11] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(l3 + 10), InternetChecksum.Compute(frame.AsSpan(l3, length)));
    }

    private byte[] Bytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    // Destination: mostly unicast, sometimes broadcast, multicast, or all zeros (the loopback device's address).
    private void WriteMacs(Span<byte> frame)
    {
        int kind = _random.Next(8);
        _random.NextBytes(frame[..12]);
        if (kind == 0) frame[..6].Fill(0xff);
        else if (kind == 1) { frame[0] = 0x01; frame[1] = 0x00; frame[2] = 0x5e; frame[3] &= 0x7f; }
        else if (kind == 2) frame[..6].Clear();
        else frame[0] = (byte)((frame[0] & 0xfc) | 0x02);
        frame[6] = (byte)((frame[6] & 0xfc) | 0x02);
    }

    // Ethernet header with `tags` VLAN tags (one: 802.1Q; two: 802.1ad outer, 802.1Q inner) ending in `type`.
    private (List<byte> Bytes, string Prefix) Ethernet(int tags, ushort type)
    {
        var header = new byte[12];
        WriteMacs(header);
        var bytes = new List<byte>(header);
        for (int t = 0; t < tags; t++)
        {
            ushort tpid = tags == 2 && t == 0 ? EtherType.QinQ : EtherType.Vlan;
            ushort tci = (ushort)_random.Next(0x10000);
            AddU16(bytes, tpid);
            AddU16(bytes, tci);
        }
        AddU16(bytes, type);
        return (bytes, tags switch { 0 => "", 1 => "vlan/", _ => "qinq/" });
    }

    private FrameLayout Arp(int tags)
    {
        var (bytes, prefix) = Ethernet(tags, EtherType.Arp);
        var headers = new List<(string, int)> { ("l2", 0), ("l3", bytes.Count) };
        bool request = _random.Next(2) == 0;
        AddU16(bytes, 1); // Ethernet
        AddU16(bytes, EtherType.IPv4);
        bytes.Add(6);
        bytes.Add(4);
        AddU16(bytes, (ushort)(request ? 1 : 2));
        bytes.AddRange(Bytes(10)); // sender MAC, IP
        bytes.AddRange(request ? new byte[6] : Bytes(6));
        bytes.AddRange(Bytes(4));
        return new FrameLayout($"{prefix}arp", [.. bytes], [.. headers]);
    }

    // An IP packet: `optionWords` 4-byte words of IPv4 options (NOPs), IPv6 extension headers, and a fragment
    // (IPv4: flags and offset field; IPv6: a fragment header's offset and M bit) when given.
    private FrameLayout Ip(int tags, bool ipv6, byte l4, int payloadLength, int optionWords = 0, byte[]? extensions = null, ushort? fragment = null)
    {
        var (bytes, prefix) = Ethernet(tags, ipv6 ? EtherType.IPv6 : EtherType.IPv4);
        var headers = new List<(string, int)> { ("l2", 0), ("l3", bytes.Count) };
        int l3 = bytes.Count;
        bool laterFragment = fragment is { } f && (ipv6 ? (f >> 3) != 0 : (f & 0x1fff) != 0);

        byte[] l4Bytes = laterFragment ? Bytes(payloadLength) : Transport(l4, payloadLength);
        byte[] source = Bytes(ipv6 ? 16 : 4), destination = Bytes(ipv6 ? 16 : 4);
        if (!ipv6) { source[0] = 10; destination[0] = 192; destination[1] = 168; }
        else { source[0] = destination[0] = 0xfd; }

        var chain = new List<byte>(extensions ?? []);
        if (ipv6 && fragment is not null) chain.Add(IpProtocol.Fragment);
        var extensionBytes = new List<byte>();
        for (int i = 0; i < chain.Count; i++)
        {
            byte next = i + 1 < chain.Count ? chain[i + 1] : l4;
            extensionBytes.AddRange(Extension(chain[i], next, fragment ?? 0));
        }

        if (ipv6)
        {
            uint first = 0x6000_0000u | (uint)_random.Next(0x10_0000) | ((uint)_random.Next(256) << 20);
            AddU32(bytes, first);
            AddU16(bytes, (ushort)(extensionBytes.Count + l4Bytes.Length));
            bytes.Add(chain.Count > 0 ? chain[0] : l4);
            bytes.Add((byte)_random.Next(1, 256));
            bytes.AddRange(source);
            bytes.AddRange(destination);
            if (extensionBytes.Count > 0)
            {
                headers.Add(("ext", bytes.Count));
                bytes.AddRange(extensionBytes);
            }
        }
        else
        {
            int ihl = 5 + optionWords;
            bytes.Add((byte)(0x40 | ihl));
            bytes.Add((byte)_random.Next(256));
            AddU16(bytes, (ushort)(ihl * 4 + l4Bytes.Length));
            AddU16(bytes, (ushort)_random.Next(0x10000));
            AddU16(bytes, fragment ?? 0x4000); // DF unless a fragment
            bytes.Add((byte)_random.Next(1, 256));
            bytes.Add(l4);
            AddU16(bytes, 0);
            bytes.AddRange(source);
            bytes.AddRange(destination);
            for (int i = 0; i < optionWords * 4; i++) bytes.Add(1); // NOP
        }
        byte[] frame = [.. bytes, .. l4Bytes];
        if (!ipv6)
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(l3 + 10), InternetChecksum.Compute(frame.AsSpan(l3, (5 + optionWords) * 4)));
        int l4Offset = bytes.Count;
        if (!laterFragment)
        {
            headers.Add(("l4", l4Offset));
            int headerLength = l4 switch { IpProtocol.Tcp => 20, IpProtocol.Udp => 8, _ => 8 };
            if (payloadLength > 0) headers.Add(("payload", l4Offset + headerLength));
            int checksumField = l4 switch { IpProtocol.Tcp => 16, IpProtocol.Udp => 6, _ => 2 };
            uint pseudo = l4 == IpProtocol.Icmp ? 0
                : ipv6 ? InternetChecksum.PseudoHeaderIPv6(source, destination, l4, l4Bytes.Length)
                : InternetChecksum.PseudoHeaderIPv4(source, destination, l4, l4Bytes.Length);
            ushort checksum = InternetChecksum.Finish(InternetChecksum.Add(pseudo, l4Bytes));
            if (l4 == IpProtocol.Udp && checksum == 0) checksum = 0xffff; // 0 means "no checksum" in UDP
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(l4Offset + checksumField), checksum);
        }
        else
        {
            headers.Add(("payload", l4Offset));
        }
        string l4Name = l4 switch { IpProtocol.Tcp => "tcp", IpProtocol.Udp => "udp", IpProtocol.IcmpV6 => "icmpv6", _ => "icmp" };
        string l3Name = ipv6 ? (extensions is { Length: > 0 } ? "ipv6-ext" : "ipv6") : (optionWords > 0 ? "ipv4-options" : "ipv4");
        return new FrameLayout($"{prefix}{l3Name}/{l4Name}", frame, [.. headers]);
    }

    // A transport header and payload with a zero checksum field (filled once the pseudo-header is known).
    private byte[] Transport(byte protocol, int payloadLength)
    {
        var bytes = new List<byte>();
        switch (protocol)
        {
            case IpProtocol.Tcp:
                AddU16(bytes, (ushort)_random.Next(1024, 65536));
                AddU16(bytes, (ushort)new[] { 80, 443, 22, 8080 }[_random.Next(4)]);
                AddU32(bytes, (uint)_random.NextInt64(1L << 32));
                AddU32(bytes, (uint)_random.NextInt64(1L << 32));
                bytes.Add(5 << 4);
                bytes.Add(new byte[] { 0x02, 0x10, 0x18, 0x11, 0x04, 0x12 }[_random.Next(6)]); // SYN, ACK, PSH|ACK, FIN|ACK, RST, SYN|ACK
                AddU16(bytes, (ushort)_random.Next(0x10000));
                AddU16(bytes, 0);
                AddU16(bytes, 0);
                break;
            case IpProtocol.Udp:
                AddU16(bytes, (ushort)_random.Next(1024, 65536));
                AddU16(bytes, (ushort)new[] { 53, 123, 4789, 443 }[_random.Next(4)]);
                AddU16(bytes, (ushort)(8 + payloadLength));
                AddU16(bytes, 0);
                break;
            default:
                bytes.Add(protocol == IpProtocol.IcmpV6 ? (byte)128 : (byte)8); // echo request
                bytes.Add(0);
                AddU16(bytes, 0);
                AddU16(bytes, (ushort)_random.Next(0x10000));
                AddU16(bytes, (ushort)_random.Next(0x10000));
                break;
        }
        bytes.AddRange(Bytes(payloadLength));
        return [.. bytes];
    }

    // One IPv6 extension header (RFC 8200 §4): options headers carry one PadN option, the routing header is an
    // SRH (type 4) with one segment and none left, the fragment header carries `fragment` (offset << 3 | M).
    private byte[] Extension(byte type, byte next, ushort fragment)
    {
        switch (type)
        {
            case IpProtocol.Routing:
            {
                var bytes = new byte[24];
                bytes[0] = next; bytes[1] = 2; bytes[2] = 4; bytes[3] = 0;
                _random.NextBytes(bytes.AsSpan(8));
                return bytes;
            }
            case IpProtocol.Fragment:
            {
                var bytes = new byte[8];
                bytes[0] = next;
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), fragment);
                BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), (uint)_random.Next());
                return bytes;
            }
            default:
                return [next, 0, 1, 4, 0, 0, 0, 0];
        }
    }

    private static void AddU16(List<byte> bytes, ushort value)
    {
        bytes.Add((byte)(value >> 8));
        bytes.Add((byte)value);
    }

    private static void AddU32(List<byte> bytes, uint value)
    {
        AddU16(bytes, (ushort)(value >> 16));
        AddU16(bytes, (ushort)value);
    }
}
