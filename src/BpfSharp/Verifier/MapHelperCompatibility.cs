using BpfSharp.Isa;
using BpfSharp.Loader;

namespace BpfSharp.Verifier;

/// <summary>
/// Which helpers accept which map types, both ways (the kernel's check_map_func_compatibility), as data.
/// </summary>
internal static class MapHelperCompatibility
{
    // Map types restricted to a set of helpers.
    private static readonly Dictionary<MapType, int[]> MapAllows = new Dictionary<MapType, string[]>
    {
        [MapType.ProgArray] = ["tail_call"],
        [MapType.PerfEventArray] = ["perf_event_read", "perf_event_output", "skb_output", "perf_event_read_value", "xdp_output"],
        [MapType.Ringbuf] = ["ringbuf_output", "ringbuf_reserve", "ringbuf_query", "ringbuf_reserve_dynptr", "ringbuf_submit_dynptr", "ringbuf_discard_dynptr"],
        [MapType.UserRingbuf] = ["user_ringbuf_drain"],
        [MapType.StackTrace] = ["get_stackid"],
        [MapType.CgroupArray] = ["skb_under_cgroup", "current_task_under_cgroup"],
        [MapType.CgroupStorage] = ["get_local_storage"],
        [MapType.PercpuCgroupStorage] = ["get_local_storage"],
        [MapType.Devmap] = ["redirect_map", "map_lookup_elem"],
        [MapType.DevmapHash] = ["redirect_map", "map_lookup_elem"],
        [MapType.Cpumap] = ["redirect_map"],
        [MapType.Xskmap] = ["redirect_map", "map_lookup_elem"],
        [MapType.ArrayOfMaps] = ["map_lookup_elem"],
        [MapType.HashOfMaps] = ["map_lookup_elem"],
        [MapType.Sockmap] = ["sk_redirect_map", "sock_map_update", "msg_redirect_map", "sk_select_reuseport", "map_lookup_elem"],
        [MapType.Sockhash] = ["sk_redirect_hash", "sock_hash_update", "msg_redirect_hash", "sk_select_reuseport", "map_lookup_elem"],
        [MapType.ReuseportSockarray] = ["sk_select_reuseport"],
        [MapType.Queue] = ["map_peek_elem", "map_pop_elem", "map_push_elem"],
        [MapType.Stack] = ["map_peek_elem", "map_pop_elem", "map_push_elem"],
        [MapType.SkStorage] = ["sk_storage_get", "sk_storage_delete", "kptr_xchg"],
        [MapType.InodeStorage] = ["inode_storage_get", "inode_storage_delete", "kptr_xchg"],
        [MapType.TaskStorage] = ["task_storage_get", "task_storage_delete", "kptr_xchg"],
        [MapType.CgrpStorage] = ["cgrp_storage_get", "cgrp_storage_delete", "kptr_xchg"],
        [MapType.BloomFilter] = ["map_peek_elem", "map_push_elem"],
    }.ToDictionary(kv => kv.Key, kv => Ids(kv.Value));

    // Helpers restricted to a set of map types.
    private static readonly Dictionary<int, MapType[]> HelperRequires = new Dictionary<string, MapType[]>
    {
        ["tail_call"] = [MapType.ProgArray],
        ["perf_event_read"] = [MapType.PerfEventArray],
        ["perf_event_output"] = [MapType.PerfEventArray],
        ["perf_event_read_value"] = [MapType.PerfEventArray],
        ["skb_output"] = [MapType.PerfEventArray],
        ["xdp_output"] = [MapType.PerfEventArray],
        ["ringbuf_output"] = [MapType.Ringbuf],
        ["ringbuf_reserve"] = [MapType.Ringbuf],
        ["ringbuf_query"] = [MapType.Ringbuf],
        ["ringbuf_reserve_dynptr"] = [MapType.Ringbuf],
        ["ringbuf_submit_dynptr"] = [MapType.Ringbuf],
        ["ringbuf_discard_dynptr"] = [MapType.Ringbuf],
        ["user_ringbuf_drain"] = [MapType.UserRingbuf],
        ["get_stackid"] = [MapType.StackTrace],
        ["current_task_under_cgroup"] = [MapType.CgroupArray],
        ["skb_under_cgroup"] = [MapType.CgroupArray],
        ["redirect_map"] = [MapType.Devmap, MapType.DevmapHash, MapType.Cpumap, MapType.Xskmap],
        ["sk_redirect_map"] = [MapType.Sockmap],
        ["msg_redirect_map"] = [MapType.Sockmap],
        ["sock_map_update"] = [MapType.Sockmap],
        ["sk_redirect_hash"] = [MapType.Sockhash],
        ["msg_redirect_hash"] = [MapType.Sockhash],
        ["sock_hash_update"] = [MapType.Sockhash],
        ["get_local_storage"] = [MapType.CgroupStorage, MapType.PercpuCgroupStorage],
        ["sk_select_reuseport"] = [MapType.ReuseportSockarray, MapType.Sockmap, MapType.Sockhash],
        ["map_pop_elem"] = [MapType.Queue, MapType.Stack],
        ["map_peek_elem"] = [MapType.Queue, MapType.Stack, MapType.BloomFilter],
        ["map_push_elem"] = [MapType.Queue, MapType.Stack, MapType.BloomFilter],
        ["map_lookup_percpu_elem"] = [MapType.PercpuArray, MapType.PercpuHash, MapType.LruPercpuHash],
        ["sk_storage_get"] = [MapType.SkStorage],
        ["sk_storage_delete"] = [MapType.SkStorage],
        ["inode_storage_get"] = [MapType.InodeStorage],
        ["inode_storage_delete"] = [MapType.InodeStorage],
        ["task_storage_get"] = [MapType.TaskStorage],
        ["task_storage_delete"] = [MapType.TaskStorage],
        ["cgrp_storage_get"] = [MapType.CgrpStorage],
        ["cgrp_storage_delete"] = [MapType.CgrpStorage],
    }.Where(kv => HelperFunctions.TryGetId(kv.Key, out _))
     .ToDictionary(kv => Id(kv.Key), kv => kv.Value);

    private static readonly int MapUpdate = Id("map_update_elem"), MapDelete = Id("map_delete_elem");

    /// <summary>
    /// Whether <paramref name="funcId"/> may take a map of <paramref name="type"/>; <paramref name="extra"/> is a
    /// message the kernel logs before the error (sockmap updates in the wrong context).
    /// </summary>
    public static bool IsAllowed(MapType type, int funcId, ProgramType progType, out string? extra)
    {
        extra = null;
        if (MapAllows.TryGetValue(type, out var allowed) && Array.IndexOf(allowed, funcId) < 0)
        {
            bool sockUpdate = type is MapType.Sockmap or MapType.Sockhash && (funcId == MapUpdate || funcId == MapDelete);
            if (!sockUpdate) return false;
            bool ok = progType is ProgramType.SocketFilter or ProgramType.SchedCls or ProgramType.SchedAct or ProgramType.Xdp or
                ProgramType.SkReuseport or ProgramType.FlowDissector or ProgramType.SkLookup ||
                (progType == ProgramType.SockOps && funcId == MapDelete);
            if (!ok)
            {
                extra = "cannot update sockmap in this context\n";
                return false;
            }
        }
        if (HelperRequires.TryGetValue(funcId, out var types) && Array.IndexOf(types, type) < 0) return false;
        return true;
    }

    private static int Id(string name) => HelperFunctions.TryGetId(name, out int id) ? id : -1;

    private static int[] Ids(string[] names) => names.Select(Id).Where(i => i >= 0).ToArray();
}
