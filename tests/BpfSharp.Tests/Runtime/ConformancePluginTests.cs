using System.Diagnostics;
using System.Globalization;
using System.Text;
using BpfSharp.Isa;
using BpfSharp.Runtime.Conformance;

namespace BpfSharp.Tests.Runtime;

/// <summary>
/// <c>bpfsharp conformance-plugin</c> driven as the bpf_conformance runner drives it (PROTOCOL.md): memory as argv[1]
/// in the runner's hex format, options after it, the program in hex on stdin, r0 parsed from stdout as hex.
/// </summary>
public class ConformancePluginTests
{
    /// <summary>The runner's hex format: two lowercase digits and two spaces per byte, also after the last.</summary>
    private static string Hex(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        foreach (byte b in bytes) text.Append(b.ToString("x2", CultureInfo.InvariantCulture)).Append("  ");
        return text.ToString();
    }

    private static List<string> Argv(byte[] memory, params string[] options)
    {
        var args = new List<string>();
        if (memory.Length > 0) args.Add(Hex(memory));
        args.AddRange(options);
        return args;
    }

    private static (int ExitCode, string Stdout) InProcess(IReadOnlyList<string> args, string stdin)
    {
        var stdout = new StringWriter();
        int code = ConformancePlugin.Run(args, new StringReader(stdin), stdout);
        return (code, stdout.ToString());
    }

    /// <summary>What the runner does with stdout: strip one trailing newline, stoull(s, 16).</summary>
    private static ulong ParseLikeRunner(string stdout)
    {
        string s = stdout.EndsWith('\n') ? stdout[..^1] : stdout;
        s = s.TrimStart();
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) s = s[2..];
        int end = 0;
        while (end < s.Length && Uri.IsHexDigit(s[end])) end++;
        return ulong.Parse(s.AsSpan(0, end), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    [ConformanceFact]
    public void Every_conformance_test_passes_through_the_plugin_protocol()
    {
        // The argv shapes of PROTOCOL.md section 2: memory or not, no options, an empty option from a doubled space.
        string[][] optionShapes = [[], [""], ["", ""]];
        var failures = new List<string>();
        int passed = 0;
        foreach (var name in ConformanceSuite.Files)
        {
            var test = ConformanceTestReader.ReadFile(ConformanceSuite.PathOf(name));
            var options = optionShapes[passed % optionShapes.Length];
            var (code, stdout) = InProcess(Argv(test.Memory, options), Hex(Instruction.WriteAll(test.Instructions)) + "\n");
            if (code != 0) failures.Add($"{name}: exit {code}: {stdout}");
            else if (ParseLikeRunner(stdout) != test.ExpectedResult) failures.Add($"{name}: printed {stdout.Trim()}, expected 0x{test.ExpectedResult:x}");
            else passed++;
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(313, passed);
    }

    [Fact]
    public void R0_is_printed_as_all_64_bits_of_lowercase_hex()
    {
        var program = Assembler.Assemble("r0 = -1\nexit");
        var (code, stdout) = InProcess([], Hex(Instruction.WriteAll(program)) + "\n");
        Assert.Equal(0, code);
        Assert.Equal("ffffffffffffffff\n", stdout);
    }

    [Fact]
    public void Memory_argument_becomes_r1_and_its_length_r2()
    {
        var program = Assembler.Assemble("r0 = *(u8 *)(r1 +1)\nr0 <<= 8\nr0 += r2\nexit");
        var (code, stdout) = InProcess([Hex([0x11, 0x22, 0x33])], Hex(Instruction.WriteAll(program)) + "\n");
        Assert.Equal(0, code);
        Assert.Equal("2203\n", stdout);
    }

    [Theory]
    [InlineData(new[] { "--elf" }, "ELF input (--elf) is not supported")]
    [InlineData(new[] { "--jit" }, "unknown plugin option '--jit'")]
    public void Unsupported_options_fail_with_one_line(string[] args, string message)
    {
        var (code, stdout) = InProcess(args, "95  00  00  00  00  00  00  00  \n");
        Assert.NotEqual(0, code);
        Assert.StartsWith(message, stdout);
        Assert.Equal(1, stdout.Count(c => c == '\n'));
    }

    [Theory]
    [InlineData("", "no program on stdin")]
    [InlineData("95  00  00  \n", "not a multiple of 8")]
    [InlineData("zz  \n", "'zz' is not a hex byte")]
    [InlineData("61  10  00  00  00  00  00  00  95  00  00  00  00  00  00  00  \n", "insn 0: invalid read of 4 bytes at 0x0")]
    [InlineData("b7  00  00  00  00  00  00  00  \n", "insn 1: fell off the end of the program")]
    [InlineData("ff  00  00  00  00  00  00  00  \n", "insn 0: invalid opcode 0xff")]
    public void Bad_programs_fail_with_one_line_and_a_non_zero_exit(string stdin, string message)
    {
        var (code, stdout) = InProcess([], stdin);
        Assert.NotEqual(0, code);
        Assert.Contains(message, stdout);
        Assert.Equal(1, stdout.Count(c => c == '\n'));
    }

    private static (int ExitCode, string Stdout, string Stderr) RunCli(string stdin, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "BpfSharp.Cli.dll"));
        start.ArgumentList.Add("conformance-plugin");
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("conformance-plugin did not finish in 60 s");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    [ConformanceFact]
    public void The_cli_command_takes_the_runners_argv_as_it_comes()
    {
        var memLen = ConformanceTestReader.ReadFile(ConformanceSuite.PathOf("mem-len.data"));
        string program = Hex(Instruction.WriteAll(memLen.Instructions)) + "\n";
        // Memory, then an empty option (a doubled space in --plugin_options), as the runner passes them.
        var withMemory = RunCli(program, Hex(memLen.Memory), "");
        Assert.Equal((0, "8\n"), (withMemory.ExitCode, withMemory.Stdout));

        var exit = ConformanceTestReader.ReadFile(ConformanceSuite.PathOf("exit.data"));
        var noArguments = RunCli(Hex(Instruction.WriteAll(exit.Instructions)) + "\n");
        Assert.Equal((0, $"{exit.ExpectedResult:x}\n"), (noArguments.ExitCode, noArguments.Stdout));

        var elf = RunCli(program, Hex(memLen.Memory), "--elf");
        Assert.NotEqual(0, elf.ExitCode);
        Assert.StartsWith("ELF input (--elf) is not supported", elf.Stdout);

        var fault = RunCli("61  10  00  00  00  00  00  00  95  00  00  00  00  00  00  00  \n");
        Assert.NotEqual(0, fault.ExitCode);
        Assert.Equal("insn 0: invalid read of 4 bytes at 0x0: NULL pointer (no region)\n", fault.Stdout);
    }
}
