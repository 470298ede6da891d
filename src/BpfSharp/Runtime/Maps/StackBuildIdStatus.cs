namespace BpfSharp.Runtime.Maps;

/// <summary>enum bpf_stack_build_id_status: what a build-ID stack entry holds.</summary>
public enum StackBuildIdStatus
{
    /// <summary>BPF_STACK_BUILD_ID_EMPTY: no frame (past the end of the trace).</summary>
    Empty = 0,
    /// <summary>BPF_STACK_BUILD_ID_VALID: a build ID and a file offset.</summary>
    Valid = 1,
    /// <summary>BPF_STACK_BUILD_ID_IP: unresolved; the raw instruction pointer.</summary>
    Ip = 2,
}
