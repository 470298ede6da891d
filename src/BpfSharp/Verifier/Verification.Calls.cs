using BpfSharp.Isa;
using BpfSharp.Loader;

namespace BpfSharp.Verifier;

/// <summary>Helper calls, BPF-to-BPF calls and callbacks, function exits and return-value checks.</summary>
internal sealed partial class Verification
{
    private const int MaxHelperId = 212;

    private HelperPrototype? ProtoFor(int id) =>
        HelperPrototypes.Availability(_progType, _attachType, id) == HelperAvailability.Unavailable
            ? null
            : HelperPrototypes.Get(_progType, _attachType, id);

    /// <summary>Arguments of a helper available to this program type, for register liveness (null: not available).</summary>
    private int? HelperArgCount(int id)
    {
        if (id <= 0 || id >= MaxHelperId) return null;
        var proto = ProtoFor(id);
        if (proto is null) return null;
        int n = 0;
        while (n < 5 && proto.Arguments[n].IsUsed) n++;
        return n;
    }

    private static bool HelperChangesPacketData(int id) => HelperIds.MayChangePacketData(id);

    private static string FuncIdName(int id) =>
        id is >= 0 and < MaxHelperId && HelperFunctions.NameOf(id) is { } name ? name : "unknown";

    // ---- references -----------------------------------------------------------------------------------

    private int AcquireReference(int insnIdx)
    {
        int id = ++_idGen;
        _cur.AddRef(new RefState { Id = id, InsnIdx = insnIdx, Kind = RefKind.Pointer });
        return id;
    }

    private static bool ReleaseReferenceState(VerifierState st, int id)
    {
        for (int i = 0; i < st.RefCount; i++)
        {
            if (st.Refs[i].Kind != RefKind.Pointer || st.Refs[i].Id != id) continue;
            st.RemoveRefAt(i);
            return true;
        }
        return false;
    }

    private bool ReleaseReference(int refObjId)
    {
        if (!ReleaseReferenceState(_cur, refObjId)) return false;
        ForEachReg(_cur, (ref RegState r) =>
        {
            if (r.RefObjId == refObjId) MarkRegInvalid(ref r);
        });
        return true;
    }

    /// <summary>A register that no longer holds a valid pointer: for a privileged loader, an unknown scalar.</summary>
    private static void MarkRegInvalid(ref RegState r) => r.MarkUnknown();

    private void CheckResourceLeak(bool exceptionExit, bool checkLock, string prefix)
    {
        if (checkLock && _cur.ActiveLocks > 0)
            Reject($"{prefix} cannot be used inside bpf_spin_lock-ed region", VerifierReject.EINVAL);
        if (exceptionExit || _cur.Frame.FrameNo == 0)
        {
            bool lingering = false;
            for (int i = 0; i < _cur.RefCount; i++)
            {
                if (_cur.Refs[i].Kind != RefKind.Pointer) continue;
                Verbose($"Unreleased reference id={_cur.Refs[i].Id} alloc_insn={_cur.Refs[i].InsnIdx}\n");
                lingering = true;
            }
            if (lingering) Reject($"{prefix} would lead to reference leak", VerifierReject.EINVAL);
        }
        if (checkLock && _cur.ActiveRcuLock > 0)
            Reject($"{prefix} cannot be used inside bpf_rcu_read_lock-ed region", VerifierReject.EINVAL);
    }

    private void ClearAllPktPointers()
    {
        ForEachReg(_cur, (ref RegState r) =>
        {
            if (r.IsPacketPointerAny) MarkRegInvalid(ref r);
        });
    }

    // ---- exit ----------------------------------------------------------------------------------------

    private bool ProcessBpfExit(ref bool doPrintState)
    {
        CheckResourceLeak(false, _cur.CurFrame == 0, "BPF_EXIT instruction in main prog");
        if (_cur.CurFrame > 0)
        {
            PrepareFuncExit();
            doPrintState = true;
            return false;
        }
        CheckReturnCode(0, "R0");
        return true;
    }

    private void PrepareFuncExit()
    {
        UpdateLiveStack();
        var state = _cur;
        var callee = state.Frame;
        var r0 = callee.Regs[0];
        if (r0.Type == RegType.Stack) Reject("cannot return stack pointer to the caller", VerifierReject.EINVAL);
        var caller = state.Frames[state.CurFrame - 1]!;
        if (callee.InCallbackFn)
        {
            if (r0.Type != RegType.Scalar) Reject("R0 not a scalar value", VerifierReject.EACCES);
            MarkChainPrecision(0);
            if (!(r0.Value.SMin >= callee.CallbackRetMin && r0.Value.SMax <= callee.CallbackRetMax))
            {
                VerboseInvalidScalar(in r0, callee.CallbackRetMin, callee.CallbackRetMax, "At callback return", "R0");
                throw new VerifierReject(VerifierReject.EINVAL);
            }
        }
        else
        {
            caller.Regs[0] = r0;
        }
        _insnIdx = callee.InCallbackFn ? callee.CallSite : callee.CallSite + 1;
        if (_log.Enabled)
        {
            Verbose("returning from callee:\n");
            PrintVerifierState(state, callee.FrameNo, true);
            Verbose($"to caller at {_insnIdx}:\n");
            PrintVerifierState(state, caller.FrameNo, true);
        }
        _pool.ReturnFrame(callee);
        state.Frames[state.CurFrame] = null;
        state.CurFrame--;
        ResetLiveStackCallchain();
    }

