namespace BpfSharp.Stats;

/// <summary>How a verification ended.</summary>
public enum Verdict : byte
{
    /// <summary>The verifier accepted the program.</summary>
    Success,
    /// <summary>The verifier rejected the program.</summary>
    Failure,
    /// <summary>
    /// The program never reached the verifier: a map the kernel refused, an unresolved external call, EPERM
    /// before verification, an unknown program type. Never counted as a verifier rejection.
    /// </summary>
    NotVerified,
    /// <summary>The backend cannot verify this program (yet); the reason says why. Never a faked result.</summary>
    Unsupported,
}
