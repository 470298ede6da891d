using System.Text;
using BpfSharp.Isa;

namespace BpfSharp.Verifier;

/// <summary>
/// Liveness as Linux 6.18 computes it: registers by a static backward data-flow over each function, stack slots
/// by a path-insensitive analysis fed with the reads and writes the walk observes, per call chain. Dead registers
/// and slots of an explored state are cleared before comparison, so they never prevent pruning.
/// </summary>
internal sealed partial class Verification
{
    // ---- registers ----------------------------------------------------------------------------------

    /// <summary>
    /// Registers an instruction reads (use) and writes (def), as bit masks of r0-r9. Anything the kernel's table
    /// does not describe (legacy packet loads among them: they may end the program) reads every register and
    /// writes none.
    /// </summary>
    private (ushort Use, ushort Def) RegisterEffects(int idx)
    {
        var insn = _insns[idx];
        const ushort callerSaved = 0b111111;
        const ushort all = 0xffff;
        ushort dst = (ushort)(insn.Dst < 10 ? 1 << insn.Dst : 0);
        ushort src = (ushort)(insn.Src < 10 ? 1 << insn.Src : 0);
        switch (insn.Class)
        {
            case InstructionClass.Ld:
                return insn.Opcode == 0x18 ? ((ushort)0, dst) : (all, (ushort)0);
            case InstructionClass.Ldx:
                return insn.MemMode is MemoryMode.Mem or MemoryMode.MemSx ? (src, dst) : (all, (ushort)0);
            case InstructionClass.St:
                return insn.MemMode == MemoryMode.Mem ? (dst, (ushort)0) : (all, (ushort)0);
            case InstructionClass.Stx:
                if (insn.MemMode is not (MemoryMode.Mem or MemoryMode.Atomic)) return (all, 0);
                if (insn.MemMode == MemoryMode.Atomic)
                {
                    int imm = insn.Immediate;
                    if (imm == AtomicOperation.Cmpxchg) return ((ushort)(dst | src | 1), 1);
                    if (imm == AtomicOperation.LoadAcquire) return (src, dst);
                    if (imm == AtomicOperation.StoreRelease) return ((ushort)(dst | src), 0);
                    if ((imm & AtomicOperation.Fetch) != 0) return ((ushort)(dst | src), src);
                    return ((ushort)(dst | src), 0);
                }
                return ((ushort)(dst | src), 0);
            case InstructionClass.Alu or InstructionClass.Alu64:
            {
                var op = insn.AluOp;
                if (op == AluOperation.Mov)
                    return (insn.UsesRegisterSource ? src : (ushort)0, dst);
                if (op is AluOperation.Neg or AluOperation.End) return (dst, dst);
                return ((ushort)(dst | (insn.UsesRegisterSource ? src : 0)), dst);
            }
            case InstructionClass.Jmp or InstructionClass.Jmp32:
            {
                var op = insn.JumpOp;
                if (op == JumpOperation.Exit) return (1, 0);
                if (op == JumpOperation.Ja) return (insn.UsesRegisterSource ? dst : (ushort)0, 0);
                if (op == JumpOperation.Call)
                {
                    ushort use = callerSaved & ~1;
                    if (insn.Src == PseudoSource.Helper && HelperArgCount(insn.Immediate) is int n)
                        use = (ushort)(((1 << n) - 1) << 1);
                    return (use, callerSaved);
                }
                if (op == JumpOperation.Jcond) return (0, 0);
                return ((ushort)(dst | (insn.UsesRegisterSource ? src : 0)), 0);
            }
        }
        return (all, 0);
    }

