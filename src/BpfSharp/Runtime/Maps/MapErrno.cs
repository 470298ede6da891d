namespace BpfSharp.Runtime.Maps;

/// <summary>
/// The errno values runtime maps return, negated as the kernel's map operations return them (0 or -errno).
/// </summary>
public static class MapErrno
{
    /// <summary>-EPERM: the map is read-only (frozen, BPF_F_RDONLY) or write-only from user space.</summary>
    public const int EPERM = -1;
    /// <summary>-ENOENT: no such element (or the end of an iteration or batch).</summary>
    public const int ENOENT = -2;
    /// <summary>-E2BIG: a hash map is full, an index is out of range, a queue is full.</summary>
    public const int E2BIG = -7;
    /// <summary>-EAGAIN: no room in a ring buffer.</summary>
    public const int EAGAIN = -11;
    /// <summary>-ENOMEM: out of memory.</summary>
    public const int ENOMEM = -12;
    /// <summary>-EFAULT: bad address (a stack trace with nothing left after the skip).</summary>
    public const int EFAULT = -14;
    /// <summary>-EBUSY: the element is busy.</summary>
    public const int EBUSY = -16;
    /// <summary>-EEXIST: the element exists (BPF_NOEXIST, a stack id taken by another stack).</summary>
    public const int EEXIST = -17;
    /// <summary>-EINVAL: invalid flags or arguments.</summary>
    public const int EINVAL = -22;
    /// <summary>-ENOSPC: a batch buffer too small for a whole bucket; no room in a perf buffer.</summary>
    public const int ENOSPC = -28;
    /// <summary>-EOPNOTSUPP: the map does not support the operation (program side).</summary>
    public const int EOPNOTSUPP = -95;
    /// <summary>-ENOTSUPP (524): the kernel's "operation not supported" for missing map operations of the syscall.</summary>
    public const int ENOTSUPP = -524;

    private static readonly Dictionary<int, string> Names = new()
    {
        [0] = "0", [EPERM] = "-EPERM", [ENOENT] = "-ENOENT", [E2BIG] = "-E2BIG", [EAGAIN] = "-EAGAIN", [ENOMEM] = "-ENOMEM",
        [EFAULT] = "-EFAULT", [EBUSY] = "-EBUSY", [EEXIST] = "-EEXIST", [EINVAL] = "-EINVAL", [ENOSPC] = "-ENOSPC",
        [EOPNOTSUPP] = "-EOPNOTSUPP", [ENOTSUPP] = "-ENOTSUPP",
    };

    /// <summary>"-ENOENT" for -2, the number itself for values without a name.</summary>
    public static string Name(int result) =>
        Names.TryGetValue(result, out var name) ? name : result.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
