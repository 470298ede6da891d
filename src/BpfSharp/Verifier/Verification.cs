using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using BpfSharp.Isa;
using BpfSharp.Loader;

namespace BpfSharp.Verifier;

/// <summary>
/// One run of the verifier over one program: the path-sensitive walk with its pending branches, explored-state
/// lists and statistics. This file holds the walk and state management; the instruction checks, calls, control
/// flow and precision tracking live in the other parts of this partial class.
/// </summary>
internal sealed partial class Verification
{
    public const int ComplexityLimitInsns = 1_000_000;
    public const int ComplexityLimitJmpSeq = 8192;
    private const int MainFunc = -1;

    private readonly Instruction[] _insns;
    private readonly ProgramType _progType;
    private readonly AttachType? _attachType;
    private readonly VerifierMap[] _maps;
    private readonly bool _gpl;
    private readonly bool _sleepable;

    /// <summary>Whether the current path may sleep: a sleepable program, or a sleepable async callback.</summary>
    private bool InSleepable => _sleepable || (_cur?.InSleepable ?? false);
    private readonly VerifierOptions _options;
    private readonly VerifierLog _log;
    private readonly InsnAux[] _aux;
    private readonly LineInfoTable? _lines;
    private readonly StatePool _pool;
    private readonly IReadOnlyList<FunctionSignature> _funcInfos;
    private SubprogInfo[] _subprogs = [];

    private VerifierState _cur = null!;
    private int _insnIdx;
    private int _prevInsnIdx;

    private struct PendingBranch
    {
        public VerifierState State;
        public int InsnIdx;
        public int PrevInsnIdx;
        public int LogPos;
    }

    private PendingBranch[] _stack = new PendingBranch[16];
    private int _stackSize;

    private StateListNode?[] _buckets = [];
    private readonly StateListNode _freeList = new();

    private long _insnProcessed;
    private long _prevInsnProcessed;
    private long _jmpsProcessed;
    private long _prevJmpsProcessed;
    private int _totalStates;
    private int _peakStates;
    private int _exploredStatesSize;
    private int _freeListSize;
    private int _numBackedges;
    private int _maxStatesPerInsn;
    private int _idGen;
    private int _curHistIdx = -1;

    // Register/stack "scratch" marks: which parts of the state changed since the log last printed it.
    private ushort _scratchedRegs;
    private ulong _scratchedStack;
    private int _prevLogPos;
    private int _prevInsnPrintPos;
    private int _prevLineInfo = -1;

    public Verification(VerifierProgram program, VerifierOptions options)
    {
        _insns = program.Instructions;
        _progType = program.Type;
        _attachType = program.ExpectedAttachType;
        _maps = program.MapTable;
        _gpl = program.GplCompatible;
        _sleepable = program.Sleepable;
        _funcInfos = program.FunctionInfos;
        _lines = program.Lines;
        _options = options;
        _log = new VerifierLog(options.LogLevel);
        // Reused per thread: only one verification runs on a thread at a time (BpfVerifier.Run).
        _aux = ScratchArray<InsnAux>.Get(0, _insns.Length);
        _pool = options.PoolStates ? StatePool.Shared : new StatePool(enabled: false);
        _pool.BeginVerification();
    }

    public VerifierLog Log => _log;
    public string ErrorText => _log.ErrorText;
    public StatePool Pool => _pool;
    public long InsnProcessed => _insnProcessed;
    public int TotalStates => _totalStates;
    public int PeakStates => _peakStates;
    public int MaxStatesPerInsn => _maxStatesPerInsn;
    public IReadOnlyList<int> StackDepths => _subprogs.Select(s => s.StackDepth).ToArray();

    /// <summary>Verify; returns 0 when accepted or the errno of the rejection.</summary>
    public int Run()
    {
        try
        {
            if (_insns.Length == 0)
            {
                Reject("no instructions", VerifierReject.EINVAL);
            }
            FindSubprograms();
            CheckInstructionEncodings();
            CheckControlFlow();
            BuildSuccessors();
            ComputePostorder();
            ComputeSccs();
            ComputeLiveRegisters();
            InitStackLiveness();
            DoCheckMain();
            DoCheckGlobalSubprograms();
            CheckMaxStackDepth();
            return 0;
        }
        catch (VerifierReject r)
        {
            return r.Errno;
        }
        finally
        {
            ReleaseAllStates();
            ReleaseStackLiveness();
        }
    }