    private void ComputeLiveRegisters()
    {
        int n = _insns.Length;
        var use = ScratchArray<ushort>.Get(0, n);
        var def = ScratchArray<ushort>.Get(1, n);
        var liveOut = ScratchArray<ushort>.Get(2, n);
        for (int i = 0; i < n; i++) (use[i], def[i]) = RegisterEffects(i);
        bool changed;
        do
        {
            changed = false;
            for (int k = 0; k < _postorderCount; k++)
            {
                int i = _postorder[k];
                ushort outMask = 0;
                foreach (int s in Successors(i)) outMask |= _aux[s].LiveRegsBefore;
                ushort inMask = (ushort)((outMask & ~def[i]) | use[i]);
                if (inMask != _aux[i].LiveRegsBefore || outMask != liveOut[i])
                {
                    changed = true;
                    _aux[i].LiveRegsBefore = inMask;
                    liveOut[i] = outMask;
                }
            }
        }
        while (changed);

        if (_log.Verbose)
        {
            Verbose("Live regs before insn:\n");
            var sb = new StringBuilder();
            for (int i = 0; i < n; i++)
            {
                if (i > 0 && _insns[i - 1].Opcode == 0x18) continue;
                sb.Clear();
                string scc = _aux[i].Scc != 0 ? _aux[i].Scc.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(3) + " " : "    ";
                sb.Append(scc).Append(i.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(3)).Append(": ");
                for (int r = 0; r < 10; r++) sb.Append((_aux[i].LiveRegsBefore & (1 << r)) != 0 ? (char)('0' + r) : '.');
                sb.Append(' ').Append(InstructionText(i)).Append('\n');
                Verbose(sb.ToString());
            }
        }
    }

    /// <summary>
    /// Successors within the function (a call continues after itself; exit has none), computed once by
    /// <see cref="BuildSuccessors"/> into a flat table so the analyses that run to a fixed point do not
    /// allocate an enumerator per visit.
    /// </summary>
    private ReadOnlySpan<int> Successors(int idx) => new(_successors, idx * 2, _successorCount[idx]);

    private void BuildSuccessors()
    {
        int n = _insns.Length;
        _successors = ScratchArray<int>.Get(4, n * 2);
        _successorCount = ScratchArray<byte>.Get(0, n);
        _secondSlot = ScratchArray<bool>.Get(2, n);
        for (int idx = 0; idx < n; idx++)
        {
            var insn = _insns[idx];
            int size = insn.Opcode == 0x18 ? 2 : 1;
            int count = 0;
            var cls = insn.Class;
            if (cls is InstructionClass.Jmp or InstructionClass.Jmp32)
            {
                var op = insn.JumpOp;
                if (op == JumpOperation.Exit) { }
                else if (op == JumpOperation.Call) { if (idx + 1 < n) _successors[idx * 2 + count++] = idx + 1; }
                else if (op == JumpOperation.Ja) _successors[idx * 2 + count++] = idx + JumpOffset(insn) + 1;
                else
                {
                    if (idx + 1 < n) _successors[idx * 2 + count++] = idx + 1;
                    _successors[idx * 2 + count++] = idx + insn.Offset + 1;
                }
            }
            else if (idx + size < n) _successors[idx * 2 + count++] = idx + size;
            _successorCount[idx] = (byte)count;
        }
        // Second halves of ld_imm64 as the walk sees them: pairs are read from each function's start, so a
        // 0x18 byte in a second half does not start a new pair.
        foreach (var sub in _subprogs)
            for (int i = sub.Start; i < sub.End; i++)
                if (_insns[i].Opcode == 0x18) { if (i + 1 < n) _secondSlot[i + 1] = true; i++; }
    }

    private static int JumpOffset(Instruction insn) =>
        insn.Class == InstructionClass.Jmp32 && insn.JumpOp == JumpOperation.Ja ? insn.Immediate : insn.Offset;

    // ---- stack ----------------------------------------------------------------------------------------

