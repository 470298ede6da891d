using BpfSharp.Isa;
using BpfSharp.Runtime;

namespace BpfSharp.Tests.Runtime;

/// <summary>Small helpers for runtime tests: assemble (verifier-log syntax) and run.</summary>
internal static class RuntimeTestSupport
{
    public static RuntimeProgram Program(string text, params BpfSharp.Runtime.Maps.BpfMap?[] maps) =>
        new(Assembler.Assemble(text, new MapSymbols(maps.Select(m => m?.Name ?? "").ToArray())), maps, "test");

    public static ulong Run(string text, InterpreterOptions? options = null) =>
        new Interpreter(options).Run(Program(text)).ReturnValue;

    public static BpfRuntimeException Fails(string text, InterpreterOptions? options = null) =>
        Assert.Throws<BpfRuntimeException>(() => new Interpreter(options).Run(Program(text)));
}
