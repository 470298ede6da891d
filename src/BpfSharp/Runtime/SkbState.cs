using System.Buffers.Binary;
using BpfSharp.Runtime.Context;

namespace BpfSharp.Runtime;

/// <summary>
/// The sk_buff state of a test run that the packet bytes do not hold and the resizing helpers (change_head/tail,
/// adjust_room, vlan push/pop) read and change: skb->protocol, the hardware-accelerated VLAN tag, where the
/// network header is and whether the packet is encapsulated. After a helper changes it, <see cref="Publish"/>
/// writes the __sk_buff fields derived from it (len, protocol, vlan_*) into the ctx bytes, since a program reads
/// them back through its ctx pointer and the kernel derives them from the live skb.
/// </summary>
public sealed class SkbState
{
    private readonly TestRunContextLayout _layout;
    private readonly byte[] _context;

    /// <summary>Creates the state for a run whose ctx bytes are <paramref name="context"/> laid out as <paramref name="layout"/>.</summary>
    /// <param name="layout">The __sk_buff layout.</param>
    /// <param name="context">The ctx bytes the program reads.</param>
    /// <param name="protocol">skb->protocol in host order.</param>
    /// <param name="networkOffset">The network header's offset from data (14 for tc, 0 for a socket filter).</param>
    public SkbState(TestRunContextLayout layout, byte[] context, ushort protocol, int networkOffset)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(context);
        _layout = layout;
        _context = context;
        Protocol = protocol;
        NetworkOffset = networkOffset;
    }

    /// <summary>skb->protocol in host order.</summary>
    public ushort Protocol { get; set; }

    /// <summary>The accelerated VLAN tag's protocol in host order (0 with no tag).</summary>
    public ushort VlanProtocol { get; set; }

    /// <summary>The accelerated VLAN tag's TCI.</summary>
    public ushort VlanTci { get; set; }

    /// <summary>Whether a tag is held outside the packet (the kernel tests vlan_proto and vlan_tci together for non-zero).</summary>
    public bool VlanPresent => VlanProtocol != 0 || VlanTci != 0;

    /// <summary>The network header's offset from data; the MAC header is at data (tc programs run at the MAC header).</summary>
    public int NetworkOffset { get; set; }

    /// <summary>Set by bpf_skb_adjust_room with an encapsulation flag; a second encapsulation and change_tail are then refused.</summary>
    public bool Encapsulated { get; set; }

    /// <summary>Writes len, protocol, vlan_present, vlan_tci and vlan_proto for a packet of <paramref name="length"/> bytes into the ctx bytes.</summary>
    public void Publish(int length)
    {
        Write("len", (uint)length);
        // protocol and vlan_proto are __be16 in the skb, read as is: the ctx holds them byte-swapped.
        Write("protocol", BinaryPrimitives.ReverseEndianness(Protocol));
        Write("vlan_present", VlanPresent ? 1u : 0u);
        Write("vlan_tci", VlanTci);
        Write("vlan_proto", BinaryPrimitives.ReverseEndianness(VlanProtocol));
    }

    private void Write(string name, uint value)
    {
        foreach (var field in _layout.Fields)
            if (field.Name == name)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(_context.AsSpan(field.Offset), value);
                return;
            }
    }
}
