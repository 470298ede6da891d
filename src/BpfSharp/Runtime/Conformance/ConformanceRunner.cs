using BpfSharp.Isa;

namespace BpfSharp.Runtime.Conformance;

/// <summary>
/// Runs a program under the conformance suite's execution contract: r1 = a writable copy of the memory (NULL when
/// there is none; also the packet legacy loads read), r2 = its length, r10 = the top of a 512-byte stack, result = r0.
/// </summary>
public static class ConformanceRunner
{
    /// <summary>Runs <paramref name="program"/> on a copy of <paramref name="memory"/> and returns r0 (64 bits).</summary>
    public static ulong Run(ReadOnlySpan<Instruction> program, ReadOnlySpan<byte> memory, InterpreterOptions? options = null)
    {
        var interpreter = new Interpreter(options);
        var runtimeProgram = new RuntimeProgram(program, name: "conformance");
        ulong r1 = 0;
        if (memory.Length > 0)
            r1 = interpreter.Memory.Map(MemorySlice.Of(memory.ToArray()), MemoryRegionKind.Packet, "mem", writable: true);
        return interpreter.Run(runtimeProgram, r1, (ulong)memory.Length).ReturnValue;
    }

    /// <summary>Runs a test and returns r0.</summary>
    public static ulong Run(ConformanceTest test, InterpreterOptions? options = null) => Run(test.Instructions, test.Memory, options);
}