    // ---- errors --------------------------------------------------------------------------------------

    /// <summary>Log <paramref name="message"/> (the kernel's verbose() with a newline) and reject.</summary>
    [DoesNotReturn]
    private void Reject(string message, int errno = VerifierReject.EACCES)
    {
        _log.Append(message);
        _log.Append('\n');
        throw new VerifierReject(errno);
    }

    /// <summary>Reject without a trailing newline (messages the kernel prints without one).</summary>
    [DoesNotReturn]
    private void RejectRaw(string message, int errno)
    {
        _log.Append(message);
        throw new VerifierReject(errno);
    }

    [DoesNotReturn]
    private static void Unsupported(string reason) => throw new VerifierUnsupported(reason);

    private void Verbose(string message) => _log.Append(message);

    // ---- the walk ------------------------------------------------------------------------------------

    private void DoCheckMain()
    {
        _subprogs[0].IsGlobal = false;
        DoCheckCommon(0);
    }

    /// <summary>
    /// Global functions are verified on their own, once each, for any arguments matching their prototype
    /// (do_check_subprogs): repeated until no newly called global function is left.
    /// </summary>
    private void DoCheckGlobalSubprograms()
    {
        if (_funcInfos.Count == 0) return;
        var verified = new HashSet<int>();
        int newCount;
        do
        {
            newCount = 0;
            for (int i = 1; i < _subprogs.Length; i++)
            {
                if (!_subprogs[i].IsGlobal || !_globalCalled.Contains(i) || !verified.Add(i)) continue;
                DoCheckCommon(i);
                if (_log.Enabled) Verbose($"Func#{i} ('{_subprogs[i].Name}') is safe for any args that match its prototype\n");
                newCount++;
            }
        }
        while (newCount > 0);
    }

    private readonly HashSet<int> _globalCalled = [];

    private void DoCheckCommon(int subprog)
    {
        // Each function verified on its own starts a fresh path: the previous walk's state and call chain go.
        if ((VerifierState?)_cur is { } previous) _pool.ReturnState(previous);
        ResetLiveStackCallchain();
        var state = _pool.RentState();
        state.CurFrame = 0;
        state.Branches = 1;
        state.Parent = null;
        state.FirstInsnIdx = _subprogs[subprog].Start;
        state.LastInsnIdx = -1;
        state.InsnIdx = _subprogs[subprog].Start;
        var frame = _pool.RentFrame();
        frame.Init(MainFunc, 0, subprog);
        state.Frames[0] = frame;
        _cur = state;
        _insnIdx = _subprogs[subprog].Start;
        MarkAllScratched();
        if (subprog == 0)
        {
            // The main function's BTF prototype is checked too; a mismatch only marks its BTF unreliable, but
            // the kernel logs why (a ctx argument typed by a forward declaration, for instance).
            if (SignatureOf(0) is { ArgsError: { } mainArgs } mainSig && mainSig.LogsForMain)
                Verbose(mainArgs + "\n");
            frame.Regs[1].SetPointer(RegType.Ctx);
        }
        else
        {
            var sig = SignatureOf(subprog);
            Verbose($"Validating {_subprogs[subprog].Name}() func#{subprog}...\n");
            if (sig?.ArgsError is { } error) Reject(error, VerifierReject.EINVAL);
            var args = sig?.Args ?? [];
            for (int i = 0; i < args.Length; i++)
            {
                ref var reg = ref frame.Regs[i + 1];
                switch (args[i].Kind)
                {
                    case GlobalArgKind.Ctx:
                        reg.SetPointer(RegType.Ctx);
                        break;
                    case GlobalArgKind.Anything:
                        reg.MarkUnknown();
                        break;
                    case GlobalArgKind.Mem:
                        reg.SetPointer(RegType.Mem, args[i].MaybeNull ? RegFlags.MaybeNull : RegFlags.None, args[i].MemSize);
                        if (args[i].MaybeNull) reg.Id = ++_idGen;
                        break;
                }
            }
        }
        DoCheck();
        FreeExploredStates();
        if ((_log.Level & VerifierLog.LevelVerbose) == 0 && _log.Enabled)
        {
            // A level-1 log of an accepted program holds only the statistics.
            _log.Reset(0);
        }
    }

