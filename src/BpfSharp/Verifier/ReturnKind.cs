namespace BpfSharp.Verifier;

/// <summary>
/// The base type of what a helper returns in R0 (<c>enum bpf_return_type</c> of <c>include/linux/bpf.h</c>,
/// Linux 6.18, without its flag bits). The numbers are the kernel's.
/// </summary>
public enum ReturnKind : byte
{
    /// <summary>A scalar (RET_INTEGER).</summary>
    Integer = 0,
    /// <summary>Nothing; R0 is left unreadable (RET_VOID).</summary>
    Void = 1,
    /// <summary>A pointer to a value of the map in the map argument (RET_PTR_TO_MAP_VALUE).</summary>
    PtrToMapValue = 2,
    /// <summary>A full socket pointer (RET_PTR_TO_SOCKET).</summary>
    PtrToSocket = 3,
    /// <summary>A <c>struct bpf_tcp_sock</c> pointer (RET_PTR_TO_TCP_SOCK).</summary>
    PtrToTcpSock = 4,
    /// <summary>A <c>struct bpf_sock</c> common-part pointer (RET_PTR_TO_SOCK_COMMON).</summary>
    PtrToSockCommon = 5,
    /// <summary>A pointer to memory, sized by an argument or a dynptr (RET_PTR_TO_MEM).</summary>
    PtrToMem = 6,
    /// <summary>Memory for a plain ksym or a BTF-typed pointer for a typed one (RET_PTR_TO_MEM_OR_BTF_ID).</summary>
    PtrToMemOrBtfId = 7,
    /// <summary>A BTF-typed kernel pointer of the type the prototype names (RET_PTR_TO_BTF_ID).</summary>
    PtrToBtfId = 8,
}