    private sealed class FuncInstance
    {
        public required int[] Callsites;
        public required int SubprogStart;
        public required int Subprog;
        public required int InsnCount;
        public bool Updated;
        public bool MustWriteDropped;
        /// <summary>Per frame of the call chain, per instruction of the function: the masks.</summary>
        public readonly FrameMasks[]?[] Frames = new FrameMasks[VerifierState.MaxFrames][];
        public bool[] MustWriteSet = [];
        public int CurFrame => Callsites.Length - 1;
    }

    private struct FrameMasks
    {
        public ulong MayRead;
        public ulong MustWrite;
        public ulong MustWriteAcc;
        public ulong LiveBefore;
    }

    private readonly Dictionary<int[], FuncInstance> _instances = new(CallchainComparer.Instance);
    private FuncInstance? _curInstance;
    private readonly ulong[] _stackWriteMasks = new ulong[VerifierState.MaxFrames];
    private int _stackWriteInsn;
    private readonly FuncInstance?[] _queryInstances = new FuncInstance?[VerifierState.MaxFrames];
    private int _queryCurFrame;
    private int _queryInsn;

    /// <summary>Hand the instances' mask tables back for the next verification on this thread.</summary>
    private void ReleaseStackLiveness()
    {
        foreach (var inst in _instances.Values)
        {
            foreach (var masks in inst.Frames)
                if (masks is not null) ArrayRecycler<FrameMasks>.Return(masks);
            ArrayRecycler<bool>.Return(inst.MustWriteSet);
        }
        _instances.Clear();
        _curInstance = null;
    }

    private void InitStackLiveness()
    {
        _instances.Clear();
        _curInstance = null;
    }

    /// <summary>Call chain of frame <paramref name="frameno"/> of <paramref name="st"/>: call sites, then the function start.</summary>
    private FuncInstance LookupInstance(VerifierState st, int frameno)
    {
        Span<int> callsites = stackalloc int[frameno + 1];
        for (int i = 0; i < frameno; i++) callsites[i] = st.Frames[i + 1]!.CallSite;
        callsites[frameno] = _subprogs[st.Frames[frameno]!.SubprogNo].Start;
        return LookupInstance(callsites);
    }

    private FuncInstance LookupInstance(ReadOnlySpan<int> callsites)
    {
        var lookup = _instances.GetAlternateLookup<ReadOnlySpan<int>>();
        if (lookup.TryGetValue(callsites, out var inst)) return inst;
        int start = callsites[^1];
        int sub = FindContainingSubprog(start);
        int count = _subprogs[sub].End - _subprogs[sub].Start;
        inst = new FuncInstance
        {
            Callsites = callsites.ToArray(),
            SubprogStart = start,
            Subprog = sub,
            InsnCount = count,
            MustWriteSet = ArrayRecycler<bool>.Rent(count),
        };
        _instances[inst.Callsites] = inst;
        return inst;
    }

    private FuncInstance CurInstance => _curInstance ??= LookupInstance(_cur, _cur.CurFrame);

    private void ResetLiveStackCallchain() => _curInstance = null;

    private static ref FrameMasks Masks(FuncInstance inst, int frame, int insnIdx)
    {
        var arr = inst.Frames[frame] ??= ArrayRecycler<FrameMasks>.Rent(inst.InsnCount);
        return ref arr[insnIdx - inst.SubprogStart];
    }

    /// <summary>The current instruction may read the given slots of frame <paramref name="frame"/>.</summary>
    private void MarkStackRead(int frame, ulong mask)
    {
        var inst = CurInstance;
        ref var m = ref Masks(inst, frame, _insnIdx);
        ulong newMayRead = m.MayRead | mask;
        if (newMayRead != m.MayRead && (newMayRead | m.LiveBefore) != m.LiveBefore) inst.Updated = true;
        m.MayRead = newMayRead;
    }

    private void MarkStackReadAt(FuncInstance inst, int frame, int insnIdx, ulong mask)
    {
        ref var m = ref Masks(inst, frame, insnIdx);
        ulong newMayRead = m.MayRead | mask;
        if (newMayRead != m.MayRead && (newMayRead | m.LiveBefore) != m.LiveBefore) inst.Updated = true;
        m.MayRead = newMayRead;
    }

