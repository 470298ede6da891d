namespace BpfSharp.Kernel;

/// <summary>bpf(2) commands used by BpfSharp (enum bpf_cmd values).</summary>
public enum BpfCommand
{
    /// <summary>BPF_MAP_CREATE</summary>
    MapCreate = 0,
    /// <summary>BPF_MAP_LOOKUP_ELEM</summary>
    MapLookupElem = 1,
    /// <summary>BPF_MAP_UPDATE_ELEM</summary>
    MapUpdateElem = 2,
    /// <summary>BPF_MAP_DELETE_ELEM</summary>
    MapDeleteElem = 3,
    /// <summary>BPF_MAP_GET_NEXT_KEY</summary>
    MapGetNextKey = 4,
    /// <summary>BPF_PROG_LOAD</summary>
    ProgLoad = 5,
    /// <summary>BPF_OBJ_GET (open a pinned object)</summary>
    ObjGet = 7,
    /// <summary>BPF_PROG_TEST_RUN</summary>
    ProgTestRun = 10,
    /// <summary>BPF_OBJ_GET_INFO_BY_FD</summary>
    ObjGetInfoByFd = 15,
    /// <summary>BPF_BTF_LOAD</summary>
    BtfLoad = 18,
    /// <summary>BPF_MAP_LOOKUP_AND_DELETE_ELEM</summary>
    MapLookupAndDeleteElem = 21,
    /// <summary>BPF_MAP_FREEZE</summary>
    MapFreeze = 22,
    /// <summary>BPF_MAP_LOOKUP_BATCH</summary>
    MapLookupBatch = 24,
    /// <summary>BPF_MAP_LOOKUP_AND_DELETE_BATCH</summary>
    MapLookupAndDeleteBatch = 25,
    /// <summary>BPF_MAP_UPDATE_BATCH</summary>
    MapUpdateBatch = 26,
    /// <summary>BPF_MAP_DELETE_BATCH</summary>
    MapDeleteBatch = 27,
}