    private void DoCheck()
    {
        bool popLog = !_log.Verbose;
        bool doPrintState = false;
        int prevInsnIdx = -1;
        int insnCount = _insns.Length;
        for (; ; )
        {
            _curHistIdx = -1;
            _prevInsnIdx = prevInsnIdx;
            if (_insnIdx >= insnCount)
                Reject($"invalid insn idx {_insnIdx} insn_cnt {insnCount}", VerifierReject.EFAULT);

            if (++_insnProcessed > ComplexityLimitInsns)
                Reject($"BPF program is too large. Processed {_insnProcessed} insn", VerifierReject.E2BIG);

            var state = _cur;
            state.LastInsnIdx = _prevInsnIdx;
            state.InsnIdx = _insnIdx;

            bool pruned = false;
            if (_aux[_insnIdx].PrunePoint)
            {
                if (IsStateVisited(_insnIdx))
                {
                    if (_log.Enabled)
                    {
                        if (doPrintState)
                            Verbose($"\nfrom {_prevInsnIdx} to {_insnIdx}: safe\n");
                        else
                            Verbose($"{_insnIdx}: safe\n");
                    }
                    pruned = true;
                }
            }

            if (!pruned)
            {
                if (_aux[_insnIdx].JmpPoint)
                    PushJmpHistory(_cur, 0, 0);

                if (_log.Verbose && doPrintState)
                {
                    Verbose($"\nfrom {_prevInsnIdx} to {_insnIdx}:");
                    PrintVerifierState(_cur, _cur.CurFrame, true);
                    doPrintState = false;
                }

                if (_log.Enabled)
                {
                    if (StateScratched) PrintInsnState(_cur, _cur.CurFrame);
                    VerboseLineInfo(_insnIdx, "; ");
                    _prevLogPos = _log.EndPos;
                    Verbose($"{_insnIdx}: ");
                    Verbose(InstructionText(_insnIdx));
                    Verbose("\n");
                    _prevInsnPrintPos = _log.EndPos - _prevLogPos;
                    _prevLogPos = _log.EndPos;
                }

                _aux[_insnIdx].Seen = true;
                prevInsnIdx = _insnIdx;
                _stackWriteInsn = _insnIdx;
                _stackWriteMasks.AsSpan().Clear();
                _ = CurInstance;
                bool exit = DoCheckInsn(ref doPrintState);
                CommitStackWriteMarks();
                if (!exit) continue;
            }

            // The path ended (exit or pruned): account for it and take the next pending branch.
            MarkAllScratched();
            UpdateBranchCounts(_cur);
            // What the finished path read feeds the stack liveness before the next path starts.
            UpdateLiveStack();
            if (!PopStack(ref prevInsnIdx, popLog))
                break;
            doPrintState = true;
        }
    }

    private FunctionSignature? SignatureOf(int subprog)
    {
        int start = _subprogs[subprog].Start;
        foreach (var f in _funcInfos)
            if (f.Insn == start) return f;
        return null;
    }

    /// <summary>Between two functions' verifications the explored states are dropped (free_states).</summary>
    private void FreeExploredStates()
    {
        for (int b = 0; b < _buckets.Length && b < _insns.Length; b++)
        {
            for (var n = _buckets[b]?.Next; n is not null;)
            {
                var next = n.Next;
                n.State.Node = null;
                _pool.NoteDead(n.State);
                _pool.ReturnState(n.State);
                _pool.ReturnNode(n);
                n = next;
            }
            if (_buckets[b] is { } head) head.Next = null;
        }
        for (var n = _freeList.Next; n is not null;)
        {
            var next = n.Next;
            n.State.Node = null;
            _pool.NoteDead(n.State);
            _pool.ReturnState(n.State);
            _pool.ReturnNode(n);
            n = next;
        }
        _freeList.Next = null;
        // Like the kernel, the state counters keep counting: peak_states spans all functions.
        ReleaseBackedges();
        _sccVisits.Clear();
    }

