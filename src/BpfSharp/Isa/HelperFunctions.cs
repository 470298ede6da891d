namespace BpfSharp.Isa;

/// <summary>
/// Names of the kernel's BPF helper functions, indexed by helper id (the immediate of a
/// <c>call</c> instruction with src_reg 0), as listed by <c>___BPF_FUNC_MAPPER</c> in
/// <c>include/uapi/linux/bpf.h</c> of Linux 6.18.
/// </summary>
/// <remarks>
/// Names carry the <c>bpf_</c> prefix the kernel's disassembler prints (<c>call bpf_map_lookup_elem#1</c>).
/// The kernel froze this list at id 211; new functionality arrives as kfuncs, which are resolved through BTF instead.
/// </remarks>
public static class HelperFunctions
{
    private const string Prefix = "bpf_";

    // Index = helper id. Grouped four per line; the comment is the id of the first name on the line.
    private static readonly string[] Names =
    [
        /*   0 */ "bpf_unspec", "bpf_map_lookup_elem", "bpf_map_update_elem", "bpf_map_delete_elem",
        /*   4 */ "bpf_probe_read", "bpf_ktime_get_ns", "bpf_trace_printk", "bpf_get_prandom_u32",
        /*   8 */ "bpf_get_smp_processor_id", "bpf_skb_store_bytes", "bpf_l3_csum_replace", "bpf_l4_csum_replace",
        /*  12 */ "bpf_tail_call", "bpf_clone_redirect", "bpf_get_current_pid_tgid", "bpf_get_current_uid_gid",
        /*  16 */ "bpf_get_current_comm", "bpf_get_cgroup_classid", "bpf_skb_vlan_push", "bpf_skb_vlan_pop",
        /*  20 */ "bpf_skb_get_tunnel_key", "bpf_skb_set_tunnel_key", "bpf_perf_event_read", "bpf_redirect",
        /*  24 */ "bpf_get_route_realm", "bpf_perf_event_output", "bpf_skb_load_bytes", "bpf_get_stackid",
        /*  28 */ "bpf_csum_diff", "bpf_skb_get_tunnel_opt", "bpf_skb_set_tunnel_opt", "bpf_skb_change_proto",
        /*  32 */ "bpf_skb_change_type", "bpf_skb_under_cgroup", "bpf_get_hash_recalc", "bpf_get_current_task",
        /*  36 */ "bpf_probe_write_user", "bpf_current_task_under_cgroup", "bpf_skb_change_tail", "bpf_skb_pull_data",
        /*  40 */ "bpf_csum_update", "bpf_set_hash_invalid", "bpf_get_numa_node_id", "bpf_skb_change_head",
        /*  44 */ "bpf_xdp_adjust_head", "bpf_probe_read_str", "bpf_get_socket_cookie", "bpf_get_socket_uid",
        /*  48 */ "bpf_set_hash", "bpf_setsockopt", "bpf_skb_adjust_room", "bpf_redirect_map",
        /*  52 */ "bpf_sk_redirect_map", "bpf_sock_map_update", "bpf_xdp_adjust_meta", "bpf_perf_event_read_value",
        /*  56 */ "bpf_perf_prog_read_value", "bpf_getsockopt", "bpf_override_return", "bpf_sock_ops_cb_flags_set",
        /*  60 */ "bpf_msg_redirect_map", "bpf_msg_apply_bytes", "bpf_msg_cork_bytes", "bpf_msg_pull_data",
        /*  64 */ "bpf_bind", "bpf_xdp_adjust_tail", "bpf_skb_get_xfrm_state", "bpf_get_stack",
        /*  68 */ "bpf_skb_load_bytes_relative", "bpf_fib_lookup", "bpf_sock_hash_update", "bpf_msg_redirect_hash",
        /*  72 */ "bpf_sk_redirect_hash", "bpf_lwt_push_encap", "bpf_lwt_seg6_store_bytes", "bpf_lwt_seg6_adjust_srh",
        /*  76 */ "bpf_lwt_seg6_action", "bpf_rc_repeat", "bpf_rc_keydown", "bpf_skb_cgroup_id",
        /*  80 */ "bpf_get_current_cgroup_id", "bpf_get_local_storage", "bpf_sk_select_reuseport", "bpf_skb_ancestor_cgroup_id",
        /*  84 */ "bpf_sk_lookup_tcp", "bpf_sk_lookup_udp", "bpf_sk_release", "bpf_map_push_elem",
        /*  88 */ "bpf_map_pop_elem", "bpf_map_peek_elem", "bpf_msg_push_data", "bpf_msg_pop_data",
        /*  92 */ "bpf_rc_pointer_rel", "bpf_spin_lock", "bpf_spin_unlock", "bpf_sk_fullsock",
        /*  96 */ "bpf_tcp_sock", "bpf_skb_ecn_set_ce", "bpf_get_listener_sock", "bpf_skc_lookup_tcp",
        /* 100 */ "bpf_tcp_check_syncookie", "bpf_sysctl_get_name", "bpf_sysctl_get_current_value", "bpf_sysctl_get_new_value",
        /* 104 */ "bpf_sysctl_set_new_value", "bpf_strtol", "bpf_strtoul", "bpf_sk_storage_get",
        /* 108 */ "bpf_sk_storage_delete", "bpf_send_signal", "bpf_tcp_gen_syncookie", "bpf_skb_output",
        /* 112 */ "bpf_probe_read_user", "bpf_probe_read_kernel", "bpf_probe_read_user_str", "bpf_probe_read_kernel_str",
        /* 116 */ "bpf_tcp_send_ack", "bpf_send_signal_thread", "bpf_jiffies64", "bpf_read_branch_records",
        /* 120 */ "bpf_get_ns_current_pid_tgid", "bpf_xdp_output", "bpf_get_netns_cookie", "bpf_get_current_ancestor_cgroup_id",
        /* 124 */ "bpf_sk_assign", "bpf_ktime_get_boot_ns", "bpf_seq_printf", "bpf_seq_write",
        /* 128 */ "bpf_sk_cgroup_id", "bpf_sk_ancestor_cgroup_id", "bpf_ringbuf_output", "bpf_ringbuf_reserve",
        /* 132 */ "bpf_ringbuf_submit", "bpf_ringbuf_discard", "bpf_ringbuf_query", "bpf_csum_level",
        /* 136 */ "bpf_skc_to_tcp6_sock", "bpf_skc_to_tcp_sock", "bpf_skc_to_tcp_timewait_sock", "bpf_skc_to_tcp_request_sock",
        /* 140 */ "bpf_skc_to_udp6_sock", "bpf_get_task_stack", "bpf_load_hdr_opt", "bpf_store_hdr_opt",
        /* 144 */ "bpf_reserve_hdr_opt", "bpf_inode_storage_get", "bpf_inode_storage_delete", "bpf_d_path",
        /* 148 */ "bpf_copy_from_user", "bpf_snprintf_btf", "bpf_seq_printf_btf", "bpf_skb_cgroup_classid",
        /* 152 */ "bpf_redirect_neigh", "bpf_per_cpu_ptr", "bpf_this_cpu_ptr", "bpf_redirect_peer",
        /* 156 */ "bpf_task_storage_get", "bpf_task_storage_delete", "bpf_get_current_task_btf", "bpf_bprm_opts_set",
        /* 160 */ "bpf_ktime_get_coarse_ns", "bpf_ima_inode_hash", "bpf_sock_from_file", "bpf_check_mtu",
        /* 164 */ "bpf_for_each_map_elem", "bpf_snprintf", "bpf_sys_bpf", "bpf_btf_find_by_name_kind",
        /* 168 */ "bpf_sys_close", "bpf_timer_init", "bpf_timer_set_callback", "bpf_timer_start",
        /* 172 */ "bpf_timer_cancel", "bpf_get_func_ip", "bpf_get_attach_cookie", "bpf_task_pt_regs",
        /* 176 */ "bpf_get_branch_snapshot", "bpf_trace_vprintk", "bpf_skc_to_unix_sock", "bpf_kallsyms_lookup_name",
        /* 180 */ "bpf_find_vma", "bpf_loop", "bpf_strncmp", "bpf_get_func_arg",
        /* 184 */ "bpf_get_func_ret", "bpf_get_func_arg_cnt", "bpf_get_retval", "bpf_set_retval",
        /* 188 */ "bpf_xdp_get_buff_len", "bpf_xdp_load_bytes", "bpf_xdp_store_bytes", "bpf_copy_from_user_task",
        /* 192 */ "bpf_skb_set_tstamp", "bpf_ima_file_hash", "bpf_kptr_xchg", "bpf_map_lookup_percpu_elem",
        /* 196 */ "bpf_skc_to_mptcp_sock", "bpf_dynptr_from_mem", "bpf_ringbuf_reserve_dynptr", "bpf_ringbuf_submit_dynptr",
        /* 200 */ "bpf_ringbuf_discard_dynptr", "bpf_dynptr_read", "bpf_dynptr_write", "bpf_dynptr_data",
        /* 204 */ "bpf_tcp_raw_gen_syncookie_ipv4", "bpf_tcp_raw_gen_syncookie_ipv6", "bpf_tcp_raw_check_syncookie_ipv4", "bpf_tcp_raw_check_syncookie_ipv6",
        /* 208 */ "bpf_ktime_get_tai_ns", "bpf_user_ringbuf_drain", "bpf_cgrp_storage_get", "bpf_cgrp_storage_delete",
    ];