    private void VerboseInvalidScalar(in RegState reg, int min, int max, string ctx, string regName)
    {
        bool unknown = true;
        Verbose($"{ctx} the register {regName} has");
        if (reg.Value.SMin > long.MinValue)
        {
            Verbose($" smin={reg.Value.SMin}");
            unknown = false;
        }
        if (reg.Value.SMax < long.MaxValue)
        {
            Verbose($" smax={reg.Value.SMax}");
            unknown = false;
        }
        if (unknown) Verbose(" unknown scalar value");
        Verbose($" should have been in [{min}, {max}]\n");
    }

    /// <summary>The return-value range the kernel enforces for this program, or null when anything goes.</summary>
    private (int Min, int Max)? ReturnRange()
    {
        var a = _attachType;
        switch (_progType)
        {
            case ProgramType.CgroupSockAddr:
                if (a is AttachType.CgroupUdp4Recvmsg or AttachType.CgroupUdp6Recvmsg or AttachType.CgroupUnixRecvmsg or
                    AttachType.CgroupInet4Getpeername or AttachType.CgroupInet6Getpeername or AttachType.CgroupUnixGetpeername or
                    AttachType.CgroupInet4Getsockname or AttachType.CgroupInet6Getsockname or AttachType.CgroupUnixGetsockname)
                    return (1, 1);
                if (a is AttachType.CgroupInet4Bind or AttachType.CgroupInet6Bind) return (0, 3);
                return (0, 1);
            case ProgramType.CgroupSkb:
                return a == AttachType.CgroupInetEgress ? (0, 3) : (0, 1);
            case ProgramType.CgroupSock or ProgramType.SockOps or ProgramType.CgroupDevice or ProgramType.CgroupSysctl or
                ProgramType.CgroupSockopt:
                return (0, 1);
            case ProgramType.Tracing:
                return a switch
                {
                    AttachType.TraceFentry or AttachType.TraceFexit => (0, 0),
                    AttachType.TraceIter => (0, 1),
                    _ => null,
                };
            case ProgramType.Kprobe:
                return a is AttachType.TraceKprobeSession or AttachType.TraceUprobeSession ? (0, 1) : null;
            case ProgramType.SkLookup:
                return (0, 1);
            case ProgramType.Netfilter:
                return (0, 1);
            default:
                return null;
        }
    }

    private void CheckReturnCode(int regno, string regName)
    {
        var frame = _cur.Frames[0]!;
        bool isSubprog = frame.SubprogNo != 0;
        CheckRegArg(regno, RegArg.Src);
        var reg = CurRegs[regno];
        string exitCtx = "At program exit";
        (int Min, int Max)? range;
        if (frame.InAsyncCallbackFn)
        {
            exitCtx = "At async callback return";
            range = (0, 0);
        }
        else if (isSubprog)
        {
            if (reg.Type != RegType.Scalar)
                Reject($"At subprogram exit the register R{regno} is not a scalar value ({RegTypeName(in reg)})", VerifierReject.EINVAL);
            return;
        }
        else
        {
            if (_progType == ProgramType.RawTracepoint) return;
            range = ReturnRange();
            if (range is null) return;
        }
        if (reg.Type != RegType.Scalar)
            Reject($"{exitCtx} the register R{regno} is not a known value ({RegTypeName(in reg)})", VerifierReject.EINVAL);
        MarkChainPrecision(regno);
        reg = CurRegs[regno];
        if (!(reg.Value.SMin >= range.Value.Min && reg.Value.SMax <= range.Value.Max))
        {
            VerboseInvalidScalar(in reg, range.Value.Min, range.Value.Max, exitCtx, regName);
            throw new VerifierReject(VerifierReject.EINVAL);
        }
    }

    // ---- BPF-to-BPF calls ------------------------------------------------------------------------------

    private void CheckFuncCall(Instruction insn)
    {
        var state = _cur;
        int target = _insnIdx + insn.Immediate + 1;
        int subprog = FindSubprog(target);
        if (subprog < 0) Reject($"verifier bug: target of func call at insn {target} is not a program", VerifierReject.EFAULT);
        var caller = state.Frame;
        if (_subprogs[subprog].IsGlobal)
        {
            string name = _subprogs[subprog].Name;
            if (_cur.ActiveLocks > 0)
                Reject("global function calls are not allowed while holding a lock,\nuse static function instead", VerifierReject.EINVAL);
            if (!CheckGlobalCallArgs(subprog, caller.Regs))
                Reject($"Caller passes invalid args into func#{subprog} ('{name}')", VerifierReject.EINVAL);
            Verbose($"Func#{subprog} ('{name}') is global and assumed valid.\n");
            if (_subprogs[subprog].ChangesPacketData) ClearAllPktPointers();
            _globalCalled.Add(subprog);
            for (int i = 0; i <= 5; i++)
            {
                caller.Regs[i].MarkNotInit();
                CheckRegArg(caller.Regs, i, RegArg.DstNoMark);
            }
            caller.Regs[0].MarkUnknown();
            return;
        }
        SetupFuncEntry(subprog, _insnIdx, state);
        for (int i = 0; i <= 5; i++)
        {
            caller.Regs[i].MarkNotInit();
            CheckRegArg(caller.Regs, i, RegArg.DstNoMark);
        }
        _insnIdx = _subprogs[subprog].Start - 1;
        ResetLiveStackCallchain();
        if (_log.Enabled)
        {
            Verbose("caller:\n");
            PrintVerifierState(state, caller.FrameNo, true);
            Verbose("callee:\n");
            PrintVerifierState(state, state.CurFrame, true);
        }
    }

