namespace BpfSharp.Runtime.Maps;

/// <summary>
/// The runtime refused to create a map: the kernel would refuse it at BPF_MAP_CREATE (<see cref="Errno"/> says
/// with what), or the runtime does not support the type.
/// </summary>
public sealed class MapCreateException : Exception
{
    /// <summary>Creates the error.</summary>
    public MapCreateException(string mapName, int errno, string reason)
        : base($"map '{mapName}': {reason} ({MapErrno.Name(errno)})")
    {
        MapName = mapName;
        Errno = errno;
        Reason = reason;
    }

    /// <summary>The map's name.</summary>
    public string MapName { get; }

    /// <summary>The negative errno the kernel would return (-EINVAL, -E2BIG, -ENOTSUPP for unsupported types).</summary>
    public int Errno { get; }

    /// <summary>Why, in words.</summary>
    public string Reason { get; }
}