    // ---- pending branches ----------------------------------------------------------------------------

    /// <summary>Queue a copy of the current state to continue at <paramref name="insnIdx"/> later.</summary>
    private VerifierState PushStack(int insnIdx, int prevInsnIdx)
    {
        if (_stackSize == _stack.Length) Array.Resize(ref _stack, _stack.Length * 2);
        var copy = _pool.RentState();
        CopyState(copy, _cur);
        _stack[_stackSize++] = new PendingBranch { State = copy, InsnIdx = insnIdx, PrevInsnIdx = prevInsnIdx, LogPos = _log.EndPos };
        if (_stackSize > ComplexityLimitJmpSeq)
            Reject($"The sequence of {_stackSize} jumps is too complex.", VerifierReject.ENOMEM);
        if (copy.Parent is not null) copy.Parent.Branches++;
        _pool.NoteLive(copy);
        return copy;
    }

    private bool PopStack(ref int prevInsnIdx, bool popLog)
    {
        if (_stackSize == 0) return false;
        var head = _stack[--_stackSize];
        _stack[_stackSize] = default;
        CopyState(_cur, head.State);
        if (popLog) _log.Reset(head.LogPos);
        _insnIdx = head.InsnIdx;
        prevInsnIdx = head.PrevInsnIdx;
        _pool.NoteDead(head.State);
        _pool.ReturnState(head.State);
        return true;
    }

    private void UpdateBranchCounts(VerifierState? st)
    {
        StateListNode? sl = null;
        while (st is not null)
        {
            int br = --st.Branches;
            Debug.Assert(br >= 0);
            if (br > 0) break;
            MaybeExitScc(st);
            var parent = st.Parent;
            var parentNode = parent?.Node;
            if (sl is not null) MaybeFreeVerifierState(sl);
            st = parent;
            sl = parentNode;
        }
    }

    private void MaybeFreeVerifierState(StateListNode sl)
    {
        if (!sl.InFreeList || sl.State.Branches != 0 || IncompleteReadMarks(sl.State)) return;
        sl.Unlink();
        _freeListSize--;
        var st = sl.State;
        st.Node = null;
        _pool.NoteDead(st);
        _pool.ReturnState(st);
        _pool.ReturnNode(sl);
    }

    private void ReleaseAllStates()
    {
        // Hand everything back to the pool, as the kernel's free_states() does at the end.
        while (_stackSize > 0)
        {
            var head = _stack[--_stackSize];
            _stack[_stackSize] = default;
            _pool.ReturnState(head.State);
        }
        for (int b = 0; b < _buckets.Length && b < _insns.Length; b++)
        {
            var sentinel = _buckets[b];
            for (var n = sentinel?.Next; n is not null;)
            {
                var next = n.Next;
                n.State.Node = null;
                _pool.ReturnState(n.State);
                _pool.ReturnNode(n);
                n = next;
            }
        }
        for (var n = _freeList.Next; n is not null;)
        {
            var next = n.Next;
            n.State.Node = null;
            _pool.ReturnState(n.State);
            _pool.ReturnNode(n);
            n = next;
        }
        _freeList.Next = null;
        ReleaseBackedges();
        if (_cur is not null) _pool.ReturnState(_cur);
    }

    // ---- state copies --------------------------------------------------------------------------------

