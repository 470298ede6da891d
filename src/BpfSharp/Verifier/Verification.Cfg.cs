using BpfSharp.Isa;

namespace BpfSharp.Verifier;

/// <summary>
/// What the kernel checks before the walk: instruction encodings, functions and their boundaries, the
/// control-flow graph (unreachable code, jumps out of range or into an ld_imm64), prune and jump points, loops.
/// </summary>
internal sealed partial class Verification
{
    private int[] _postorder = [];
    private int _postorderCount;
    private int[] _successors = [];
    private byte[] _successorCount = [];
    private bool[] _secondSlot = [];

    /// <summary>Helpers that call a callback synchronously, maybe many times.</summary>
    private static bool IsSyncCallbackHelper(int id) => id is HelperIds.Loop or HelperIds.ForEachMapElem or
        HelperIds.FindVma or HelperIds.UserRingbufDrain;

    private static bool IsSyncCallbackCall(Instruction insn) =>
        insn.Opcode == 0x85 && insn.Src == PseudoSource.Helper && IsSyncCallbackHelper(insn.Immediate);

    private static bool IsAsyncCallbackCall(Instruction insn) =>
        insn.Opcode == 0x85 && insn.Src == PseudoSource.Helper && insn.Immediate == HelperIds.TimerSetCallback;

    /// <summary>resolve_pseudo_ldimm64's checks of every instruction, in program order.</summary>
    private void CheckInstructionEncodings()
    {
        for (int i = 0; i < _insns.Length; i++)
        {
            var insn = _insns[i];
            if (insn.Class == InstructionClass.Ldx &&
                ((insn.MemMode != MemoryMode.Mem && insn.MemMode != MemoryMode.MemSx) || insn.Immediate != 0))
                Reject("BPF_LDX uses reserved fields", VerifierReject.EINVAL);
            if (insn.Opcode == 0x18)
            {
                if (i == _insns.Length - 1 || _insns[i + 1].Opcode != 0 || _insns[i + 1].Dst != 0 ||
                    _insns[i + 1].Src != 0 || _insns[i + 1].Offset != 0)
                    Reject("invalid bpf_ld_imm64 insn", VerifierReject.EINVAL);
                switch (insn.Src)
                {
                    case PseudoSource.None:
                    case PseudoSource.Func:
                        break;
                    case PseudoSource.BtfId:
                        Unsupported($"insn {i}: ld_imm64 of a kernel BTF variable (ksym) needs the kernel's symbols");
                        break;
                    case PseudoSource.MapIdx or PseudoSource.MapIdxValue or PseudoSource.MapFd or PseudoSource.MapValue:
                    {
                        // Offline there are no open file descriptors: a map given by fd cannot be valid.
                        if (insn.Src is PseudoSource.MapFd or PseudoSource.MapValue)
                            Reject($"fd {insn.Immediate} is not pointing to valid bpf_map", VerifierReject.EBADF);
                        if (_maps.Length == 0) Reject("fd_idx without fd_array is invalid", VerifierReject.EPROTO);
                        if ((uint)insn.Immediate >= (uint)_maps.Length)
                            Reject($"fd {insn.Immediate} is not pointing to valid bpf_map", VerifierReject.EBADF);
                        var map = _maps[insn.Immediate];
                        if (insn.Src == PseudoSource.MapIdxValue)
                        {
                            uint off = (uint)_insns[i + 1].Immediate;
                            if (off >= 1u << 29) Reject($"direct value offset of {off} is not allowed", VerifierReject.EINVAL);
                            if (map.Type is not (Loader.MapType.Array or Loader.MapType.Arena))
                                Reject("no direct value access support for this map type", VerifierReject.EINVAL);
                            if (map.MaxEntries != 1 || off >= map.ValueSize)
                                Reject($"invalid access to map value pointer, value_size={map.ValueSize} off={off}", VerifierReject.EINVAL);
                        }
                        CheckMapProgCompatibility(map);
                        break;
                    }
                    default:
                        Reject("unrecognized bpf_ld_imm64 insn", VerifierReject.EINVAL);
                        break;
                }
                i++;
                continue;
            }
            // callx is in the ISA (RFC 9669) but not in the kernel's instruction table.
            if (OpcodeTable.KindOf(insn.Opcode) == InstructionKind.Invalid || insn.Opcode == 0x8d)
                Reject($"unknown opcode {insn.Opcode:x2}", VerifierReject.EINVAL);
        }
    }