    /// <summary>The current instruction certainly writes the given slots of frame <paramref name="frame"/>.</summary>
    private void MarkStackWrite(int frame, ulong mask) => _stackWriteMasks[frame] |= mask;

    private void CommitStackWriteMarks() => CommitStackWriteMarks(_curInstance, _stackWriteInsn);

    private void CommitStackWriteMarks(FuncInstance? inst, int insnIdx)
    {
        if (inst is null) return;
        if (insnIdx < inst.SubprogStart || insnIdx >= inst.SubprogStart + inst.InsnCount) return;
        int idx = insnIdx - inst.SubprogStart;
        for (int frame = 0; frame <= inst.CurFrame; frame++)
        {
            ulong mask = _stackWriteMasks[frame];
            if (mask == 0 && !inst.MustWriteSet[idx]) continue;
            ref var m = ref Masks(inst, frame, insnIdx);
            ulong old = m.MustWrite;
            if (inst.MustWriteSet[idx]) mask &= old;
            if (old != mask)
            {
                m.MustWrite = mask;
                inst.Updated = true;
            }
            if ((old & ~mask) != 0) inst.MustWriteDropped = true;
        }
        inst.MustWriteSet[idx] = true;
    }

    private string FormatCallchain(FuncInstance inst) => "(" + string.Join(",", inst.Callsites) + ")";

    private void LogMaskChange(FuncInstance inst, string what, int frame, int insnIdx, ulong old, ulong now)
    {
        ulong changed = old ^ now;
        if (changed == 0) return;
        ulong ones = now & changed, zeros = ~now & changed;
        var sb = new StringBuilder();
        sb.Append(FormatCallchain(inst)).Append(" frame ").Append(frame).Append(" insn ").Append(insnIdx).Append(' ');
        if (ones != 0) sb.Append('+').Append(what).Append(' ').Append(FormatStackMask(ones)).Append(' ');
        if (zeros != 0) sb.Append('-').Append(what).Append(' ').Append(FormatStackMask(zeros));
        sb.Append('\n');
        Verbose(sb.ToString());
    }

    private bool UpdateInsn(FuncInstance inst, int frame, int insnIdx)
    {
        bool any = false;
        ulong newAfter = 0, mustWriteAcc = ulong.MaxValue;
        foreach (int s in Successors(insnIdx))
        {
            any = true;
            ref var succ = ref Masks(inst, frame, s);
            newAfter |= succ.LiveBefore;
            mustWriteAcc &= succ.MustWriteAcc;
        }
        if (!any) return false;
        ref var m = ref Masks(inst, frame, insnIdx);
        mustWriteAcc |= m.MustWrite;
        ulong newBefore = (newAfter & ~m.MustWrite) | m.MayRead;
        bool changed = newBefore != m.LiveBefore || mustWriteAcc != m.MustWriteAcc;
        if (_log.Verbose && (m.MayRead != 0 || m.MustWrite != 0 || insnIdx == inst.SubprogStart || _aux[insnIdx].PrunePoint))
        {
            LogMaskChange(inst, "live", frame, insnIdx, m.LiveBefore, newBefore);
            LogMaskChange(inst, "written", frame, insnIdx, m.MustWriteAcc, mustWriteAcc);
        }
        m.LiveBefore = newBefore;
        m.MustWriteAcc = mustWriteAcc;
        return changed;
    }