    /// <summary>btf_check_func_arg_match: do the registers fit the global function's prototype?</summary>
    private bool CheckGlobalCallArgs(int subprog, RegState[] regs)
    {
        var sig = SignatureOf(subprog);
        if (sig is null || sig.ArgsError is not null)
        {
            if (sig?.ArgsError is { } e) Verbose(e + "\n");
            return false;
        }
        for (int i = 0; i < sig.Args.Length; i++)
        {
            int regno = i + 1;
            var arg = sig.Args[i];
            ref var reg = ref regs[regno];
            switch (arg.Kind)
            {
                case GlobalArgKind.Anything:
                    if (reg.Type != RegType.Scalar)
                    {
                        Verbose($"R{regno} is not a scalar\n");
                        return false;
                    }
                    break;
                case GlobalArgKind.Ctx:
                    CheckFuncArgRegOff(in reg, regno, false);
                    if (reg.Type != RegType.Ctx)
                    {
                        Verbose($"arg#{i} expects pointer to ctx\n");
                        return false;
                    }
                    break;
                case GlobalArgKind.Mem:
                {
                    CheckFuncArgRegOff(in reg, regno, false);
                    if (!reg.IsNull)
                    {
                        var saved = reg;
                        if (reg.MaybeNull) MarkPtrNotNullReg(ref reg);
                        CheckHelperMemAccess(regno, arg.MemSize, write: false, zeroSizeAllowed: true, rawMode: false, pktAccess: null);
                        CheckHelperMemAccess(regno, arg.MemSize, write: true, zeroSizeAllowed: true, rawMode: false, pktAccess: null);
                        if (saved.MaybeNull) reg = saved;
                    }
                    if (!arg.MaybeNull && reg.MaybeNull)
                    {
                        Verbose($"arg#{i} is expected to be non-NULL\n");
                        return false;
                    }
                    break;
                }
            }
        }
        return true;
    }

    private FuncState SetupFuncEntry(int subprog, int callsite, VerifierState state)
    {
        if (state.CurFrame + 1 >= VerifierState.MaxFrames)
            Reject($"the call stack of {state.CurFrame + 2} frames is too deep", VerifierReject.E2BIG);
        var caller = state.Frame;
        var callee = _pool.RentFrame();
        callee.Init(callsite, state.CurFrame + 1, subprog);
        for (int i = 1; i <= 5; i++) callee.Regs[i] = caller.Regs[i];
        state.Frames[state.CurFrame + 1] = callee;
        state.CurFrame++;
        MarkAllScratched();
        return callee;
    }

