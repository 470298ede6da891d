namespace BpfSharp.Verifier;

/// <summary>
/// A dedicated pool for verifier states, their frames and the explored-state list nodes: the idea of the
/// kernel patch that gave the explored-state list its own slab cache, done the .NET way. A freed state goes
/// back to the pool with its arrays and is handed out again, so a long verification stops allocating once the
/// pool is warm. With pooling off every state is a fresh allocation left to the GC (the baseline the
/// benchmark compares against).
/// </summary>
internal sealed class StatePool
{
    private readonly bool _enabled;
    private readonly Stack<VerifierState> _states = new();
    private readonly Stack<FuncState> _frames = new();
    private readonly Stack<StateListNode> _nodes = new();
    private long _liveBytes;

    public StatePool(bool enabled) => _enabled = enabled;

    public long StatesCreated { get; private set; }
    public long StatesReused { get; private set; }
    public long FramesCreated { get; private set; }
    public long FramesReused { get; private set; }
    public long NodesCreated { get; private set; }
    public long NodesReused { get; private set; }
    /// <summary>Highest estimate of bytes held by live states plus the pool's idle objects.</summary>
    public long PeakRetainedBytes { get; private set; }

    public VerifierState RentState()
    {
        if (_enabled && _states.TryPop(out var s))
        {
            StatesReused++;
            return s;
        }
        StatesCreated++;
        return new VerifierState();
    }

    public void ReturnState(VerifierState s)
    {
        for (int i = 0; i < VerifierState.MaxFrames; i++)
        {
            if (s.Frames[i] is { } f)
            {
                ReturnFrame(f);
                s.Frames[i] = null;
            }
        }
        s.Parent = null;
        s.EqualState = null;
        s.Node = null;
        s.CurFrame = 0;
        s.HistoryCount = 0;
        s.RefCount = 0;
        if (_enabled) _states.Push(s);
    }

    public FuncState RentFrame()
    {
        if (_enabled && _frames.TryPop(out var f))
        {
            FramesReused++;
            return f;
        }
        FramesCreated++;
        return new FuncState();
    }

    public void ReturnFrame(FuncState f)
    {
        if (_enabled) _frames.Push(f);
    }

    public StateListNode RentNode()
    {
        if (_enabled && _nodes.TryPop(out var n))
        {
            NodesReused++;
            return n;
        }
        NodesCreated++;
        return new StateListNode();
    }

    public void ReturnNode(StateListNode n)
    {
        n.State = null!;
        n.Prev = n.Next = null;
        if (_enabled) _nodes.Push(n);
    }

    /// <summary>Account a state that became part of the retained set (checkpoint, pending branch).</summary>
    public void NoteLive(VerifierState s)
    {
        _liveBytes += s.RetainedBytes;
        if (_liveBytes > PeakRetainedBytes) PeakRetainedBytes = _liveBytes;
    }

    /// <summary>Account a state leaving the retained set.</summary>
    public void NoteDead(VerifierState s)
    {
        _liveBytes -= s.RetainedBytes;
        if (_liveBytes < 0) _liveBytes = 0;
    }
}