    private void UpdateInstance(FuncInstance inst)
    {
        if (inst.MustWriteDropped)
        {
            for (int frame = 0; frame <= inst.CurFrame; frame++)
            {
                if (inst.Frames[frame] is not { } arr) continue;
                for (int i = 0; i < arr.Length; i++) arr[i].MustWriteAcc = 0;
            }
        }
        var sub = _subprogs[inst.Subprog];
        int cnt = 0;
        bool changed;
        do
        {
            cnt++;
            changed = false;
            for (int frame = 0; frame <= inst.CurFrame; frame++)
            {
                if (inst.Frames[frame] is null) continue;
                for (int i = sub.PostorderStart; i < sub.PostorderEnd; i++)
                    changed |= UpdateInsn(inst, frame, _postorder[i]);
            }
        }
        while (changed);
        if (_log.Verbose) Verbose($"{FormatCallchain(inst)} live stack update done in {cnt} iterations\n");
        if (inst.CurFrame > 0) PropagateToOuterInstance(inst);
    }

    private void PropagateToOuterInstance(FuncInstance inst)
    {
        var outerCallsites = new int[inst.Callsites.Length - 1];
        Array.Copy(inst.Callsites, outerCallsites, outerCallsites.Length);
        int callsite = outerCallsites[^1];
        // The outer chain's last element is its function start: find it from the call site.
        outerCallsites[^1] = _subprogs[FindContainingSubprog(callsite)].Start;
        var outer = LookupInstance(outerCallsites);
        Span<ulong> writes = stackalloc ulong[VerifierState.MaxFrames];
        for (int frame = 0; frame < inst.CurFrame; frame++)
        {
            if (inst.Frames[frame] is not { } arr) continue;
            ref var first = ref arr[0];
            writes[frame] = first.MustWriteAcc;
            MarkStackReadAt(outer, frame, callsite, first.LiveBefore);
        }
        var saved = _stackWriteMasks.ToArray();
        Array.Clear(_stackWriteMasks);
        for (int frame = 0; frame < inst.CurFrame; frame++) _stackWriteMasks[frame] = writes[frame];
        CommitStackWriteMarks(outer, callsite);
        Array.Copy(saved, _stackWriteMasks, saved.Length);
    }

    /// <summary>Bring the stack liveness of every call chain of the current state up to date.</summary>
    private void UpdateLiveStack()
    {
        ResetLiveStackCallchain();
        for (int frame = _cur.CurFrame; frame >= 0; frame--)
        {
            var inst = LookupInstance(_cur, frame);
            if (!inst.Updated) continue;
            UpdateInstance(inst);
            inst.Updated = false;
            inst.MustWriteDropped = false;
        }
    }

    private void StackLivenessQueryInit(VerifierState st)
    {
        Array.Clear(_queryInstances);
        for (int frame = 0; frame <= st.CurFrame; frame++) _queryInstances[frame] = LookupInstance(st, frame);
        _queryCurFrame = st.CurFrame;
        _queryInsn = st.InsnIdx;
    }

    private bool IsLiveBefore(FuncInstance inst, int insnIdx, int frame, int spi)
    {
        if (inst.Frames[frame] is not { } arr) return false;
        int rel = insnIdx - inst.SubprogStart;
        if ((uint)rel >= (uint)arr.Length) return false;
        return (arr[rel].LiveBefore & (1UL << spi)) != 0;
    }

    /// <summary>Whether stack slot <paramref name="spi"/> of frame <paramref name="frameno"/> may still be read (query set up by <see cref="StackLivenessQueryInit"/>).</summary>
    private bool StackSlotAlive(int frameno, int spi)
    {
        if (spi >= 64) return true;
        var curInst = _queryInstances[_queryCurFrame]!;
        if (IsLiveBefore(curInst, _queryInsn, frameno, spi)) return true;
        for (int i = frameno; i < _queryCurFrame; i++)
        {
            int callsite = curInst.Callsites[i];
            var inst = _queryInstances[i]!;
            bool alive = _aux[callsite].CallsCallback
                ? IsLiveBefore(inst, callsite, frameno, spi)
                : IsLiveBefore(inst, callsite + 1, frameno, spi);
            if (alive) return true;
        }
        return false;
    }
}
