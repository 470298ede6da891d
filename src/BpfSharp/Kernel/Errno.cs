using System.Runtime.InteropServices;

namespace BpfSharp.Kernel;

/// <summary>errno values the bridge reasons about, and their names for messages ("EPERM (Operation not permitted)").</summary>
public static class Errno
{
    /// <summary>Operation not permitted.</summary>
    public const int EPERM = 1;
    /// <summary>No such file or directory.</summary>
    public const int ENOENT = 2;
    /// <summary>Argument list too long (the verifier's "too many instructions").</summary>
    public const int E2BIG = 7;
    /// <summary>Bad file descriptor.</summary>
    public const int EBADF = 9;
    /// <summary>Out of memory.</summary>
    public const int ENOMEM = 12;
    /// <summary>Permission denied (the verifier's usual rejection).</summary>
    public const int EACCES = 13;
    /// <summary>Bad address.</summary>
    public const int EFAULT = 14;
    /// <summary>Invalid argument.</summary>
    public const int EINVAL = 22;
    /// <summary>No space left on device (log buffer too small).</summary>
    public const int ENOSPC = 28;
    /// <summary>Function not implemented (no bpf(2)).</summary>
    public const int ENOSYS = 38;
    /// <summary>Operation not supported.</summary>
    public const int EOPNOTSUPP = 95;
    /// <summary>Kernel-internal "not supported", leaked to user space by some BPF paths.</summary>
    public const int ENOTSUPP = 524;

    private static readonly Dictionary<int, string> Names = new()
    {
        [EPERM] = "EPERM", [ENOENT] = "ENOENT", [E2BIG] = "E2BIG", [EBADF] = "EBADF", [ENOMEM] = "ENOMEM",
        [EACCES] = "EACCES", [EFAULT] = "EFAULT", [EINVAL] = "EINVAL", [ENOSPC] = "ENOSPC", [ENOSYS] = "ENOSYS",
        [EOPNOTSUPP] = "EOPNOTSUPP", [ENOTSUPP] = "ENOTSUPP", [16] = "EBUSY", [17] = "EEXIST", [34] = "ERANGE",
    };

    /// <summary>"NAME (text)" for an errno.</summary>
    public static string Describe(int errno)
    {
        string text = errno == ENOTSUPP ? "operation not supported" : Marshal.GetPInvokeErrorMessage(errno);
        return Names.TryGetValue(errno, out var name) ? $"{name} ({text})" : $"errno {errno} ({text})";
    }
}
