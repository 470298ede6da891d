namespace BpfSharp.Runtime;

/// <summary>What a bpf-to-bpf call saves to return to its caller.</summary>
internal struct CallFrame
{
    public RuntimeProgram Program;
    public int ReturnIndex;
    public ulong R6, R7, R8, R9;
}
