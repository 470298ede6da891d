using System.CommandLine;

namespace BpfSharp.Cli;

/// <summary>
/// Runs the command line and turns exceptions into messages and exit codes: bad input is exit 2 with the
/// reader's message (file, section, offset), never a stack trace.
/// </summary>
internal static class CommandRunner
{
    public static int Run(RootCommand root, string[] args)
    {
        try
        {
            return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (CliUsageException e)
        {
            Console.Error.WriteLine($"bpfsharp: error: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception e) when (IsBadInput(e))
        {
            Console.Error.WriteLine($"bpfsharp: error: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"bpfsharp: internal error ({e.GetType().Name}): {e.Message}");
            if (Environment.GetEnvironmentVariable("BPFSHARP_DEBUG") is { Length: > 0 }) Console.Error.WriteLine(e);
            return ExitCodes.InternalError;
        }
    }

    /// <summary>True for the exceptions that mean the user's input is at fault.</summary>
    public static bool IsBadInput(Exception e) =>
        e is BpfFormatException or IOException or UnauthorizedAccessException;
}
