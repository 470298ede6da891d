using System.Numerics;
using System.Text;
using BpfSharp.Isa;

namespace BpfSharp.Verifier;

/// <summary>
/// Precision tracking: when the exact value of a scalar decides safety (a pointer offset, a size, a branch
/// that is never taken), walk the path back through the jump history and the parent checkpoints and mark every
/// register and stack slot that contributed to it as precise, so that state pruning compares them exactly.
/// </summary>
internal sealed partial class Verification
{
    private readonly uint[] _btRegMasks = new uint[VerifierState.MaxFrames];
    private readonly ulong[] _btStackMasks = new ulong[VerifierState.MaxFrames];
    private int _btFrame;

    private const uint RegMaskArgs = 0b111110;

    private void BtReset()
    {
        Array.Clear(_btRegMasks);
        Array.Clear(_btStackMasks);
        _btFrame = 0;
    }

    private bool BtEmpty()
    {
        ulong mask = 0;
        for (int i = 0; i <= _btFrame; i++) mask |= _btRegMasks[i] | _btStackMasks[i];
        return mask == 0;
    }

    private bool BtIsReg(int reg) => (_btRegMasks[_btFrame] & (1u << reg)) != 0;
    private void BtSetReg(int reg) => _btRegMasks[_btFrame] |= 1u << reg;
    private void BtClearReg(int reg) => _btRegMasks[_btFrame] &= ~(1u << reg);
    private bool BtIsFrameSlot(int frame, int spi) => (_btStackMasks[frame] & (1UL << spi)) != 0;

