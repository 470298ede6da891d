namespace BpfSharp.Loader;

/// <summary>How a map asks to be pinned in bpffs.</summary>
public enum MapPinning : byte
{
    /// <summary>Not pinned.</summary>
    None = 0,
    /// <summary>libbpf LIBBPF_PIN_BY_NAME: pinned under the map name.</summary>
    ByName = 1,
    /// <summary>iproute2 PIN_OBJECT_NS: pinned in the object's namespace.</summary>
    ObjectNamespace = 2,
    /// <summary>iproute2 PIN_GLOBAL_NS: pinned in the global namespace (tc/globals).</summary>
    GlobalNamespace = 3,
}
