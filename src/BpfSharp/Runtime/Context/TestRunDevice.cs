namespace BpfSharp.Runtime.Context;

/// <summary>
/// The network device a test run's skb or xdp buffer belongs to: pkt_type compares the destination MAC with its
/// addresses. The kernel uses the loopback device (ifindex 1, both addresses all zeros) unless ctx_in names
/// another ifindex.
/// </summary>
/// <param name="Ifindex">Its index.</param>
/// <param name="Address">Its MAC address.</param>
/// <param name="Broadcast">Its broadcast address.</param>
public sealed record TestRunDevice(int Ifindex, byte[] Address, byte[] Broadcast)
{
    /// <summary>The loopback device as test runs see it.</summary>
    public static TestRunDevice Loopback { get; } = new(1, new byte[6], new byte[6]);
}