    private static string FormatRegMask(uint mask)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 32; i++)
            if ((mask & (1u << i)) != 0)
                sb.Append(sb.Length > 0 ? "," : "").Append('r').Append(i);
        return sb.ToString();
    }

    private static string FormatStackMask(ulong mask)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 64; i++)
            if ((mask & (1UL << i)) != 0)
                sb.Append(sb.Length > 0 ? "," : "").Append(-(i + 1) * 8);
        return sb.ToString();
    }

    /// <summary>Mark <paramref name="regno"/> of the current frame precise along the path (mark_chain_precision).</summary>
    private void MarkChainPrecision(int regno) => MarkChainPrecision(_cur, regno, out _);

    private void MarkChainPrecisionBatch(VerifierState starting) => MarkChainPrecision(starting, -1, out _);

    private void MarkChainPrecision(VerifierState starting, int regno, out bool changed)
    {
        changed = false;
        var st = starting;
        int firstIdx = st.FirstInsnIdx;
        int lastIdx = starting.InsnIdx;
        int subseqIdx = -1;
        bool skipFirst = true;
        if (regno >= 0) BtReset();
        _btFrame = starting.CurFrame;
        if (regno >= 0)
        {
            var reg = st.Frames[_btFrame]!.Regs[regno];
            if (reg.Type != RegType.Scalar)
                Reject("verifier bug: backtracking misuse", VerifierReject.EFAULT);
            BtSetReg(regno);
        }
        if (BtEmpty()) return;

        for (; ; )
        {
            int history = st.HistoryCount;
            if (_log.Verbose)
                Verbose($"mark_precise: frame{_btFrame}: last_idx {lastIdx} first_idx {firstIdx} subseq_idx {subseqIdx} \n");

            if (lastIdx < 0)
            {
                // Entry of a global function: only its arguments may be left.
                if (st.CurFrame == 0 && st.Frames[0]!.SubprogNo > 0 && st.Frames[0]!.CallSite == MainFunc &&
                    _btStackMasks[_btFrame] == 0 && (_btRegMasks[_btFrame] & ~RegMaskArgs) == 0)
                {
                    uint mask = _btRegMasks[_btFrame];
                    for (int i = 0; i < 32; i++)
                    {
                        if ((mask & (1u << i)) == 0) continue;
                        BtClearReg(i);
                        ref var r = ref st.Frames[0]!.Regs[i];
                        if (r.Type == RegType.Scalar)
                        {
                            r.Precise = true;
                            changed = true;
                        }
                    }
                    return;
                }
                Reject("verifier bug: backtracking func entry", VerifierReject.EFAULT);
            }

            for (int i = lastIdx; ;)
            {
                int err = 0;
                if (skipFirst)
                {
                    skipFirst = false;
                }
                else
                {
                    int hist = HistoryEntryAt(st, history, i);
                    err = BacktrackInsn(i, subseqIdx, st, hist);
                }
                if (err == -VerifierReject.ENOTSUPP)
                {
                    MarkAllScalarsPrecise(starting);
                    BtReset();
                    return;
                }
                if (err != 0) Reject("verifier bug: backtracking", VerifierReject.EFAULT);
                if (BtEmpty()) return;
                subseqIdx = i;
                i = PrevInsnIdx(st, i, ref history);
                if (i == -1) break;
                if (i >= _insns.Length) Reject($"verifier bug: backtracking idx {i}", VerifierReject.EFAULT);
            }

            st = st.Parent!;
            if (st is null) break;

            for (int fr = _btFrame; fr >= 0; fr--)
            {
                var func = st.Frames[fr]!;
                uint regMask = _btRegMasks[fr];
                for (int i = 0; i < 32; i++)
                {
                    if ((regMask & (1u << i)) == 0) continue;
                    ref var reg = ref func.Regs[i];
                    if (reg.Type != RegType.Scalar || reg.Precise)
                    {
                        _btRegMasks[fr] &= ~(1u << i);
                        continue;
                    }
                    reg.Precise = true;
                    changed = true;
                }
                ulong stackMask = _btStackMasks[fr];
                for (int i = 0; i < 64; i++)
                {
                    if ((stackMask & (1UL << i)) == 0) continue;
                    if (i >= func.Slots)
                        Reject($"verifier bug: stack slot {i}, total slots {func.Slots}", VerifierReject.EFAULT);
                    if (!func.IsSpilledScalar(i))
                    {
                        _btStackMasks[fr] &= ~(1UL << i);
                        continue;
                    }
                    ref var reg = ref func.Spilled[i];
                    if (reg.Precise) _btStackMasks[fr] &= ~(1UL << i);
                    else
                    {
                        reg.Precise = true;
                        changed = true;
                    }
                }
                if (_log.Verbose)
                {
                    Verbose($"mark_precise: frame{fr}: parent state regs={FormatRegMask(_btRegMasks[fr])} stack={FormatStackMask(_btStackMasks[fr])}: ");
                    PrintVerifierState(st, fr, true);
                }
            }

            if (BtEmpty()) return;
            subseqIdx = firstIdx;
            lastIdx = st.LastInsnIdx;
            firstIdx = st.FirstInsnIdx;
        }

        if (!BtEmpty())
        {
            MarkAllScalarsPrecise(starting);
            BtReset();
        }
    }

    /// <summary>Index of the history entry recorded for instruction <paramref name="insn"/> at the end of the unread history, or -1.</summary>
    private static int HistoryEntryAt(VerifierState st, int historyEnd, int insn) =>
        historyEnd > 0 && st.History[historyEnd - 1].Idx == insn ? historyEnd - 1 : -1;

    private static int PrevInsnIdx(VerifierState st, int i, ref int history)
    {
        int cnt = history;
        if (i == st.FirstInsnIdx)
        {
            if (cnt == 0) return -1;
            if (cnt == 1 && st.History[0].Idx == i) return -1;
        }
        if (cnt > 0 && st.History[cnt - 1].Idx == i)
        {
            i = st.History[cnt - 1].PrevIdx;
            history--;
        }
        else
        {
            i--;
        }
        return i;
    }

    private void BtSyncLinkedRegs(VerifierState st, int hist)
    {
        if (hist < 0) return;
        ulong packed = st.History[hist].LinkedRegs;
        if (packed == 0) return;
        var linked = LinkedRegs.Unpack(packed);
        bool somePrecise = false;
        foreach (var e in linked)
        {
            if (e.IsReg ? (_btRegMasks[e.Frame] & (1u << e.Index)) != 0 : BtIsFrameSlot(e.Frame, e.Index))
            {
                somePrecise = true;
                break;
            }
        }
        if (!somePrecise) return;
        foreach (var e in linked)
        {
            if (e.IsReg) _btRegMasks[e.Frame] |= 1u << e.Index;
            else _btStackMasks[e.Frame] |= 1UL << e.Index;
        }
    }

    /// <summary>One backwards step; returns 0, or -ENOTSUPP to fall back to marking everything precise.</summary>
    private int BacktrackInsn(int idx, int subseqIdx, VerifierState st, int hist)
    {
        var insn = _insns[idx];
        if (insn.Opcode == 0) return 0;
        var cls = insn.Class;
        int dreg = insn.Dst, sreg = insn.Src;
        if (_log.Verbose)
        {
            Verbose($"mark_precise: frame{_btFrame}: regs={FormatRegMask(_btRegMasks[_btFrame])} stack={FormatStackMask(_btStackMasks[_btFrame])} before {idx}: ");
            Verbose(InstructionText(idx));
            Verbose("\n");
        }
        BtSyncLinkedRegs(st, hist);
        int flags = hist >= 0 ? st.History[hist].Flags : 0;

        if (cls is InstructionClass.Alu or InstructionClass.Alu64)
        {
            if (!BtIsReg(dreg)) return 0;
            var op = insn.AluOp;
            if (op is AluOperation.End or AluOperation.Neg) return 0;
            if (op == AluOperation.Mov)
            {
                if (insn.UsesRegisterSource)
                {
                    BtClearReg(dreg);
                    if (sreg != 10) BtSetReg(sreg);
                }
                else BtClearReg(dreg);
            }
            else if (insn.UsesRegisterSource && sreg != 10)
            {
                BtSetReg(sreg);
            }
        }
        else if (cls == InstructionClass.Ldx || IsAtomicLoad(insn))
        {
            if (!BtIsReg(dreg)) return 0;
            BtClearReg(dreg);
            if ((flags & JmpHistoryEntry.StackAccess) == 0) return 0;
            _btStackMasks[JmpHistoryEntry.FrameOf(flags)] |= 1UL << JmpHistoryEntry.SpiOf(flags);
        }
        else if (cls is InstructionClass.Stx or InstructionClass.St)
        {
            if (BtIsReg(dreg)) return -VerifierReject.ENOTSUPP;
            if ((flags & JmpHistoryEntry.StackAccess) == 0) return 0;
            int spi = JmpHistoryEntry.SpiOf(flags), fr = JmpHistoryEntry.FrameOf(flags);
            if (!BtIsFrameSlot(fr, spi)) return 0;
            _btStackMasks[fr] &= ~(1UL << spi);
            if (cls == InstructionClass.Stx) BtSetReg(sreg);
        }
        else if (cls is InstructionClass.Jmp or InstructionClass.Jmp32)
        {
            var op = insn.JumpOp;
            if (op == JumpOperation.Call && insn.Src == PseudoSource.LocalCall)
            {
                int sub = FindSubprog(idx + insn.Immediate + 1);
                if (sub < 0) return -VerifierReject.EFAULT;
                if (_subprogs[sub].IsGlobal)
                {
                    BtClearReg(0);
                    return 0;
                }
                for (int i = 1; i <= 5; i++)
                {
                    if (!BtIsReg(i)) continue;
                    BtClearReg(i);
                    _btRegMasks[_btFrame - 1] |= 1u << i;
                }
                _btRegMasks[_btFrame] = 0;
                _btStackMasks[_btFrame] = 0;
                _btFrame--;
                return 0;
            }
            if (op == JumpOperation.Call && IsSyncCallbackCall(insn) && idx != subseqIdx - 1)
            {
                for (int i = 1; i <= 5; i++) BtClearReg(i);
                _btFrame--;
                return 0;
            }
            if (op == JumpOperation.Call)
            {
                BtClearReg(0);
                // A taken tail call left the subprogram like an exit: continue in its frame.
                if (insn.Src == 0 && insn.Immediate == HelperIds.TailCall && subseqIdx - idx != 1) _btFrame++;
                return 0;
            }
            if (op == JumpOperation.Exit)
            {
                if (subseqIdx >= 0 && _aux[subseqIdx].CallsCallback)
                    for (int i = 1; i <= 5; i++) BtClearReg(i);
                bool r0Precise = subseqIdx - 1 >= 0 && IsPseudoCall(_insns[subseqIdx - 1]) && BtIsReg(0);
                BtClearReg(0);
                _btFrame++;
                if (r0Precise) BtSetReg(0);
                return 0;
            }
            if (op is JumpOperation.Ja) return 0;
            if (insn.UsesRegisterSource)
            {
                if (!BtIsReg(dreg) && !BtIsReg(sreg)) return 0;
                if ((flags & JmpHistoryEntry.SrcRegStack) == 0) BtSetReg(sreg);
                if ((flags & JmpHistoryEntry.DstRegStack) == 0) BtSetReg(dreg);
            }
        }
        else if (cls == InstructionClass.Ld)
        {
            if (!BtIsReg(dreg)) return 0;
            BtClearReg(dreg);
            if (insn.MemMode is MemoryMode.Abs or MemoryMode.Ind) return -VerifierReject.ENOTSUPP;
        }
        BtSyncLinkedRegs(st, hist);
        return 0;
    }

    private static bool IsPseudoCall(Instruction insn) => insn.Opcode == 0x85 && insn.Src == PseudoSource.LocalCall;

    private static bool IsAtomicLoad(Instruction insn) =>
        insn.Class == InstructionClass.Stx && insn.MemMode == MemoryMode.Atomic && insn.Immediate == AtomicOperation.LoadAcquire;

    private void MarkAllScalarsPrecise(VerifierState starting)
    {
        if (_log.Verbose)
            Verbose($"mark_precise: frame{starting.CurFrame}: falling back to forcing all scalars precise\n");
        for (var st = starting.Parent; st is not null; st = st.Parent)
        {
            for (int i = 0; i <= st.CurFrame; i++)
            {
                var func = st.Frames[i]!;
                for (int j = 0; j < 10; j++)
                {
                    ref var reg = ref func.Regs[j];
                    if (reg.Type != RegType.Scalar || reg.Precise) continue;
                    reg.Precise = true;
                    if (_log.Verbose) Verbose($"force_precise: frame{i}: forcing r{j} to be precise\n");
                }
                for (int j = 0; j < func.Slots; j++)
                {
                    if (!func.IsSpilled(j)) continue;
                    ref var reg = ref func.Spilled[j];
                    if (reg.Type != RegType.Scalar || reg.Precise) continue;
                    reg.Precise = true;
                    if (_log.Verbose) Verbose($"force_precise: frame{i}: forcing fp{-(j + 1) * 8} to be precise\n");
                }
            }
        }
    }

    private static void MarkAllScalarsImprecise(VerifierState st)
    {
        for (int i = 0; i <= st.CurFrame; i++)
        {
            var func = st.Frames[i]!;
            for (int j = 0; j < 10; j++)
                if (func.Regs[j].Type == RegType.Scalar) func.Regs[j].Precise = false;
            for (int j = 0; j < func.Slots; j++)
                if (func.IsSpilled(j) && func.Spilled[j].Type == RegType.Scalar) func.Spilled[j].Precise = false;
        }
    }

    /// <summary>
    /// After pruning against <paramref name="old"/>: the precise scalars of the explored state must be precise
    /// on the current path too (propagate_precision).
    /// </summary>
    private void PropagatePrecision(VerifierState old, VerifierState cur) => PropagatePrecision(old, cur, out _);

    private void PropagatePrecision(VerifierState old, VerifierState cur, out bool changed)
    {
        BtReset();
        for (int fr = old.CurFrame; fr >= 0; fr--)
        {
            var state = old.Frames[fr]!;
            bool first = true;
            for (int i = 0; i < 10; i++)
            {
                ref var reg = ref state.Regs[i];
                if (reg.Type != RegType.Scalar || !reg.Precise) continue;
                if (_log.Verbose)
                    Verbose(first ? $"frame {fr}: propagating r{i}" : $",r{i}");
                _btRegMasks[fr] |= 1u << i;
                first = false;
            }
            for (int i = 0; i < state.Slots; i++)
            {
                if (!state.IsSpilled(i)) continue;
                ref var reg = ref state.Spilled[i];
                if (reg.Type != RegType.Scalar || !reg.Precise) continue;
                if (_log.Verbose)
                    Verbose(first ? $"frame {fr}: propagating fp{(-i - 1) * 8}" : $",fp{(-i - 1) * 8}");
                _btStackMasks[fr] |= 1UL << i;
                first = false;
            }
            if (!first) Verbose("\n");
        }
        MarkChainPrecision(cur, -1, out changed);
    }

    /// <summary>Bits used: number of significant bits of the unsigned maximum (the kernel's get_reg_width).</summary>
    private static int RegWidth(in RegState reg) => 64 - BitOperations.LeadingZeroCount(reg.Value.UMax);
}
