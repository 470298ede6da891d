namespace BpfSharp.Verifier;

/// <summary>
/// Which reads the verifier allows through socket pointers (struct bpf_sock, bpf_tcp_sock, bpf_xdp_sock):
/// aligned reads of whole fields inside the structure.
/// </summary>
internal static class SockFields
{
    // struct bpf_sock: u32 fields up to dst_port (u16 + 2 pad), then u32 fields and rx_queue_mapping (s32).
    private const int BpfSockSize = 80;
    private const int BpfSockCommonEnd = 48;
    // struct bpf_tcp_sock: u32 fields then u64 bytes_received/bytes_acked at 96 and 104.
    private const int BpfTcpSockSize = 112;

    public static bool IsValidRead(RegType type, int off, int size)
    {
        if (off < 0 || size <= 0 || off % size != 0) return false;
        return type switch
        {
            RegType.Socket => off + size <= BpfSockSize && SockFieldSizeOk(off, size),
            RegType.SockCommon => off + size <= BpfSockCommonEnd && SockFieldSizeOk(off, size),
            RegType.TcpSock => off + size <= BpfTcpSockSize && (off >= 96 ? size == 8 : size == 4),
            RegType.XdpSock => off == 0 && size == 4,
            _ => false,
        };
    }

    private static bool SockFieldSizeOk(int off, int size)
    {
        // dst_port (offset 40) is a __be16 readable with 2 bytes; src_ip6/dst_ip6 arrays allow narrower reads.
        if (off == 40) return size == 2 || size == 4;
        if (off is >= 16 and < 28 || off is >= 28 and < 44 && off != 40) return size <= 4;
        return size == 4;
    }
}