    private void CopyState(VerifierState dst, VerifierState src)
    {
        if (dst.History.Length < src.HistoryCount) dst.History = new JmpHistoryEntry[Math.Max(src.HistoryCount, 8)];
        Array.Copy(src.History, dst.History, src.HistoryCount);
        dst.HistoryCount = src.HistoryCount;
        for (int i = src.CurFrame + 1; i <= dst.CurFrame; i++)
        {
            if (dst.Frames[i] is { } f) _pool.ReturnFrame(f);
            dst.Frames[i] = null;
        }
        if (dst.Refs.Length < src.RefCount) dst.Refs = new RefState[Math.Max(src.RefCount, 4)];
        Array.Copy(src.Refs, dst.Refs, src.RefCount);
        if (dst.RefCount > src.RefCount) Array.Clear(dst.Refs, src.RefCount, dst.RefCount - src.RefCount);
        dst.RefCount = src.RefCount;
        dst.ActiveLocks = src.ActiveLocks;
        dst.ActiveLockId = src.ActiveLockId;
        dst.ActiveLockPtr = src.ActiveLockPtr;
        dst.ActiveRcuLock = src.ActiveRcuLock;
        dst.ActivePreemptLocks = src.ActivePreemptLocks;
        dst.ActiveIrqId = src.ActiveIrqId;
        dst.Speculative = src.Speculative;
        dst.InSleepable = src.InSleepable;
        dst.Cleaned = src.Cleaned;
        dst.CurFrame = src.CurFrame;
        dst.Branches = src.Branches;
        dst.Parent = src.Parent;
        dst.FirstInsnIdx = src.FirstInsnIdx;
        dst.LastInsnIdx = src.LastInsnIdx;
        dst.DfsDepth = src.DfsDepth;
        dst.CallbackUnrollDepth = src.CallbackUnrollDepth;
        dst.MayGotoDepth = src.MayGotoDepth;
        dst.EqualState = src.EqualState;
        dst.InsnIdx = src.InsnIdx;
        for (int i = 0; i <= src.CurFrame; i++)
        {
            var f = dst.Frames[i] ??= _pool.RentFrame();
            f.CopyFrom(src.Frames[i]!);
        }
    }

    // ---- jump history --------------------------------------------------------------------------------

    private void PushJmpHistory(VerifierState st, int flags, ulong linkedRegs)
    {
        if (_curHistIdx >= 0 && st == _cur)
        {
            ref var e = ref st.History[_curHistIdx];
            e.Flags |= flags;
            e.LinkedRegs = linkedRegs;
            return;
        }
        st.PushHistory(new JmpHistoryEntry { Idx = _insnIdx, PrevIdx = _prevInsnIdx, Flags = flags, LinkedRegs = linkedRegs });
        if (st == _cur) _curHistIdx = st.HistoryCount - 1;
    }

    // ---- explored states -----------------------------------------------------------------------------

    private StateListNode BucketHead(int insnIdx)
    {
        if (_buckets.Length == 0) _buckets = ScratchArray<StateListNode?>.Get(0, _insns.Length);
        int h = (int)((uint)(insnIdx ^ _cur.Frame.CallSite) % (uint)_insns.Length);
        return _buckets[h] ??= new StateListNode();
    }

    private void UpdatePeakStates()
    {
        int cur = _exploredStatesSize + _freeListSize + _numBackedges;
        if (cur > _peakStates) _peakStates = cur;
    }

