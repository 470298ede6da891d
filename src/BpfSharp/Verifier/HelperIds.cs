using BpfSharp.Isa;

namespace BpfSharp.Verifier;

/// <summary>Helper ids the verifier treats specially, and which helpers may move packet data.</summary>
internal static class HelperIds
{
    public const int MapLookupElem = 1;
    public const int MapUpdateElem = 2;
    public const int MapDeleteElem = 3;
    public const int TailCall = 12;
    public const int GetSmpProcessorId = 8;
    public const int GetStackid = 27;
    public const int PerfEventOutput = 25;
    public const int GetStack = 67;
    public const int GetLocalStorage = 81;
    public const int MapPushElem = 87;
    public const int MapPopElem = 88;
    public const int MapPeekElem = 89;
    public const int SpinLock = 93;
    public const int SpinUnlock = 94;
    public const int TimerSetCallback = 170;
    public const int ForEachMapElem = 164;
    public const int Snprintf = 165;
    public const int FindVma = 180;
    public const int Loop = 181;
    public const int UserRingbufDrain = 209;
    public const int MapLookupPercpuElem = 195;
    public const int RedirectMap = 51;
    public const int GetFuncIp = 173;

    private static readonly HashSet<int> ChangesPacketData = Ids(
        "skb_store_bytes", "l3_csum_replace", "l4_csum_replace", "clone_redirect", "skb_vlan_push", "skb_vlan_pop",
        "skb_change_proto", "skb_change_tail", "skb_pull_data", "skb_change_head", "xdp_adjust_head",
        "skb_adjust_room", "xdp_adjust_meta", "xdp_adjust_tail", "msg_pull_data", "msg_push_data", "msg_pop_data",
        "lwt_push_encap", "lwt_seg6_store_bytes", "lwt_seg6_adjust_srh", "lwt_seg6_action", "store_hdr_opt",
        // A tail call runs another program, which may change the packet.
        "tail_call");

    /// <summary>The kernel's bpf_helper_changes_pkt_data: after these, packet pointers are invalid.</summary>
    public static bool MayChangePacketData(int id) => ChangesPacketData.Contains(id);

    private static HashSet<int> Ids(params string[] names)
    {
        var set = new HashSet<int>();
        foreach (var n in names)
            if (HelperFunctions.TryGetId(n, out int id) || HelperFunctions.TryGetId("bpf_" + n, out id)) set.Add(id);
        return set;
    }
}
