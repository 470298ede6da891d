using BpfSharp.Runtime.Maps;

namespace BpfSharp.Runtime;

/// <summary>
/// The state of the run in progress, as helpers see it: the address space, the program running, the options,
/// what the program printed, and the interpreter to call back into (bpf_loop). One per <see cref="Interpreter"/>,
/// reset at each run.
/// </summary>
public sealed class BpfExecution
{
    internal readonly CallFrame[] Frames = new CallFrame[AddressSpace.MaxFrames];
    internal readonly int[] MayGotoCounters = new int[AddressSpace.MaxFrames];
    internal int Depth;
    internal long Remaining;
    internal RuntimeProgram? PendingTailCall;
    private readonly List<string> _trace = new();
    private readonly HashSet<ulong> _heldLocks = new();
    private ulong _random;

    internal BpfExecution(Interpreter interpreter)
    {
        Interpreter = interpreter;
        Program = null!;
    }

    /// <summary>The interpreter running the program.</summary>
    public Interpreter Interpreter { get; }

    /// <summary>The program's address space.</summary>
    public AddressSpace Memory => Interpreter.Memory;

    /// <summary>The options of the run.</summary>
    public InterpreterOptions Options => Interpreter.Options;

    /// <summary>The program whose code is running (changes on a tail call).</summary>
    public RuntimeProgram Program { get; internal set; }

    /// <summary>Tail calls made so far in this run.</summary>
    public int TailCalls { get; internal set; }

    /// <summary>The packet, redirect and ring buffer state of the run (the runner sets the packet; each run clears the rest).</summary>
    public RunEnvironment Environment { get; set; } = new();

    /// <summary>Lines written by bpf_trace_printk in this run.</summary>
    public IReadOnlyList<string> Trace => _trace;

    /// <summary>Adds a trace line.</summary>
    public void WriteTrace(string line) => _trace.Add(line);

    /// <summary>The next value of the run's seeded pseudo-random sequence (xorshift64*).</summary>
    public uint NextRandom()
    {
        _random ^= _random >> 12;
        _random ^= _random << 25;
        _random ^= _random >> 27;
        return (uint)((_random * 0x2545F4914F6CDD1DUL) >> 32);
    }

    /// <summary>The map behind a handle in a helper argument, or a runtime error naming the argument.</summary>
    public BpfMap MapArgument(ulong handle, int instructionIndex, string argument = "R1") =>
        Memory.TargetAt<BpfMap>(handle)
        ?? throw new BpfRuntimeException(instructionIndex, $"{argument} is not a map ({AddressSpace.Hex(handle)}: {Memory.Describe(handle)})");

    /// <summary>The run's packet, or a runtime error for a helper that needs one in a run without a packet.</summary>
    public PacketBuffer PacketArgument(int instructionIndex) =>
        Environment.Packet ?? throw new BpfRuntimeException(instructionIndex, "this helper needs a packet and the run has none");

    /// <summary>Asks for a tail call to <paramref name="program"/> once the current helper returns.</summary>
    public void RequestTailCall(RuntimeProgram program) => PendingTailCall = program;

    /// <summary>Calls the function at a callable address (bpf_loop's callback) in a new frame and returns its r0.</summary>
    public ulong CallFunction(ulong functionAddress, int instructionIndex, ulong r1 = 0, ulong r2 = 0, ulong r3 = 0, ulong r4 = 0, ulong r5 = 0)
    {
        var target = Memory.TargetAt<CodeAddress>(functionAddress)
            ?? throw new BpfRuntimeException(instructionIndex, $"{AddressSpace.Hex(functionAddress)} is not a function address ({Memory.Describe(functionAddress)})");
        return Interpreter.CallFunction(this, target, instructionIndex, r1, r2, r3, r4, r5);
    }

    /// <summary>Takes a bpf_spin_lock; taking one already held is a deadlock the run reports.</summary>
    internal void Lock(ulong address, int instructionIndex)
    {
        if (!_heldLocks.Add(address))
            throw new BpfRuntimeException(instructionIndex, $"bpf_spin_lock on {Memory.Describe(address)} which is already held (deadlock)");
    }

    /// <summary>Releases a bpf_spin_lock; releasing one not held is reported.</summary>
    internal void Unlock(ulong address, int instructionIndex)
    {
        if (!_heldLocks.Remove(address))
            throw new BpfRuntimeException(instructionIndex, $"bpf_spin_unlock on {Memory.Describe(address)} which is not held");
    }

    internal void Reset(RuntimeProgram program)
    {
        Program = program;
        Depth = 0;
        TailCalls = 0;
        PendingTailCall = null;
        Remaining = Options.InstructionBudget;
        MayGotoCounters[0] = Options.MayGotoLimit;
        _trace.Clear();
        _heldLocks.Clear();
        Environment.Reset();
        _random = Options.RandomSeed | 1;
    }
}