    /// <summary>
    /// The kernel's is_state_visited: true when an explored state at this prune point covers the current one
    /// (the path can stop); otherwise maybe checkpoints the current state.
    /// </summary>
    private bool IsStateVisited(int insnIdx)
    {
        var cur = _cur;
        bool forceNewState = _aux[insnIdx].ForceCheckpoint || cur.HistoryCount > 40;
        bool addNewState = forceNewState;
        if (_jmpsProcessed - _prevJmpsProcessed >= 2 && _insnProcessed - _prevInsnProcessed >= 8)
            addNewState = true;

        CleanLiveStates(insnIdx, cur);

        var head = BucketHead(insnIdx);
        int statesCnt = 0;
        for (var sl = head.Next; sl is not null;)
        {
            var next = sl.Next;
            statesCnt++;
            var st = sl.State;
            if (st.InsnIdx != insnIdx)
            {
                sl = next;
                continue;
            }
            bool loop = false;
            bool hit = false;
            if (st.Branches > 0)
            {
                bool skipInfLoopCheck = false;
                if (IsMayGoto(insnIdx) && st.MayGotoDepth != cur.MayGotoDepth && StatesEqual(st, cur, ExactLevel.RangeWithin))
                {
                    loop = true;
                    hit = true;
                }
                else if (_aux[insnIdx].CallsCallback)
                {
                    if (StatesEqual(st, cur, ExactLevel.RangeWithin)) hit = true;
                    else skipInfLoopCheck = true;
                }
                if (!hit)
                {
                    if (!skipInfLoopCheck && StatesMaybeLooping(st, cur) && StatesEqual(st, cur, ExactLevel.Exact) &&
                        st.MayGotoDepth == cur.MayGotoDepth && st.CallbackUnrollDepth == cur.CallbackUnrollDepth)
                    {
                        VerboseLineInfo(insnIdx, "; ");
                        Verbose($"infinite loop detected at insn {insnIdx}\n");
                        Verbose("cur state:");
                        PrintVerifierState(cur, cur.CurFrame, true);
                        Verbose("old state:");
                        PrintVerifierState(st, cur.CurFrame, true);
                        throw new VerifierReject(VerifierReject.EINVAL);
                    }
                    if (!forceNewState && _jmpsProcessed - _prevJmpsProcessed < 20 && _insnProcessed - _prevInsnProcessed < 100)
                        addNewState = false;
                }
            }
            else
            {
                loop = IncompleteReadMarks(st);
                hit = StatesEqual(st, cur, loop ? ExactLevel.RangeWithin : ExactLevel.NotExact);
            }

            if (hit)
            {
                sl.HitCnt++;
                if (_aux[_insnIdx].JmpPoint) PushJmpHistory(cur, 0, 0);
                PropagatePrecision(st, cur);
                if (loop) AddBackedge(st, cur, insnIdx);
                return true;
            }

            // miss
            if (addNewState) sl.MissCnt++;
            int n = _aux[insnIdx].ForceCheckpoint && st.Branches > 0 ? 64 : 3;
            if (sl.MissCnt > sl.HitCnt * n + n)
            {
                sl.InFreeList = true;
                sl.Unlink();
                sl.InsertAfter(_freeList);
                _freeListSize++;
                _exploredStatesSize--;
                MaybeFreeVerifierState(sl);
            }
            sl = next;
        }

        // Only reached on a miss: a hit returns above, so programs whose revisits all prune report 0.
        if (_maxStatesPerInsn < statesCnt) _maxStatesPerInsn = statesCnt;

        if (!addNewState) return false;

        var node = _pool.RentNode();
        _totalStates++;
        _exploredStatesSize++;
        UpdatePeakStates();
        _prevJmpsProcessed = _jmpsProcessed;
        _prevInsnProcessed = _insnProcessed;

        MarkAllScalarsImprecise(cur);

        var copy = _pool.RentState();
        CopyState(copy, cur);
        copy.InsnIdx = insnIdx;
        Debug.Assert(copy.Branches == 1);
        copy.Node = node;
        node.State = copy;
        node.HitCnt = node.MissCnt = 0;
        node.InFreeList = false;
        MaybeEnterScc(copy);

        cur.Parent = copy;
        cur.FirstInsnIdx = insnIdx;
        cur.DfsDepth = copy.DfsDepth + 1;
        cur.ClearHistory();
        _curHistIdx = -1;
        node.InsertAfter(head);
        _pool.NoteLive(copy);
        return false;
    }

    private bool IsMayGoto(int insnIdx) => _insns[insnIdx].Opcode == 0xe5;

    private static bool StatesMaybeLooping(VerifierState old, VerifierState cur)
    {
        int fr = cur.CurFrame;
        if (old.CurFrame != fr) return false;
        var a = old.Frames[fr]!.Regs;
        var b = cur.Frames[fr]!.Regs;
        for (int i = 0; i < FuncState.RegCount; i++)
            if (!a[i].SameExceptIds(b[i]) || a[i].Id != b[i].Id || a[i].RefObjId != b[i].RefObjId)
                return false;
        return true;
    }

    // ---- clean-up of dead registers and slots before comparison --------------------------------------

    private void CleanLiveStates(int insnIdx, VerifierState cur)
    {
        var head = BucketHead(insnIdx);
        for (var sl = head.Next; sl is not null; sl = sl.Next)
        {
            var st = sl.State;
            if (st.Branches != 0) continue;
            if (st.InsnIdx != insnIdx || !st.SameCallsites(cur)) continue;
            if (st.Cleaned) continue;
            if (IncompleteReadMarks(st)) continue;
            CleanVerifierState(st);
        }
    }

