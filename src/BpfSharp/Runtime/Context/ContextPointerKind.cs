namespace BpfSharp.Runtime.Context;

/// <summary>What a pointer field of a context points at.</summary>
public enum ContextPointerKind
{
    /// <summary>Not a pointer.</summary>
    None,
    /// <summary>The first byte the program sees (data): <see cref="ContextImage.DataOffset"/>.</summary>
    PacketData,
    /// <summary>One past the last linear byte (data_end): <see cref="ContextImage.DataEndOffset"/>.</summary>
    PacketEnd,
    /// <summary>The start of the metadata before data (data_meta): <see cref="ContextImage.MetaOffset"/>; equal to data when there is none.</summary>
    PacketMeta,
    /// <summary>
    /// skb->sk: a test run always attaches a socket of its own (non-null for every frame, ARP and 802.3 included),
    /// its family and addresses taken from an IPv4/IPv6 header. The runtime must supply one or report the
    /// read unsupported.
    /// </summary>
    Socket,
}
