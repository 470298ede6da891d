using System.Buffers.Binary;

namespace BpfSharp.Runtime.Packets;

/// <summary>
/// The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit big-endian words,
/// as IPv4 headers, TCP, UDP, ICMP and ICMPv6 carry it. TCP, UDP and ICMPv6 also sum a pseudo-header of the
/// addresses, the protocol and the length (RFC 793, RFC 768, RFC 8200 §8.1).
/// </summary>
public static class InternetChecksum
{
    /// <summary>Adds <paramref name="bytes"/> to a running 32-bit sum (an odd last byte is padded with zero).</summary>
    public static uint Add(uint sum, ReadOnlySpan<byte> bytes)
    {
        int i = 0;
        for (; i + 1 < bytes.Length; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(bytes[i..]);
        if (i < bytes.Length) sum += (uint)bytes[i] << 8;
        // Fold now and then so a jumbo frame cannot overflow the accumulator.
        return (sum & 0xffff) + (sum >> 16);
    }

    /// <summary>Folds a running sum to 16 bits and complements it: the value to store in a checksum field.</summary>
    public static ushort Finish(uint sum)
    {
        while (sum >> 16 != 0) sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)~sum;
    }

    /// <summary>The checksum of <paramref name="bytes"/> alone (an IPv4 header, an ICMP message).</summary>
    public static ushort Compute(ReadOnlySpan<byte> bytes) => Finish(Add(0, bytes));

    /// <summary>The sum of an IPv4 pseudo-header (source, destination, zero, protocol, length).</summary>
    public static uint PseudoHeaderIPv4(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, byte protocol, int length)
    {
        uint sum = Add(Add(0, source), destination);
        return sum + protocol + (uint)length;
    }

    /// <summary>The sum of an IPv6 pseudo-header (source, destination, upper-layer length, next header).</summary>
    public static uint PseudoHeaderIPv6(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, byte nextHeader, int length)
    {
        uint sum = Add(Add(0, source), destination);
        return sum + (uint)(length >> 16) + (uint)(length & 0xffff) + nextHeader;
    }

    /// <summary>True when the bytes, checksum field included, sum to 0xffff (the check a receiver makes).</summary>
    public static bool Verifies(uint pseudoHeaderSum, ReadOnlySpan<byte> bytes) => Finish(Add(pseudoHeaderSum, bytes)) == 0;
}