    private void CleanVerifierState(VerifierState st)
    {
        st.Cleaned = true;
        StackLivenessQueryInit(st);
        for (int i = 0; i <= st.CurFrame; i++)
        {
            int ip = st.FrameInsnIdx(i);
            var f = st.Frames[i]!;
            ushort live = _aux[ip].LiveRegsBefore;
            for (int r = 0; r < 10; r++)
                if ((live & (1 << r)) == 0) f.Regs[r].MarkNotInit();
            for (int spi = 0; spi < f.Slots; spi++)
            {
                if (StackSlotAlive(i, spi)) continue;
                f.Spilled[spi].MarkNotInit();
                for (int j = 0; j < 8; j++) f.Slot(spi, j) = StackSlotType.Invalid;
            }
        }
    }

    // ---- state equivalence ---------------------------------------------------------------------------

    private enum ExactLevel
    {
        NotExact,
        Exact,
        RangeWithin,
    }

    private readonly IdMap _idmap = new();

    private bool StatesEqual(VerifierState old, VerifierState cur, ExactLevel exact)
    {
        if (old.CurFrame != cur.CurFrame) return false;
        _idmap.Reset(_idGen);
        if (old.Speculative && !cur.Speculative) return false;
        if (old.InSleepable != cur.InSleepable) return false;
        if (!RefSafe(old, cur)) return false;
        for (int i = 0; i <= old.CurFrame; i++)
        {
            int insnIdx = old.FrameInsnIdx(i);
            if (old.Frames[i]!.CallSite != cur.Frames[i]!.CallSite) return false;
            if (!FuncStatesEqual(old.Frames[i]!, cur.Frames[i]!, insnIdx, exact)) return false;
        }
        return true;
    }

    private bool RefSafe(VerifierState old, VerifierState cur)
    {
        if (old.RefCount != cur.RefCount) return false;
        if (old.ActiveLocks != cur.ActiveLocks) return false;
        if (old.ActivePreemptLocks != cur.ActivePreemptLocks) return false;
        if (old.ActiveRcuLock != cur.ActiveRcuLock) return false;
        if (!_idmap.CheckIds(old.ActiveIrqId, cur.ActiveIrqId)) return false;
        if (!_idmap.CheckIds(old.ActiveLockId, cur.ActiveLockId) || old.ActiveLockPtr != cur.ActiveLockPtr) return false;
        for (int i = 0; i < old.RefCount; i++)
        {
            if (!_idmap.CheckIds(old.Refs[i].Id, cur.Refs[i].Id) || old.Refs[i].Kind != cur.Refs[i].Kind) return false;
            if (old.Refs[i].Kind == RefKind.Lock && old.Refs[i].Ptr != cur.Refs[i].Ptr) return false;
        }
        return true;
    }

    private bool FuncStatesEqual(FuncState old, FuncState cur, int insnIdx, ExactLevel exact)
    {
        ushort live = _aux[insnIdx].LiveRegsBefore;
        if (old.CallbackDepth > cur.CallbackDepth) return false;
        for (int i = 0; i < FuncState.RegCount; i++)
            if ((live & (1 << i)) != 0 && !RegSafe(in old.Regs[i], in cur.Regs[i], exact))
                return false;
        return StackSafe(old, cur, exact);
    }

    private bool RegsExact(in RegState old, in RegState cur) =>
        old.SameExceptIds(cur) && _idmap.CheckIds(old.Id, cur.Id) && _idmap.CheckIds(old.RefObjId, cur.RefObjId);

    private static bool RangeWithin(in ScalarValue old, in ScalarValue cur) =>
        old.UMin <= cur.UMin && old.UMax >= cur.UMax && old.SMin <= cur.SMin && old.SMax >= cur.SMax &&
        old.U32Min <= cur.U32Min && old.U32Max >= cur.U32Max && old.S32Min <= cur.S32Min && old.S32Max >= cur.S32Max;