    private void CheckMapProgCompatibility(VerifierMap map)
    {
        if (map.SpinLockOffset >= 0)
        {
            if (_progType == Loader.ProgramType.SocketFilter)
                Reject("socket filter progs cannot use bpf_spin_lock yet", VerifierReject.EINVAL);
            if (IsTracingProgType)
                Reject("tracing progs cannot use bpf_spin_lock yet", VerifierReject.EINVAL);
        }
        if (map.TimerOffset >= 0 && IsTracingProgType)
            Reject("tracing progs cannot use bpf_timer yet", VerifierReject.EINVAL);
        if (map.Type == Loader.MapType.StructOps)
            Reject("bpf_struct_ops map cannot be used in prog", VerifierReject.EINVAL);
        if (_sleepable && !SleepableMapTypes.Contains(map.Type))
            Reject("Sleepable programs can only use array, hash, ringbuf and local storage maps", VerifierReject.EINVAL);
    }

    /// <summary>Map types a sleepable program may use.</summary>
    private static readonly HashSet<Loader.MapType> SleepableMapTypes =
    [
        Loader.MapType.Hash, Loader.MapType.LruHash, Loader.MapType.Array, Loader.MapType.PercpuHash,
        Loader.MapType.PercpuArray, Loader.MapType.LruPercpuHash, Loader.MapType.ArrayOfMaps, Loader.MapType.HashOfMaps,
        Loader.MapType.Ringbuf, Loader.MapType.UserRingbuf, Loader.MapType.InodeStorage, Loader.MapType.SkStorage,
        Loader.MapType.TaskStorage, Loader.MapType.CgrpStorage, Loader.MapType.Queue, Loader.MapType.Stack,
        Loader.MapType.Arena,
    ];

    private bool IsTracingProgType => _progType is Loader.ProgramType.Kprobe or Loader.ProgramType.Tracepoint or
        Loader.ProgramType.PerfEvent or Loader.ProgramType.RawTracepoint or Loader.ProgramType.RawTracepointWritable;

    /// <summary>add_subprog_and_kfunc and check_subprogs.</summary>
    private void FindSubprograms()
    {
        var starts = new SortedSet<int> { 0 };
        for (int i = 0; i < _insns.Length; i++)
        {
            var insn = _insns[i];
            if (insn.Opcode == 0x18 && insn.Src == PseudoSource.Func)
            {
                AddSubprog(starts, i + insn.Immediate + 1);
                i++;
                continue;
            }
            if (insn.Opcode == 0x85 && insn.Src == PseudoSource.LocalCall)
                AddSubprog(starts, i + insn.Immediate + 1);
            else if (insn.Opcode == 0x85 && insn.Src == PseudoSource.KfuncCall)
                Unsupported($"insn {i}: calls to kernel functions (kfuncs) are not modelled yet");
        }
        var list = starts.ToArray();
        _subprogs = new SubprogInfo[list.Length];
        for (int s = 0; s < list.Length; s++)
        {
            _subprogs[s] = new SubprogInfo
            {
                Start = list[s],
                End = s + 1 < list.Length ? list[s + 1] : _insns.Length,
            };
        }
        foreach (var f in _funcInfos)
        {
            int s = FindSubprog(f.Insn);
            if (s < 0) continue;
            _subprogs[s].Name = f.Name;
            _subprogs[s].IsGlobal = f.Global && s > 0;
        }
        if (_log.Verbose)
            for (int s = 0; s < _subprogs.Length; s++) Verbose($"func#{s} @{_subprogs[s].Start}\n");

        for (int s = 0; s < _subprogs.Length; s++)
        {
            var sub = _subprogs[s];
            for (int i = sub.Start; i < sub.End; i++)
            {
                _aux[i].Subprog = s;
                var insn = _insns[i];
                if (insn.Opcode == 0x85 && insn.Src == 0 && insn.Immediate == HelperIds.TailCall)
                {
                    sub.HasTailCall = true;
                    sub.TailCallReachable = true;
                }
                if (insn.Class == InstructionClass.Ld && insn.MemMode is MemoryMode.Abs or MemoryMode.Ind)
                    sub.HasLdAbs = true;
                if (insn.Class is InstructionClass.Jmp or InstructionClass.Jmp32 &&
                    insn.JumpOp is not (JumpOperation.Call or JumpOperation.Exit) && !(insn.Opcode == 0x18))
                {
                    int off = i + JumpOffset(insn) + 1;
                    if (off < sub.Start || off >= sub.End)
                        Reject($"jump out of range from insn {i} to {off}", VerifierReject.EINVAL);
                }
                if (i == sub.End - 1)
                {
                    byte code = insn.Opcode;
                    if (code != 0x95 && code != 0x06 && code != 0x05)
                        Reject("last insn is not an exit or jmp", VerifierReject.EINVAL);
                }
                // No skipping over ld_imm64 here: the kernel looks at its second slot like any instruction, so a
                // program ending in ld_imm64 ends in a non-jump.
            }
        }
        if (_funcInfos.Count == 0)
        {
            for (int s = 1; s < _subprogs.Length; s++)
            {
                if (_subprogs[s].HasLdAbs) Reject("LD_ABS is not allowed in subprogs without BTF", VerifierReject.EINVAL);
                if (_subprogs[s].HasTailCall) Reject("tail_call is not allowed in subprogs without BTF", VerifierReject.EINVAL);
            }
        }
    }