    private static readonly Dictionary<string, int> IdsByName = BuildIndex();

    /// <summary>Number of helper ids known (ids 0 through <see cref="Count"/> - 1).</summary>
    public static int Count => Names.Length;

    /// <summary>Returns the helper's name (with the <c>bpf_</c> prefix), or null when <paramref name="id"/> is not a known helper.</summary>
    public static string? NameOf(int id) => (uint)id < (uint)Names.Length ? Names[id] : null;

    /// <summary>
    /// Looks up a helper id by name. Accepts the name with or without the <c>bpf_</c> prefix
    /// (<c>bpf_tail_call</c> and <c>tail_call</c> both give 12); matching is case-sensitive, as C identifiers are.
    /// </summary>
    public static bool TryGetId(string? name, out int id)
    {
        id = -1;
        if (string.IsNullOrEmpty(name)) return false;
        if (IdsByName.TryGetValue(name, out id)) return true;
        // Only one spelling is stored, so a bare name needs the prefix put back before the lookup.
        if (!name.StartsWith(Prefix, StringComparison.Ordinal) && IdsByName.TryGetValue(Prefix + name, out id)) return true;
        id = -1;
        return false;
    }

    private static Dictionary<string, int> BuildIndex()
    {
        var index = new Dictionary<string, int>(Names.Length, StringComparer.Ordinal);
        for (int i = 0; i < Names.Length; i++) index.Add(Names[i], i);
        return index;
    }
}