    private void PushCallbackCall(Instruction insn, int insnIdx, int subprog, Action<FuncState, FuncState> setCallee)
    {
        var state = _cur;
        var caller = state.Frame;
        _subprogs[subprog].IsCallback = true;
        if (IsAsyncCallbackCall(insn))
            Unsupported($"insn {insnIdx}: asynchronous callbacks (bpf_timer_set_callback) are not modelled yet");
        var callbackState = PushStack(_subprogs[subprog].Start, insnIdx);
        var callee = SetupFuncEntry(subprog, insnIdx, callbackState);
        setCallee(callbackState.Frames[callbackState.CurFrame - 1]!, callee);
        callbackState.CallbackUnrollDepth++;
        callbackState.Frames[callbackState.CurFrame - 1]!.CallbackDepth++;
        caller.CallbackDepth = 0;
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private struct CallMeta
    {
        public int MapIndex;
        public int FuncId;
        public int RefObjId;
        public int ReleaseRegno;
        public int Subprogno;
        public ulong MsizeMax;
        public int MemSize;
        public long ConstMapKey;
        public bool PktAccess;
        public bool RawMode;
    }

    private void CheckHelperCall(Instruction insn)
    {
        int insnIdx = _insnIdx;
        int funcId = insn.Immediate;
        if (funcId < 0 || funcId >= MaxHelperId)
            Reject($"invalid func {FuncIdName(funcId)}#{funcId}", VerifierReject.EINVAL);
        var availability = HelperPrototypes.Availability(_progType, _attachType, funcId);
        var fn = availability == HelperAvailability.Unavailable ? null : HelperPrototypes.Get(_progType, _attachType, funcId);
        if (fn is null)
            Reject($"program of this type cannot use helper {FuncIdName(funcId)}#{funcId}", VerifierReject.EINVAL);
        if (!_gpl && fn.GplOnly)
            Reject("cannot call GPL-restricted function from non-GPL compatible program", VerifierReject.EINVAL);
        if (availability == HelperAvailability.NotAllowed)
            Reject("helper call is not allowed in probe", VerifierReject.EINVAL);
        if ((availability == HelperAvailability.SleepableOnly || fn.MightSleep) && !InSleepable)
            Reject("helper call might sleep in a non-sleepable prog", VerifierReject.EINVAL);

        bool changesData = HelperIds.MayChangePacketData(funcId);
        var meta = new CallMeta { MapIndex = -1, FuncId = funcId, PktAccess = fn.PacketAccess, ConstMapKey = -1, Subprogno = -1 };
        _rawAccessSize = 0;
        _rawRegno = 0;
        for (int i = 0; i < 5; i++) CheckFuncArg(i, ref meta, fn);

        RecordFuncMap(ref meta, funcId);
        RecordFuncKey(ref meta, funcId);

        var regs = CurRegs;
        for (int i = 0; i < _rawAccessSize; i++)
            CheckMemAccess(_rawRegno, i, MemorySize.B, write: true, valueRegno: -1, strictAlignmentOnce: false, isLdsx: false);

        if (meta.ReleaseRegno != 0)
        {
            bool ok;
            if (meta.RefObjId != 0) ok = ReleaseReference(meta.RefObjId);
            else ok = regs[meta.ReleaseRegno].IsNull;
            if (!ok) Reject($"func {FuncIdName(funcId)}#{funcId} reference has not been acquired before", VerifierReject.EINVAL);
        }

        switch (funcId)
        {
            case HelperIds.TailCall:
                CheckResourceLeak(false, true, "tail_call");
                break;
            case HelperIds.GetLocalStorage:
                if (!regs[2].IsNull) Reject("get_local_storage() doesn't support non-zero flags", VerifierReject.EINVAL);
                break;
            case HelperIds.ForEachMapElem:
            {
                var map = _maps[meta.MapIndex];
                int mapIndex = meta.MapIndex;
                PushCallbackCall(insn, insnIdx, meta.Subprogno, (caller, callee) =>
                {
                    callee.Regs[1] = caller.Regs[1];
                    callee.Regs[2].SetPointer(RegType.MapKey, aux: mapIndex);
                    callee.Regs[3].SetPointer(RegType.MapValue, aux: mapIndex);
                    callee.Regs[4] = caller.Regs[3];
                    callee.Regs[5].MarkNotInit();
                    callee.InCallbackFn = true;
                    callee.CallbackRetMin = 0;
                    callee.CallbackRetMax = 1;
                });
                _ = map;
                break;
            }
            case HelperIds.Loop:
            {
                MarkChainPrecision(1);
                regs = CurRegs;
                if ((ulong)_cur.Frame.CallbackDepth < regs[1].Value.UMax)
                {
                    PushCallbackCall(insn, insnIdx, meta.Subprogno, (caller, callee) =>
                    {
                        callee.Regs[1].MarkUnknown();
                        callee.Regs[2] = caller.Regs[3];
                        callee.Regs[3].MarkNotInit();
                        callee.Regs[4].MarkNotInit();
                        callee.Regs[5].MarkNotInit();
                        callee.InCallbackFn = true;
                        callee.CallbackRetMin = 0;
                        callee.CallbackRetMax = 1;
                    });
                }
                else
                {
                    _cur.Frame.CallbackDepth = 0;
                    if (_log.Verbose) Verbose($"frame{_cur.CurFrame} bpf_loop iteration limit reached\n");
                }
                break;
            }
            case HelperIds.TimerSetCallback or HelperIds.FindVma or HelperIds.UserRingbufDrain:
                Unsupported($"insn {insnIdx}: callbacks of {FuncIdName(funcId)} are not modelled yet");
                break;
        }

        regs = CurRegs;
        for (int i = 0; i <= 5; i++)
        {
            regs[i].MarkNotInit();
            CheckRegArg(i, RegArg.DstNoMark);
        }

        var ret = fn.Return;
        RegFlags retFlags = ToRegFlags(ret.Flags);
        ref var r0 = ref regs[0];
        switch (ret.Kind)
        {
            case ReturnKind.Integer:
                r0.MarkUnknown();
                break;
            case ReturnKind.Void:
                r0.Type = RegType.NotInit;
                break;
            case ReturnKind.PtrToMapValue:
            {
                if (meta.MapIndex < 0) Reject("verifier bug: unexpected null map_ptr", VerifierReject.EFAULT);
                var map = _maps[meta.MapIndex];
                if (funcId == HelperIds.MapLookupElem && map.Type is MapType.Array or MapType.PercpuArray &&
                    meta.ConstMapKey >= 0 && meta.ConstMapKey < map.MaxEntries)
                    retFlags &= ~RegFlags.MaybeNull;
                r0.SetPointer(RegType.MapValue, retFlags, meta.MapIndex);
                if ((retFlags & RegFlags.MaybeNull) == 0 && map.SpinLockOffset >= 0) r0.Id = ++_idGen;
                break;
            }
            case ReturnKind.PtrToSocket:
                r0.SetPointer(RegType.Socket, retFlags);
                break;
            case ReturnKind.PtrToSockCommon:
                r0.SetPointer(RegType.SockCommon, retFlags);
                break;
            case ReturnKind.PtrToTcpSock:
                r0.SetPointer(RegType.TcpSock, retFlags);
                break;
            case ReturnKind.PtrToMem:
                r0.SetPointer(RegType.Mem, retFlags, meta.MemSize);
                break;
            default:
                Unsupported($"insn {insnIdx}: {FuncIdName(funcId)} returns a BTF pointer; BTF-typed kernel pointers are not modelled yet");
                break;
        }
        if (r0.MaybeNull) r0.Id = ++_idGen;

        if (IsPtrCastFunction(funcId))
        {
            r0.RefObjId = meta.RefObjId;
        }
        else if (IsAcquireFunction(funcId) ||
                 // A socket looked up in a sockmap/sockhash is held until bpf_sk_release.
                 (funcId == HelperIds.MapLookupElem && meta.MapIndex >= 0 && _maps[meta.MapIndex].Type is MapType.Sockmap or MapType.Sockhash))
        {
            int id = AcquireReference(insnIdx);
            r0.Id = id;
            r0.RefObjId = id;
        }

        DoRefineRetvalRange(ref r0, ret.Kind, funcId, ref meta);
        CheckMapFuncCompatibility(meta.MapIndex, funcId);

        if (funcId == HelperIds.GetFuncIp && _progType != ProgramType.Kprobe && _progType != ProgramType.Tracing)
            Reject($"func {FuncIdName(funcId)}#{funcId} not supported for program type {(int)_progType}", VerifierReject.ENOTSUPP);
        if (funcId == HelperIds.TailCall)
        {
            if (_cur.CurFrame > 0)
            {
                // A tail call that succeeds does not come back here but to the caller, with an int and the
                // packet possibly changed; the one that fails falls through, with nothing changed.
                MarkRegScratched(0);
                PushStack(_insnIdx + 1, _insnIdx);
                ClearAllPktPointers();
                CurRegs[0].MarkUnknown();
                PrepareFuncExit();
                _insnIdx--;
            }
            else
            {
                // In the main program a taken tail call never returns, so what follows saw no change.
                changesData = false;
            }
        }
        if (changesData) ClearAllPktPointers();
    }

    private static RegFlags ToRegFlags(HelperTypeFlags f)
    {
        var r = RegFlags.None;
        if ((f & HelperTypeFlags.MaybeNull) != 0) r |= RegFlags.MaybeNull;
        if ((f & HelperTypeFlags.ReadOnly) != 0) r |= RegFlags.ReadOnly;
        if ((f & HelperTypeFlags.Ringbuf) != 0) r |= RegFlags.RingBuf;
        if ((f & HelperTypeFlags.Percpu) != 0) r |= RegFlags.PerCpu;
        if ((f & HelperTypeFlags.Rcu) != 0) r |= RegFlags.Rcu;
        if ((f & HelperTypeFlags.Untrusted) != 0) r |= RegFlags.Untrusted;
        if ((f & HelperTypeFlags.Trusted) != 0) r |= RegFlags.Trusted;
        if ((f & HelperTypeFlags.User) != 0) r |= RegFlags.User;
        return r;
    }

    private static readonly HashSet<int> AcquireFunctions = HelperSet(
        "sk_lookup_tcp", "sk_lookup_udp", "skc_lookup_tcp", "ringbuf_reserve");

    private static readonly HashSet<int> PtrCastFunctions = HelperSet(
        "tcp_sock", "sk_fullsock", "skc_to_tcp_sock", "skc_to_tcp6_sock", "skc_to_udp6_sock", "skc_to_mptcp_sock",
        "skc_to_tcp_timewait_sock", "skc_to_tcp_request_sock");

    private static bool IsAcquireFunction(int id) => AcquireFunctions.Contains(id);

    private static bool IsPtrCastFunction(int id) => PtrCastFunctions.Contains(id);

    private static HashSet<int> HelperSet(params string[] names)
    {
        var set = new HashSet<int>();
        foreach (var n in names)
            if (HelperFunctions.TryGetId(n, out int id)) set.Add(id);
        return set;
    }

    private void DoRefineRetvalRange(ref RegState r0, ReturnKind kind, int funcId, ref CallMeta meta)
    {
        if (kind != ReturnKind.Integer) return;
        string? name = HelperFunctions.NameOf(funcId);
        if (name is "bpf_get_stack" or "bpf_get_task_stack" or "bpf_probe_read_str" or "bpf_probe_read_kernel_str" or
            "bpf_probe_read_user_str")
        {
            r0.Value.SMax = (long)meta.MsizeMax;
            r0.Value.S32Max = (int)meta.MsizeMax;
            r0.Value.SMin = -4095;
            r0.Value.S32Min = -4095;
            r0.Value.SyncBounds();
        }
        else if (funcId == HelperIds.GetSmpProcessorId)
        {
            uint max = (uint)Math.Max(1, _options.PossibleCpus) - 1;
            r0.Value.UMax = max;
            r0.Value.U32Max = max;
            r0.Value.SMax = max;
            r0.Value.S32Max = (int)max;
            r0.Value.UMin = 0;
            r0.Value.U32Min = 0;
            r0.Value.SMin = 0;
            r0.Value.S32Min = 0;
            r0.Value.SyncBounds();
        }
        SanityCheck(ref r0, "retval");
    }

    private void RecordFuncMap(ref CallMeta meta, int funcId)
    {
        if (funcId is not (HelperIds.TailCall or HelperIds.MapLookupElem or HelperIds.MapUpdateElem or HelperIds.MapDeleteElem or
            HelperIds.MapPushElem or HelperIds.MapPopElem or HelperIds.MapPeekElem or HelperIds.ForEachMapElem or
            HelperIds.RedirectMap or HelperIds.MapLookupPercpuElem))
            return;
        if (meta.MapIndex < 0) Reject("verifier bug: expected map for helper call", VerifierReject.EFAULT);
        var map = _maps[meta.MapIndex];
        if (map.ReadOnlyProg && funcId is HelperIds.MapDeleteElem or HelperIds.MapUpdateElem or HelperIds.MapPushElem or HelperIds.MapPopElem)
            Reject("write into map forbidden", VerifierReject.EACCES);
    }

    private void RecordFuncKey(ref CallMeta meta, int funcId)
    {
        if (funcId != HelperIds.TailCall) return;
        if (meta.MapIndex < 0 || _maps[meta.MapIndex].Type != MapType.ProgArray)
            RejectRaw("expected prog array map for tail call", VerifierReject.EINVAL);
        ref var reg = ref CurRegs[3];
        if (!(reg.IsConstScalar(false) && reg.Value.VarOff.Value < _maps[meta.MapIndex].MaxEntries)) return;
        MarkChainPrecision(3);
    }

    private void CheckFuncArg(int arg, ref CallMeta meta, HelperPrototype fn)
    {
        int regno = arg + 1;
        var argType = fn.Arguments[arg];
        if (!argType.IsUsed) return;
        CheckRegArg(regno, RegArg.Src);
        var kind = argType.Kind;
        if (kind == ArgumentKind.Anything) return;
        var regs = CurRegs;
        var reg = regs[regno];
        if (reg.IsPacketPointer && !MayAccessDirectPktData(write: false, helperPktAccess: meta.PktAccess))
            Reject("helper access to the packet is not allowed", VerifierReject.EACCES);
        if (kind == ArgumentKind.PtrToMapValue)
        {
            if (meta.MapIndex < 0) Reject("verifier bug: invalid map_ptr to access map->type", VerifierReject.EFAULT);
            var mt = _maps[meta.MapIndex].Type;
            if (mt is MapType.Sockmap or MapType.Sockhash)
            {
                if (argType.Flags != HelperTypeFlags.None) Reject("invalid arg_type for sockmap/sockhash", VerifierReject.EINVAL);
                kind = ArgumentKind.PtrToBtfIdSockCommon;
            }
        }
        bool argMaybeNull = argType.MaybeNull;
        if (!(reg.IsNull && argMaybeNull))
        {
            CheckRegType(regno, kind, argType.Flags, in reg);
            CheckFuncArgRegOff(in reg, regno, argType.IsRelease);
        }
        if (argType.IsRelease)
        {
            if (reg.RefObjId == 0 && !reg.IsNull)
                Reject($"R{regno} must be referenced when passed to release function", VerifierReject.EINVAL);
            meta.ReleaseRegno = regno;
        }
        if (reg.RefObjId != 0 && kind != ArgumentKind.KptrXchgDest)
        {
            if (meta.RefObjId != 0)
                RejectRaw($"more than one arg with ref_obj_id R{regno} {reg.RefObjId} {meta.RefObjId}", VerifierReject.EACCES);
            meta.RefObjId = reg.RefObjId;
        }

        switch (kind)
        {
            case ArgumentKind.ConstMapPtr:
                meta.MapIndex = reg.Aux;
                break;
            case ArgumentKind.PtrToMapKey:
            {
                if (meta.MapIndex < 0) Reject("verifier bug: invalid map_ptr to access map->key", VerifierReject.EFAULT);
                var map = _maps[meta.MapIndex];
                CheckHelperMemAccess(regno, (int)map.KeySize, write: false, zeroSizeAllowed: false, rawMode: false, meta.PktAccess);
                if (map.Type is MapType.Array or MapType.PercpuArray)
                    meta.ConstMapKey = ConstantMapKey(in CurRegs[regno], (int)map.KeySize);
                break;
            }
            case ArgumentKind.PtrToMapValue:
            {
                if (argMaybeNull && reg.IsNull) return;
                if (meta.MapIndex < 0) Reject("verifier bug: invalid map_ptr to access map->value", VerifierReject.EFAULT);
                var map = _maps[meta.MapIndex];
                CheckHelperMemAccess(regno, (int)map.ValueSize, argType.IsWrite, zeroSizeAllowed: false, rawMode: argType.IsUninit, meta.PktAccess);
                break;
            }
            case ArgumentKind.PtrToSpinLock:
                ProcessSpinLock(regno, fn.Id == HelperIds.SpinLock);
                break;
            case ArgumentKind.PtrToFunc:
                meta.Subprogno = reg.Aux;
                break;
            case ArgumentKind.PtrToMem:
                meta.RawMode = argType.IsUninit;
                if (argType.IsFixedSize)
                    CheckHelperMemAccess(regno, argType.Size, argType.IsWrite, zeroSizeAllowed: false, rawMode: argType.IsUninit, meta.PktAccess);
                break;
            case ArgumentKind.ConstSize or ArgumentKind.ConstSizeOrZero:
            {
                var prev = fn.Arguments[arg - 1];
                CheckMemSizeReg(regno, prev.IsWrite, kind == ArgumentKind.ConstSizeOrZero, meta.RawMode, meta.PktAccess, ref meta.MsizeMax);
                break;
            }
            case ArgumentKind.ConstAllocSizeOrZero:
                if (!reg.Value.VarOff.IsConst) Reject($"R{regno} is not a known constant'", VerifierReject.EACCES);
                meta.MemSize = (int)reg.Value.VarOff.Value;
                MarkChainPrecision(regno);
                break;
            case ArgumentKind.PtrToConstStr:
                CheckRegConstStr(in reg, regno);
                break;
            case ArgumentKind.PtrToTimer or ArgumentKind.KptrXchgDest or ArgumentKind.PtrToDynptr or ArgumentKind.PtrToPercpuBtfId:
                Unsupported($"insn {_insnIdx}: helper argument kind {kind} is not modelled yet");
                break;
        }
    }

    private long ConstantMapKey(in RegState key, int keySize)
    {
        if (key.Type != RegType.Stack || !key.Value.VarOff.IsConst) return -1;
        var state = FrameOf(in key);
        int stackOff = key.Off + (int)key.Value.VarOff.Value;
        int slot = -stackOff - 1, spi = slot / 8, off = slot % 8;
        int zeroSize = 0;
        for (int i = off; i >= 0 && state.Slot(spi, i) == StackSlotType.Zero; i--) zeroSize++;
        if (zeroSize >= keySize) return 0;
        if (!state.IsSpilledScalar(spi)) return -1;
        int spillSize = 0;
        for (int i = off; i >= 0 && state.Slot(spi, i) == StackSlotType.Spill; i--) spillSize++;
        if (spillSize != keySize) return -1;
        var reg = state.Spilled[spi];
        if (!reg.Value.VarOff.IsConst) return -1;
        BtReset();
        _btStackMasks[key.FrameNo] |= 1UL << spi;
        MarkChainPrecisionBatch(_cur);
        return (long)reg.Value.VarOff.Value;
    }

    private void CheckRegConstStr(in RegState reg, int regno)
    {
        if (reg.Type != RegType.MapValue) throw new VerifierReject(VerifierReject.EINVAL);
        var map = _maps[reg.Aux];
        if (map.FrozenContents is null) Reject($"R{regno} does not point to a readonly map'", VerifierReject.EACCES);
        if (!reg.Value.VarOff.IsConst) Reject($"R{regno} is not a constant address'", VerifierReject.EACCES);
        CheckMapAccess(regno, reg.Off, (int)map.ValueSize - reg.Off, false);
        int start = reg.Off + (int)reg.Value.VarOff.Value;
        if (Array.IndexOf(map.FrozenContents, (byte)0, start) < 0) Reject("string is not zero-terminated", VerifierReject.EINVAL);
    }

    private void ProcessSpinLock(int regno, bool isLock)
    {
        var reg = CurRegs[regno];
        if (!reg.Value.VarOff.IsConst)
            Reject($"R{regno} doesn't have constant offset. bpf_spin_lock has to be at the constant offset", VerifierReject.EINVAL);
        var map = _maps[reg.Aux];
        if (!map.HasBtf) Reject($"map '{map.KernelName}' has to have BTF in order to use bpf_spin_lock", VerifierReject.EINVAL);
        if (map.SpinLockOffset < 0) Reject($"map '{map.KernelName}' has no valid bpf_spin_lock", VerifierReject.EINVAL);
        long val = (long)reg.Value.VarOff.Value + reg.Off;
        if (map.SpinLockOffset != val)
            Reject($"off {val} doesn't point to 'struct bpf_spin_lock' that is at {map.SpinLockOffset}", VerifierReject.EINVAL);
        if (isLock)
        {
            if (_cur.ActiveLocks > 0) Reject("Locking two bpf_spin_locks are not allowed", VerifierReject.EINVAL);
            _cur.AddRef(new RefState { Id = reg.Id, InsnIdx = _insnIdx, Kind = RefKind.Lock, Ptr = reg.Aux + 1 });
            _cur.ActiveLocks++;
            _cur.ActiveLockId = reg.Id;
            _cur.ActiveLockPtr = reg.Aux + 1;
        }
        else
        {
            if (_cur.ActiveLocks == 0) Reject("bpf_spin_unlock without taking a lock", VerifierReject.EINVAL);
            int found = -1;
            for (int i = 0; i < _cur.RefCount; i++)
                if (_cur.Refs[i].Kind == RefKind.Lock && _cur.Refs[i].Id == reg.Id && _cur.Refs[i].Ptr == reg.Aux + 1) found = i;
            if (found < 0) Reject("bpf_spin_unlock of different lock", VerifierReject.EINVAL);
            _cur.RemoveRefAt(found);
            _cur.ActiveLocks--;
            _cur.ActiveLockId = 0;
            _cur.ActiveLockPtr = 0;
        }
    }

    private static readonly (RegType Type, RegFlags Flags)[] MemTypes =
    [
        (RegType.Stack, RegFlags.None), (RegType.Packet, RegFlags.None), (RegType.PacketMeta, RegFlags.None), (RegType.MapKey, RegFlags.None), (RegType.MapValue, RegFlags.None),
        (RegType.Mem, RegFlags.None), (RegType.Mem, RegFlags.RingBuf), (RegType.Buffer, RegFlags.None), (RegType.BtfId, RegFlags.Trusted),
    ];

    private static (RegType, RegFlags)[] CompatibleTypes(ArgumentKind kind) => kind switch
    {
        ArgumentKind.PtrToMapKey or ArgumentKind.PtrToMapValue or ArgumentKind.PtrToMem => MemTypes,
        ArgumentKind.ConstSize or ArgumentKind.ConstSizeOrZero or ArgumentKind.ConstAllocSizeOrZero => [(RegType.Scalar, RegFlags.None)],
        ArgumentKind.ConstMapPtr => [(RegType.ConstMap, RegFlags.None)],
        ArgumentKind.PtrToCtx => [(RegType.Ctx, RegFlags.None)],
        ArgumentKind.PtrToSockCommon => [(RegType.SockCommon, RegFlags.None), (RegType.Socket, RegFlags.None), (RegType.TcpSock, RegFlags.None), (RegType.XdpSock, RegFlags.None)],
        ArgumentKind.PtrToBtfIdSockCommon =>
            [(RegType.SockCommon, RegFlags.None), (RegType.Socket, RegFlags.None), (RegType.TcpSock, RegFlags.None), (RegType.XdpSock, RegFlags.None), (RegType.BtfId, RegFlags.None), (RegType.BtfId, RegFlags.Trusted)],
        ArgumentKind.PtrToSocket => [(RegType.Socket, RegFlags.None)],
        ArgumentKind.PtrToBtfId => [(RegType.BtfId, RegFlags.None), (RegType.BtfId, RegFlags.Trusted), (RegType.BtfId, RegFlags.Rcu)],
        ArgumentKind.PtrToSpinLock => [(RegType.MapValue, RegFlags.None)],
        ArgumentKind.PtrToRingbufMem => [(RegType.Mem, RegFlags.RingBuf)],
        ArgumentKind.PtrToFunc => [(RegType.Func, RegFlags.None)],
        ArgumentKind.PtrToStack => [(RegType.Stack, RegFlags.None)],
        ArgumentKind.PtrToConstStr or ArgumentKind.PtrToTimer => [(RegType.MapValue, RegFlags.None)],
        ArgumentKind.KptrXchgDest => [(RegType.MapValue, RegFlags.None)],
        ArgumentKind.PtrToDynptr => [(RegType.Stack, RegFlags.None), (RegType.ConstDynptr, RegFlags.None)],
        ArgumentKind.PtrToArena => [(RegType.Arena, RegFlags.None)],
        _ => [],
    };

    private void CheckRegType(int regno, ArgumentKind kind, HelperTypeFlags argFlags, in RegState reg)
    {
        var compatible = CompatibleTypes(kind);
        var flags = reg.Flags;
        if ((argFlags & HelperTypeFlags.ReadOnly) != 0) flags &= ~RegFlags.ReadOnly;
        if ((argFlags & HelperTypeFlags.MaybeNull) != 0) flags &= ~RegFlags.MaybeNull;
        foreach (var (t, f) in compatible)
        {
            if (reg.Type == t && flags == f)
            {
                if (reg.Type == RegType.BtfId)
                    Unsupported($"insn {_insnIdx}: passing a BTF pointer to a helper needs the kernel's BTF");
                return;
            }
        }
        var names = string.Join(", ", compatible.Select(c => RegTypeName(c.Item1, c.Item2)));
        Reject($"R{regno} type={RegTypeName(in reg)} expected={names}", VerifierReject.EACCES);
    }

    private void CheckFuncArgRegOff(in RegState reg, int regno, bool release)
    {
        if (release)
        {
            if (reg.Off != 0)
                Reject($"R{regno} must have zero offset when passed to release func or trusted arg to kfunc", VerifierReject.EINVAL);
            CheckPtrOffReg(in reg, regno, false);
            return;
        }
        switch (reg.Type)
        {
            case RegType.Stack or RegType.Packet or RegType.PacketMeta or RegType.MapKey or RegType.MapValue or
                RegType.Mem or RegType.Buffer or RegType.Arena or RegType.Scalar:
                return;
            case RegType.BtfId:
                CheckPtrOffReg(in reg, regno, true);
                return;
            default:
                CheckPtrOffReg(in reg, regno, false);
                return;
        }
    }

    // ---- which maps go with which helpers ----------------------------------------------------------------

    private void CheckMapFuncCompatibility(int mapIndex, int funcId)
    {
        if (mapIndex < 0) return;
        var map = _maps[mapIndex];
        if (!MapHelperCompatibility.IsAllowed(map.Type, funcId, _progType, out string? extra))
        {
            if (extra is not null) Verbose(extra);
            Reject($"cannot pass map_type {(int)map.Type} into func {FuncIdName(funcId)}#{funcId}", VerifierReject.EINVAL);
        }
    }
}