    private void AddSubprog(SortedSet<int> starts, int off)
    {
        if (off >= _insns.Length || off < 0) Reject("call to invalid destination", VerifierReject.EINVAL);
        starts.Add(off);
    }

    private int FindContainingSubprog(int off)
    {
        int lo = 0, hi = _subprogs.Length - 1;
        while (lo < hi)
        {
            int mid = lo + (hi - lo + 1) / 2;
            if (_subprogs[mid].Start <= off) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    private int FindSubprog(int off)
    {
        if (off < 0 || off >= _insns.Length) return -1;
        int s = FindContainingSubprog(off);
        return _subprogs[s].Start == off ? s : -1;
    }

    // ---- check_cfg ------------------------------------------------------------------------------------

    private const int Discovered = 0x10, Explored = 0x20, Fallthrough = 1, Branch = 2;

    private void CheckControlFlow()
    {
        int n = _insns.Length;
        var state = ScratchArray<int>.Get(0, n);
        var stack = ScratchArray<int>.Get(1, n);
        int sp = 0;
        state[0] = Discovered;
        stack[sp++] = 0;
        while (sp > 0)
        {
            int t = stack[sp - 1];
            int ret = VisitInsn(t, state, stack, ref sp);
            if (ret == 0)
            {
                state[t] = Explored;
                sp--;
            }
        }
        for (int i = 0; i < n; i++)
        {
            if (state[i] != Explored) Reject($"unreachable insn {i}", VerifierReject.EINVAL);
            if (_insns[i].Opcode == 0x18)
            {
                if (state[i + 1] != 0) Reject($"jump into the middle of ldimm64 insn {i}", VerifierReject.EINVAL);
                i++;
            }
        }
    }

    /// <summary>1: keep exploring (a successor was pushed); 0: done with <paramref name="t"/>.</summary>
    private int PushInsn(int t, int w, int e, int[] state, int[] stack, ref int sp)
    {
        if (e == Fallthrough && state[t] >= (Discovered | Fallthrough)) return 0;
        if (e == Branch && state[t] >= (Discovered | Branch)) return 0;
        if (w < 0 || w >= _insns.Length)
        {
            VerboseLineInfo(t, $"{t}: ");
            Reject($"jump out of range from insn {t} to {w}", VerifierReject.EINVAL);
        }
        if (e == Branch)
        {
            _aux[w].PrunePoint = true;
            _aux[w].JmpPoint = true;
        }
        if (state[w] == 0)
        {
            state[t] = Discovered | e;
            state[w] = Discovered;
            stack[sp++] = w;
            return 1;
        }
        if ((state[w] & 0xf0) == Discovered) return 0; // back-edge: allowed for a privileged loader
        if (state[w] == Explored) state[t] = Discovered | e;
        return 0;
    }

    private int VisitFuncCallInsn(int t, bool visitCallee, int[] state, int[] stack, ref int sp)
    {
        int size = _insns[t].Opcode == 0x18 ? 2 : 1;
        int ret = PushInsn(t, t + size, Fallthrough, state, stack, ref sp);
        if (ret != 0) return ret;
        if (t + size < _insns.Length)
        {
            _aux[t + size].PrunePoint = true;
            _aux[t + size].JmpPoint = true;
        }
        if (visitCallee)
        {
            int w = t + _insns[t].Immediate + 1;
            _aux[t].PrunePoint = true;
            // What the callee may do, the caller may do: revisited once the callee is explored, so the
            // effect flows up the whole call graph.
            if (w >= 0 && w < _insns.Length)
                _subprogs[_aux[t].Subprog].ChangesPacketData |= _subprogs[FindContainingSubprog(w)].ChangesPacketData;
            ret = PushInsn(t, w, Branch, state, stack, ref sp);
        }
        return ret;
    }

    private int VisitInsn(int t, int[] state, int[] stack, ref int sp)
    {
        var insn = _insns[t];
        if (insn.Opcode == 0x18 && insn.Src == PseudoSource.Func)
            return VisitFuncCallInsn(t, true, state, stack, ref sp);
        if (insn.Class is not (InstructionClass.Jmp or InstructionClass.Jmp32))
            return PushInsn(t, t + (insn.Opcode == 0x18 ? 2 : 1), Fallthrough, state, stack, ref sp);
        switch (insn.JumpOp)
        {
            case JumpOperation.Exit:
                return 0;
            case JumpOperation.Call:
                if (IsAsyncCallbackCall(insn)) _aux[t].PrunePoint = true;
                if (IsSyncCallbackCall(insn))
                {
                    _aux[t].CallsCallback = true;
                    _aux[t].ForceCheckpoint = true;
                    _aux[t].PrunePoint = true;
                    _aux[t].JmpPoint = true;
                }
                if (insn.Src == PseudoSource.Helper && HelperChangesPacketData(insn.Immediate))
                    _subprogs[_aux[t].Subprog].ChangesPacketData = true;
                return VisitFuncCallInsn(t, insn.Src == PseudoSource.LocalCall, state, stack, ref sp);
            case JumpOperation.Ja:
            {
                int target = t + JumpOffset(insn) + 1;
                int ret = PushInsn(t, target, Fallthrough, state, stack, ref sp);
                if (ret != 0) return ret;
                _aux[target].PrunePoint = true;
                _aux[target].JmpPoint = true;
                return ret;
            }
            default:
            {
                _aux[t].PrunePoint = true;
                if (insn.JumpOp == JumpOperation.Jcond) _aux[t].ForceCheckpoint = true;
                int ret = PushInsn(t, t + 1, Fallthrough, state, stack, ref sp);
                if (ret != 0) return ret;
                return PushInsn(t, t + insn.Offset + 1, Branch, state, stack, ref sp);
            }
        }
    }

    // ---- post-order and loops ----------------------------------------------------------------------------

    private void ComputePostorder()
    {
        int n = _insns.Length;
        var order = ScratchArray<int>.Get(5, n);
        int count = 0;
        var seen = ScratchArray<bool>.Get(0, n);
        // Every instruction is pushed at most once (seen is shared by all functions).
        var stack = ScratchArray<(int Insn, bool Visited)>.Get(0, n + 1);
        int sp = 0;
        foreach (var sub in _subprogs)
        {
            sub.PostorderStart = count;
            if (seen[sub.Start]) { sub.PostorderEnd = count; continue; }
            stack[sp++] = (sub.Start, false);
            seen[sub.Start] = true;
            while (sp > 0)
            {
                var top = stack[sp - 1];
                if (top.Visited)
                {
                    order[count++] = top.Insn;
                    sp--;
                    continue;
                }
                stack[sp - 1] = (top.Insn, true);
                foreach (int s in Successors(top.Insn))
                {
                    if (s < 0 || s >= n || seen[s]) continue;
                    seen[s] = true;
                    stack[sp++] = (s, false);
                }
            }
            sub.PostorderEnd = count;
        }
        _postorder = order;
        _postorderCount = count;
    }

    /// <summary>Tarjan's strongly connected components over the instruction graph; loops get an id.</summary>
    private void ComputeSccs()
    {
        int n = _insns.Length;
        var index = ScratchArray<int>.Get(2, n);
        var low = ScratchArray<int>.Get(3, n);
        var onStack = ScratchArray<bool>.Get(1, n);
        Array.Fill(index, -1, 0, n);
        var sccStack = new Stack<int>();
        // Explicit DFS stack: (vertex, index of the next successor to visit).
        var work = ScratchArray<(int V, int Next)>.Get(0, n);
        int wp = 0;
        var members = new List<int>();
        int next = 0, sccId = 0;
        for (int root = 0; root < n; root++)
        {
            if (index[root] != -1 || _secondSlot[root]) continue;
            work[wp++] = (root, 0);
            index[root] = low[root] = next++;
            sccStack.Push(root);
            onStack[root] = true;
            while (wp > 0)
            {
                var (v, k) = work[wp - 1];
                var succ = Successors(v);
                if (k < succ.Length)
                {
                    work[wp - 1] = (v, k + 1);
                    int w = succ[k];
                    if (w < 0 || w >= n) continue;
                    if (index[w] == -1)
                    {
                        index[w] = low[w] = next++;
                        sccStack.Push(w);
                        onStack[w] = true;
                        work[wp++] = (w, 0);
                    }
                    else if (onStack[w]) low[v] = Math.Min(low[v], index[w]);
                    continue;
                }
                wp--;
                if (wp > 0) low[work[wp - 1].V] = Math.Min(low[work[wp - 1].V], low[v]);
                if (low[v] != index[v]) continue;
                members.Clear();
                int x;
                do
                {
                    x = sccStack.Pop();
                    onStack[x] = false;
                    members.Add(x);
                }
                while (x != v);
                // A call that runs a callback (bpf_loop and friends) is an implicit loop.
                bool loop = members.Count > 1 || Successors(v).Contains(v) || _aux[v].CallsCallback;
                if (!loop) continue;
                sccId++;
                foreach (int m in members) _aux[m].Scc = sccId;
            }
        }
    }

    // ---- stack depth -----------------------------------------------------------------------------------

    private void CheckMaxStackDepth()
    {
        bool anyTailCall = _subprogs.Any(s => s.HasTailCall);
        bool privStackType = _progType is Loader.ProgramType.Kprobe or Loader.ProgramType.Tracepoint or
            Loader.ProgramType.PerfEvent or Loader.ProgramType.RawTracepoint;
        bool privStack = !anyTailCall && privStackType;
        for (int i = _subprogs.Length - 1; i >= 0; i--)
        {
            if (i == 0 || _subprogs[i].IsAsyncCallback)
                CheckMaxStackDepthFrom(i, i == 0 && privStack);
        }
    }

    private static int RoundUpStackDepth(int depth) => (depth + 15) & ~15;

    private void CheckMaxStackDepthFrom(int idx, bool privStackSupported)
    {
        // Depth-first over the call graph, as check_max_stack_depth_subprog walks it.
        var retInsn = new int[VerifierState.MaxFrames];
        var retProg = new int[VerifierState.MaxFrames];
        int depth = 0, frame = 0;
        int i = _subprogs[idx].Start;
        bool tailCallReachable = false;
        var privAdaptive = new bool[_subprogs.Length];
    processFunc:
        if (idx != 0 && _subprogs[idx].HasTailCall && depth >= 256)
            Reject($"tail_calls are not allowed when call stack of previous frames is {depth} bytes. Too large", VerifierReject.EACCES);
        int subDepth = RoundUpStackDepth(_subprogs[idx].StackDepth);
        if (privStackSupported && subDepth >= 64) privAdaptive[idx] = true;
        if (privAdaptive[idx])
        {
            if (subDepth > FuncState.MaxStack)
                Reject($"stack size of subprog {idx} is {subDepth}. Too large", VerifierReject.EACCES);
        }
        else
        {
            depth += subDepth;
            if (depth > FuncState.MaxStack)
                Reject($"combined stack size of {frame + 1} calls is {depth}. Too large", VerifierReject.EACCES);
        }
    continueFunc:
        int end = _subprogs[idx].End;
        for (; i < end; i++)
        {
            var insn = _insns[i];
            bool pseudoCall = insn.Opcode == 0x85 && insn.Src == PseudoSource.LocalCall;
            bool pseudoFunc = insn.Opcode == 0x18 && insn.Src == PseudoSource.Func;
            if (!pseudoCall && !pseudoFunc) continue;
            retInsn[frame] = i + 1;
            retProg[frame] = idx;
            int next = i + insn.Immediate + 1;
            int sidx = FindSubprog(next);
            if (sidx < 0) Reject($"verifier bug: callee not found at insn {next}", VerifierReject.EFAULT);
            if (_subprogs[sidx].IsAsyncCallback && !pseudoCall) continue;
            i = next;
            idx = sidx;
            if (_subprogs[idx].HasTailCall) tailCallReachable = true;
            frame++;
            if (frame >= VerifierState.MaxFrames)
                Reject($"the call stack of {frame} frames is too deep !", VerifierReject.E2BIG);
            goto processFunc;
        }
        if (tailCallReachable)
            for (int j = 0; j < frame; j++) _subprogs[retProg[j]].TailCallReachable = true;
        if (frame == 0) return;
        if (!privAdaptive[idx]) depth -= RoundUpStackDepth(_subprogs[idx].StackDepth);
        frame--;
        i = retInsn[frame];
        idx = retProg[frame];
        goto continueFunc;
    }
}
