namespace BpfSharp.Runtime.Packets;

/// <summary>One Ethernet frame from <see cref="PacketGenerator"/>.</summary>
/// <param name="Label">What the frame is, for test failures: <c>ipv4/tcp valid</c>, <c>vlan/ipv6/udp truncated@l4+3</c>, <c>eth runt(7)</c>.</param>
/// <param name="Frame">The bytes, starting at the destination MAC address (no preamble, no FCS).</param>
/// <param name="WellFormed">True when every header is consistent: lengths match the frame, checksums verify, nothing is cut.</param>
public readonly record struct GeneratedPacket(string Label, byte[] Frame, bool WellFormed)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Label} ({Frame.Length} bytes)";
}
