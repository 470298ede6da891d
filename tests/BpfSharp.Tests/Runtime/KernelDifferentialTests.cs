using BpfSharp.Isa;
using BpfSharp.Kernel;
using BpfSharp.Loader;
using BpfSharp.Runtime;
using BpfSharp.Tests.TestSupport;

namespace BpfSharp.Tests.Runtime;

/// <summary>
/// The interpreter against the running kernel: each corner-case program of <see cref="InterpreterAluTests"/> is
/// loaded as a socket filter and run with BPF_PROG_TEST_RUN, once returning the low half of r0 and once the high half
/// (the kernel reports a 32-bit return value), and both must match the interpreter's 64-bit r0.
/// </summary>
public class KernelDifferentialTests
{
    private static readonly byte[] Packet = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();

    private static uint KernelRun(string text)
    {
        var load = KernelProgram.Load(new ProgramLoadRequest
        {
            Type = ProgramType.SocketFilter, Instructions = Assembler.Assemble(text), Name = "bpfsharp_diff", LogLevel = ProgramLoadRequest.LogBasic,
        });
        Assert.True(load.Succeeded, $"the kernel refused:\n{text}\n{load.Log}");
        using var fd = load.Program!;
        return KernelProgram.TestRun(fd, new TestRunRequest { Data = Packet }).ReturnValue;
    }

    [KernelTheory]
    [MemberData(nameof(InterpreterAluTests.Cases), MemberType = typeof(InterpreterAluTests))]
    public void Kernel_and_interpreter_agree_on_r0(string program, ulong expected)
    {
        ulong ours = new Interpreter().Run(new RuntimeProgram(Assembler.Assemble(program))).ReturnValue;
        Assert.Equal(expected, ours);
        // Every exit of these programs is preceded by straight-line code or a jump over one instruction onto it,
        // so putting the shift before each exit keeps the jumps right.
        string high = program.Replace("exit", "r0 >>= 32\nexit", StringComparison.Ordinal);
        Assert.Equal((uint)ours, KernelRun(program));
        Assert.Equal((uint)(ours >> 32), KernelRun(high));
    }
}
