namespace BpfSharp.Verifier;

/// <summary>A function of the program: where it starts and what the walk learnt about it.</summary>
internal sealed class SubprogInfo
{
    public int Start;
    public int End;
    public int StackDepth;
    public bool IsGlobal;
    public string Name = "";
    public bool HasTailCall;
    public bool HasLdAbs;
    public bool IsCallback;
    public bool IsAsyncCallback;
    public bool ChangesPacketData;
    public bool TailCallReachable;
    /// <summary>Index of this function's first instruction in the post-order of the control-flow graph.</summary>
    public int PostorderStart;
    public int PostorderEnd;
}
