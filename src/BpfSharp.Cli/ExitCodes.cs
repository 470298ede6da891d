namespace BpfSharp.Cli;

/// <summary>Process exit codes of the CLI.</summary>
internal static class ExitCodes
{
    /// <summary>Everything worked.</summary>
    public const int Success = 0;
    /// <summary>Bad command line (System.CommandLine's own code for parse errors).</summary>
    public const int Usage = 1;
    /// <summary>Bad input: a malformed or unreadable object file.</summary>
    public const int BadInput = 2;
    /// <summary>verify: at least one program was rejected (or could not be verified).</summary>
    public const int Rejected = 3;
    /// <summary>A bug in BpfSharp (EX_SOFTWARE).</summary>
    public const int InternalError = 70;
}
