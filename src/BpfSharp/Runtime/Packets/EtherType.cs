namespace BpfSharp.Runtime.Packets;

/// <summary>EtherType values (IEEE 802) the packet generator writes, in host order.</summary>
public static class EtherType
{
    /// <summary>Values below this are an 802.3 length, not a type (IEEE 802.3 §3.2.6).</summary>
    public const ushort MinimumType = 0x0600;
    /// <summary>IPv4.</summary>
    public const ushort IPv4 = 0x0800;
    /// <summary>ARP.</summary>
    public const ushort Arp = 0x0806;
    /// <summary>802.1Q VLAN tag (C-tag).</summary>
    public const ushort Vlan = 0x8100;
    /// <summary>802.1ad service tag (S-tag, the outer tag of QinQ).</summary>
    public const ushort QinQ = 0x88a8;
    /// <summary>IPv6.</summary>
    public const ushort IPv6 = 0x86dd;
}
