using BpfSharp.Runtime.Packets;
using FsCheck;
using FsCheck.Fluent;

namespace BpfSharp.Tests.Runtime.Packets;

public class PacketGeneratorTests
{
    [Fact]
    public void Well_formed_packets_parse_back_as_their_label_says_with_verifying_checksums() =>
        Prop.ForAll<int>(seed =>
        {
            foreach (var packet in new PacketGenerator(seed).Take(200).Where(p => p.WellFormed))
            {
                var (stack, problem) = TinyPacketParser.Parse(packet.Frame);
                Assert.True(stack is not null, $"seed {seed}: {packet} does not parse: {problem}");
                Assert.StartsWith(stack + " ", packet.Label);
            }
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Malformed_packets_are_refused_by_a_strict_parser() =>
        Prop.ForAll<int>(seed =>
        {
            foreach (var packet in new PacketGenerator(seed).Take(200).Where(p => !p.WellFormed))
                Assert.True(TinyPacketParser.Parse(packet.Frame).Stack is null, $"seed {seed}: {packet} parses as well-formed");
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void The_same_seed_gives_the_same_packets_and_another_seed_others()
    {
        var a = new PacketGenerator(42).EveryKind().Concat(new PacketGenerator(42).Take(300)).ToList();
        var b = new PacketGenerator(42).EveryKind().Concat(new PacketGenerator(42).Take(300)).ToList();
        Assert.Equal(a.Select(p => p.Label), b.Select(p => p.Label));
        Assert.All(a.Zip(b), pair => Assert.Equal(pair.First.Frame, pair.Second.Frame));
        var c = new PacketGenerator(43).Take(300).ToList();
        Assert.NotEqual(a.Skip(a.Count - 300).Select(p => Convert.ToHexString(p.Frame)), c.Select(p => Convert.ToHexString(p.Frame)));
    }

    [Fact]
    public void Every_kind_covers_valid_stacks_and_each_malformation()
    {
        var labels = new PacketGenerator(1).EveryKind().Select(p => p.Label).ToList();
        string[] expected =
        [
            "ipv4/tcp valid", "ipv4/udp valid", "ipv4/icmp valid", "ipv6/tcp valid", "ipv6/udp valid", "ipv6/icmpv6 valid",
            "vlan/ipv4/", "qinq/ipv6/", "ipv4-options/", "ipv6-ext/", "empty-payload valid", "jumbo valid", "arp valid",
            "runt(", "bad-ihl(", "bad-version(", "total-length>frame", "total-length<frame", "payload-length>frame",
            "payload-length<frame", "total-length<header", "fragment(", "bad-ip-checksum", "bad-l4-checksum", "802.3 llc",
            "unknown-type",
            // Truncations at each header's first byte and inside it, for IPv4, IPv6 with extension headers, ARP.
            "ipv4/tcp truncated@l3", "ipv4/tcp truncated@l3+1", "ipv4/tcp truncated@l3+10", "ipv4/tcp truncated@l4",
            "ipv4/tcp truncated@l4+10", "ipv4/tcp truncated@payload", "vlan/ipv6/udp truncated@l4+4", "vlan/ipv6/udp truncated@l2+14", "qinq/ipv4/icmp truncated@l2+18",
            "ipv6-ext/tcp truncated@ext", "ipv6-ext/tcp truncated@ext+1", "arp truncated@l3+14",
        ];
        foreach (string part in expected) Assert.Contains(labels, l => l.Contains(part, StringComparison.Ordinal));
    }

    [Fact]
    public void Sizes_stay_in_the_ranges_their_labels_promise()
    {
        foreach (var packet in new PacketGenerator(7).Take(2000))
        {
            Assert.InRange(packet.Frame.Length, 0, PacketGenerator.MaximumFrameLength);
            if (packet.Label.StartsWith("eth runt", StringComparison.Ordinal)) Assert.InRange(packet.Frame.Length, 0, 13);
            else Assert.True(packet.Frame.Length >= 14, packet.ToString());
            if (packet.Label.Contains("jumbo", StringComparison.Ordinal)) Assert.True(packet.Frame.Length > 1514, packet.ToString());
            if (packet.Label.Contains("empty-payload", StringComparison.Ordinal))
                Assert.Equal(packet.Label.Contains("/tcp", StringComparison.Ordinal) ? 20 : 8,
                    packet.Frame.Length - (packet.Label.StartsWith("ipv6", StringComparison.Ordinal) ? 54 : 34));
        }
    }

    [Fact]
    public void The_checksum_matches_rfc_1071s_example()
    {
        // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (complement 220d).
        Assert.Equal(0x220d, InternetChecksum.Compute([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]));
    }
}
