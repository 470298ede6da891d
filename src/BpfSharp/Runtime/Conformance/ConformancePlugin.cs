using BpfSharp.Isa;

namespace BpfSharp.Runtime.Conformance;

/// <summary>
/// The plugin side of the bpf_conformance runner's protocol: argv[1] is the input memory in hex when it does not
/// start with <c>--</c>, the other arguments are options (empty ones ignored), stdin carries the program in hex.
/// Success prints r0 in hex (all 64 bits) and exits 0; any failure prints one line and exits 1.
/// </summary>
public static class ConformancePlugin
{
    /// <summary>Exit code of a failed run.</summary>
    public const int FailureExitCode = 1;

    /// <summary>Runs the protocol with <paramref name="args"/> (argv without argv[0]) and returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args, TextReader stdin, TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        try
        {
            byte[] memory = [];
            int first = 0;
            if (args.Count > 0 && !args[0].StartsWith("--", StringComparison.Ordinal))
            {
                memory = ConformanceTestReader.ParseHexBytes(args[0], "memory argument");
                first = 1;
            }
            for (int i = first; i < args.Count; i++)
            {
                string option = args[i];
                if (option.Length == 0) continue;
                if (option == "--elf") return Fail(stdout, "ELF input (--elf) is not supported: give the program as raw instructions");
                return Fail(stdout, $"unknown plugin option '{option}'");
            }
            byte[] code = ConformanceTestReader.ParseHexBytes(stdin.ReadToEnd(), "program on stdin");
            if (code.Length == 0) return Fail(stdout, "no program on stdin");
            if (code.Length % Instruction.Size != 0) return Fail(stdout, $"program of {code.Length} bytes is not a multiple of 8");
            ulong r0 = ConformanceRunner.Run(Instruction.ReadAll(code), memory);
            stdout.Write($"{r0:x}\n");
            return 0;
        }
        catch (BpfRuntimeException e)
        {
            return Fail(stdout, e.Message);
        }
        catch (FormatException e)
        {
            return Fail(stdout, e.Message);
        }
        catch (BpfFormatException e)
        {
            return Fail(stdout, e.Message);
        }
    }

    private static int Fail(TextWriter stdout, string message)
    {
        // One line, as the runner compares the text up to the first line break.
        stdout.Write(message.ReplaceLineEndings(" ") + "\n");
        return FailureExitCode;
    }
}
