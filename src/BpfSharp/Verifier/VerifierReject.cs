namespace BpfSharp.Verifier;

/// <summary>
/// Ends a verification with a rejection. The message is already in the log; the errno is what the kernel's
/// BPF_PROG_LOAD would return.
/// </summary>
internal sealed class VerifierReject(int errno) : Exception("rejected")
{
    public int Errno { get; } = errno;

    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int E2BIG = 7;
    public const int EBADF = 9;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int EFAULT = 14;
    public const int EBUSY = 16;
    public const int EINVAL = 22;
    public const int EPROTO = 71;
    public const int ENOTSUPP = 524;
}

/// <summary>Ends a verification because BpfSharp does not model something the program uses.</summary>
internal sealed class VerifierUnsupported(string reason) : Exception(reason);
