using BpfSharp.Isa;
using BpfSharp.Kernel;
using BpfSharp.Loader;

namespace BpfSharp.Tests.Runtime.Context;

/// <summary>Small assembled programs and their test runs, for proving the context tables against the kernel.</summary>
internal static class TestRunProbe
{
    /// <summary>Loads a program; null with the verifier's message when it is refused.</summary>
    public static (BpfFileDescriptor? Program, string Log) Load(ProgramType type, string text)
    {
        var result = KernelProgram.Load(new ProgramLoadRequest
        {
            Type = type, Instructions = Assembler.Assemble(text), LogLevel = ProgramLoadRequest.LogBasic, Name = "bpfsharp_ctx",
        });
        return (result.Program, result.Log);
    }

    /// <summary>Loads a program the kernel must accept.</summary>
    public static BpfFileDescriptor MustLoad(ProgramType type, string text)
    {
        var (program, log) = Load(type, text);
        return program ?? throw new InvalidOperationException($"{type} program refused:\n{text}\n{log}");
    }

    /// <summary>One run: the result, or the errno of a refused run.</summary>
    public static (TestRunResult? Result, int Errno) Run(BpfFileDescriptor program, byte[] data, byte[]? context = null, int slack = 256)
    {
        try
        {
            return (KernelProgram.TestRun(program, new TestRunRequest { Data = data, Context = context ?? [], DataOutSlack = slack }), 0);
        }
        catch (KernelException e)
        {
            return (null, e.ErrorNumber);
        }
    }
}