    /// <summary>True if a state safe with <paramref name="old"/> is safe with <paramref name="cur"/>.</summary>
    private bool RegSafe(in RegState old, in RegState cur, ExactLevel exact)
    {
        if (exact == ExactLevel.Exact) return RegsExact(old, cur);
        if (old.Type == RegType.NotInit && (exact == ExactLevel.NotExact || cur.Type == RegType.NotInit)) return true;
        if (old.Type != cur.Type || old.Flags != cur.Flags) return false;
        switch (old.Type)
        {
            case RegType.Scalar:
                if (!old.Precise && exact == ExactLevel.NotExact) return true;
                if ((old.Id & RegState.AddConst) != (cur.Id & RegState.AddConst)) return false;
                if ((old.Id & RegState.AddConst) != 0 && old.Off != cur.Off) return false;
                return RangeWithin(old.Value, cur.Value) && old.Value.VarOff.Contains(cur.Value.VarOff) &&
                       _idmap.CheckScalarIds(old.Id, cur.Id);
            case RegType.MapKey or RegType.MapValue or RegType.Mem or RegType.Buffer or RegType.TpBuffer:
                return old.SameHeader(cur) && RangeWithin(old.Value, cur.Value) &&
                       old.Value.VarOff.Contains(cur.Value.VarOff) &&
                       _idmap.CheckIds(old.Id, cur.Id) && _idmap.CheckIds(old.RefObjId, cur.RefObjId);
            case RegType.PacketMeta or RegType.Packet:
                // A negative range is a marker (at or beyond the packet end), not a length: it must match exactly.
                if (old.Range < 0 || cur.Range < 0)
                {
                    if (old.Range != cur.Range) return false;
                }
                else if (old.Range > cur.Range) return false;
                if (old.Off != cur.Off) return false;
                if (!_idmap.CheckIds(old.Id, cur.Id)) return false;
                return RangeWithin(old.Value, cur.Value) && old.Value.VarOff.Contains(cur.Value.VarOff);
            case RegType.Stack:
                return RegsExact(old, cur) && old.FrameNo == cur.FrameNo;
            case RegType.Arena:
                return true;
            default:
                return RegsExact(old, cur);
        }
    }

    private static readonly RegState UnboundScalar = MakeUnbound();

    private static RegState MakeUnbound()
    {
        var r = default(RegState);
        r.MarkUnknown();
        return r;
    }

    private static bool IsStackAllMisc(FuncState f, int spi)
    {
        for (int j = 0; j < 8; j++)
        {
            var t = f.Slot(spi, j);
            if (t is StackSlotType.Misc or StackSlotType.Invalid) continue;
            return false;
        }
        return true;
    }

    private static bool ScalarRegForStack(FuncState f, int spi, out RegState reg)
    {
        if (f.IsSpilledScalar64(spi))
        {
            reg = f.Spilled[spi];
            return true;
        }
        if (IsStackAllMisc(f, spi))
        {
            reg = UnboundScalar;
            return true;
        }
        reg = default;
        return false;
    }

    private bool StackSafe(FuncState old, FuncState cur, ExactLevel exact)
    {
        for (int i = 0; i < old.AllocatedStack; i++)
        {
            int spi = i / 8;
            int j = i % 8;
            var oldType = old.Slot(spi, j);
            if (exact != ExactLevel.NotExact &&
                (i >= cur.AllocatedStack || oldType != cur.Slot(spi, j)))
                return false;
            if (oldType == StackSlotType.Invalid) continue;
            if (oldType == StackSlotType.Misc) continue;
            if (i >= cur.AllocatedStack) return false;
            if (ScalarRegForStack(old, spi, out var oldReg) && ScalarRegForStack(cur, spi, out var curReg))
            {
                if (!RegSafe(in oldReg, in curReg, exact)) return false;
                i += 8 - 1 - j;
                continue;
            }
            var curType = cur.Slot(spi, j);
            if (oldType == StackSlotType.Misc && curType == StackSlotType.Zero) continue;
            if (oldType != curType) return false;
            if (j != 7) continue;
            switch (old.Slot(spi, 7))
            {
                case StackSlotType.Spill:
                    if (!RegSafe(in old.Spilled[spi], in cur.Spilled[spi], exact)) return false;
                    break;
                case StackSlotType.Misc or StackSlotType.Zero or StackSlotType.Invalid:
                    continue;
                default:
                    return false;
            }
        }
        return true;
    }
}
