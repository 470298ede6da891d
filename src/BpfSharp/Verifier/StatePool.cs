namespace BpfSharp.Verifier;

/// <summary>
/// A dedicated pool for verifier states, their frames and the explored-state list nodes: the idea of the
/// kernel patch that gave the explored-state list nodes their own slab cache, done the .NET way. A freed
/// state goes back to the pool with its arrays and is handed out again. Like a slab cache (and like
/// <see cref="System.Buffers.ArrayPool{T}.Shared"/>) the pool outlives one verification: each thread has
/// one, so a tool verifying many programs, or one program repeatedly, stops allocating states once the pool
/// is warm. The idle part is capped so a huge program does not pin its peak forever. With pooling off every
/// state is a fresh allocation left to the GC (the baseline the benchmark compares against).
/// </summary>
internal sealed class StatePool
{
    /// <summary>Idle objects kept per kind between verifications; more than the peak of most programs.</summary>
    public const int MaxIdle = 4096;

    [ThreadStatic] private static StatePool? t_shared;

    private readonly bool _enabled;
    private readonly Stack<VerifierState> _states = new();
    private readonly Stack<FuncState> _frames = new();
    private readonly Stack<StateListNode> _nodes = new();
    private long _liveBytes;

    public StatePool(bool enabled) => _enabled = enabled;

    /// <summary>This thread's pool. A verification runs on one thread from start to end, so it has the pool to itself.</summary>
    public static StatePool Shared => t_shared ??= new StatePool(enabled: true);

    public long StatesCreated { get; private set; }
    public long StatesReused { get; private set; }
    public long FramesCreated { get; private set; }
    public long FramesReused { get; private set; }
    public long NodesCreated { get; private set; }
    public long NodesReused { get; private set; }
    /// <summary>Highest estimate of bytes held by live states (checkpoints and pending branches) in this verification.</summary>
    public long PeakRetainedBytes { get; private set; }
    /// <summary>Idle states waiting to be reused.</summary>
    public int IdleStates => _states.Count;

    /// <summary>Reset the per-verification counters; idle objects stay for reuse.</summary>
    public void BeginVerification()
    {
        StatesCreated = StatesReused = FramesCreated = FramesReused = NodesCreated = NodesReused = 0;
        PeakRetainedBytes = 0;
        _liveBytes = 0;
    }

    public VerifierState RentState()
    {
        if (_enabled && _states.TryPop(out var s))
        {
            s.InPool = false;
            s.Reset();
            StatesReused++;
            return s;
        }
        StatesCreated++;
        return new VerifierState();
    }

    public void ReturnState(VerifierState s)
    {
        // A state handed back twice would later be rented twice; refuse the second return.
        if (s.InPool) return;
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
        if (_enabled && _states.Count < MaxIdle)
        {
            s.InPool = true;
            _states.Push(s);
        }
    }

    public FuncState RentFrame()
    {
        if (_enabled && _frames.TryPop(out var f))
        {
            f.InPool = false;
            FramesReused++;
            return f;
        }
        FramesCreated++;
        return new FuncState();
    }

    public void ReturnFrame(FuncState f)
    {
        if (f.InPool || !_enabled || _frames.Count >= MaxIdle) return;
        f.InPool = true;
        _frames.Push(f);
    }

    public StateListNode RentNode()
    {
        if (_enabled && _nodes.TryPop(out var n))
        {
            n.InPool = false;
            NodesReused++;
            return n;
        }
        NodesCreated++;
        return new StateListNode();
    }

    public void ReturnNode(StateListNode n)
    {
        if (n.InPool) return;
        n.State = null!;
        n.Prev = n.Next = null;
        n.MissCnt = n.HitCnt = 0;
        n.InFreeList = false;
        if (!_enabled || _nodes.Count >= MaxIdle) return;
        n.InPool = true;
        _nodes.Push(n);
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
