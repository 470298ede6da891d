using BpfSharp.Isa;
using BpfSharp.Loader;

namespace BpfSharp.Verifier;

/// <summary>The checks of one instruction: ALU, loads and stores, atomics, jumps and ld_imm64.</summary>
internal sealed partial class Verification
{
    private const int MaxVarOff = 1 << 29;

    private enum RegArg
    {
        Src,
        Dst,
        DstNoMark,
    }

    private RegState[] CurRegs => _cur.Frame.Regs;

    private void CheckRegArg(int regno, RegArg t) => CheckRegArg(CurRegs, regno, t);

    private void CheckRegArg(RegState[] regs, int regno, RegArg t)
    {
        if (regno >= FuncState.RegCount) Reject($"R{regno} is invalid", VerifierReject.EINVAL);
        MarkRegScratched(regno);
        if (t == RegArg.Src)
        {
            if (regs[regno].Type == RegType.NotInit) Reject($"R{regno} !read_ok", VerifierReject.EACCES);
            return;
        }
        if (regno == 10) Reject("frame pointer is read only", VerifierReject.EACCES);
        if (t == RegArg.Dst) regs[regno].MarkUnknown();
    }

    /// <summary>Dispatch one instruction; true when the path ended (exit of the main function).</summary>
    private bool DoCheckInsn(ref bool doPrintState)
    {
        var insn = _insns[_insnIdx];
        switch (insn.Class)
        {
            case InstructionClass.Alu or InstructionClass.Alu64:
                CheckAluOp(insn);
                break;
            case InstructionClass.Ldx:
                CheckLoadMem(insn, insn.MemMode == MemoryMode.MemSx);
                break;
            case InstructionClass.Stx:
                if (insn.MemMode == MemoryMode.Atomic)
                {
                    CheckAtomic(insn);
                    _insnIdx++;
                    return false;
                }
                if (insn.MemMode != MemoryMode.Mem || insn.Immediate != 0)
                    Reject("BPF_STX uses reserved fields", VerifierReject.EINVAL);
                CheckStoreReg(insn);
                break;
            case InstructionClass.St:
            {
                if (insn.MemMode != MemoryMode.Mem || insn.Src != 0)
                    Reject("BPF_ST uses reserved fields", VerifierReject.EINVAL);
                CheckRegArg(insn.Dst, RegArg.Src);
                var dstType = CurRegs[insn.Dst].Type;
                CheckMemAccess(insn.Dst, insn.Offset, insn.MemSize, write: true, valueRegno: -1, strictAlignmentOnce: false, isLdsx: false);
                SaveAuxPtrType(dstType);
                break;
            }
            case InstructionClass.Jmp or InstructionClass.Jmp32:
            {
                var op = insn.JumpOp;
                _jmpsProcessed++;
                if (op == JumpOperation.Call)
                {
                    if (insn.UsesRegisterSource ||
                        (insn.Src != PseudoSource.KfuncCall && insn.Offset != 0) ||
                        (insn.Src != 0 && insn.Src != PseudoSource.LocalCall && insn.Src != PseudoSource.KfuncCall) ||
                        insn.Dst != 0 || insn.Class == InstructionClass.Jmp32)
                        Reject("BPF_CALL uses reserved fields", VerifierReject.EINVAL);
                    if (_cur.ActiveLocks > 0 && (insn.Src == 0 && insn.Immediate != HelperIds.SpinUnlock))
                        Reject("function calls are not allowed while holding a lock", VerifierReject.EINVAL);
                    if (insn.Src == PseudoSource.LocalCall) CheckFuncCall(insn);
                    else if (insn.Src == PseudoSource.KfuncCall) Unsupported("kfunc calls are not modelled yet");
                    else CheckHelperCall(insn);
                    MarkRegScratched(0);
                }
                else if (op == JumpOperation.Ja)
                {
                    if (insn.UsesRegisterSource || insn.Src != 0 || insn.Dst != 0 ||
                        (insn.Class == InstructionClass.Jmp && insn.Immediate != 0) ||
                        (insn.Class == InstructionClass.Jmp32 && insn.Offset != 0))
                        Reject("BPF_JA uses reserved fields", VerifierReject.EINVAL);
                    _insnIdx += JumpOffset(insn) + 1;
                    return false;
                }
                else if (op == JumpOperation.Exit)
                {
                    if (insn.UsesRegisterSource || insn.Immediate != 0 || insn.Src != 0 || insn.Dst != 0 ||
                        insn.Class == InstructionClass.Jmp32)
                        Reject("BPF_EXIT uses reserved fields", VerifierReject.EINVAL);
                    return ProcessBpfExit(ref doPrintState);
                }
                else
                {
                    CheckCondJmpOp(insn);
                }
                break;
            }
            case InstructionClass.Ld:
            {
                var mode = insn.MemMode;
                if (mode is MemoryMode.Abs or MemoryMode.Ind)
                {
                    CheckLdAbs(insn);
                }
                else if (mode == MemoryMode.Imm)
                {
                    CheckLdImm(insn);
                    _insnIdx++;
                    _aux[_insnIdx].Seen = true;
                }
                else Reject("invalid BPF_LD mode", VerifierReject.EINVAL);
                break;
            }
            default:
                Reject($"unknown insn class {(int)insn.Class}", VerifierReject.EINVAL);
                break;
        }
        _insnIdx++;
        return false;
    }

    // ---- pointer types recorded per instruction --------------------------------------------------------

    private void SaveAuxPtrType(RegType type)
    {
        ref var prev = ref _aux[_insnIdx].PtrType;
        byte t = (byte)(type + 1);
        if (prev == 0)
        {
            prev = t;
            return;
        }
        if (prev != t && (!MismatchOk((RegType)(prev - 1)) || !MismatchOk(type)))
            Reject("same insn cannot be used with different pointers", VerifierReject.EINVAL);
    }

    private static bool MismatchOk(RegType t) => t is not (RegType.Ctx or RegType.Socket or RegType.SockCommon or
        RegType.TcpSock or RegType.XdpSock or RegType.BtfId or RegType.Arena);

    // ---- ALU ---------------------------------------------------------------------------------------------

    private static readonly string[] AluNames =
        ["+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=", "neg", "%=", "^=", "=", "s>>=", "endian", "?", "?"];

    private void CheckAluOp(Instruction insn)
    {
        var regs = CurRegs;
        var op = insn.AluOp;
        bool alu64 = insn.Class == InstructionClass.Alu64;
        if (op is AluOperation.End or AluOperation.Neg)
        {
            if (op == AluOperation.Neg)
            {
                if (insn.UsesRegisterSource || insn.Src != 0 || insn.Offset != 0 || insn.Immediate != 0)
                    Reject("BPF_NEG uses reserved fields", VerifierReject.EINVAL);
            }
            else if (insn.Src != 0 || insn.Offset != 0 || insn.Immediate is not (16 or 32 or 64) ||
                     (alu64 && insn.UsesRegisterSource))
            {
                Reject("BPF_END uses reserved fields", VerifierReject.EINVAL);
            }
            CheckRegArg(insn.Dst, RegArg.Src);
            if (op == AluOperation.Neg)
            {
                CheckRegArg(insn.Dst, RegArg.DstNoMark);
                // A negated pointer is a number (allowed for a privileged loader).
                if (regs[insn.Dst].Type != RegType.Scalar) regs[insn.Dst].MarkUnknown();
                AdjustScalarMinMaxVals(insn, ref regs[insn.Dst], regs[insn.Dst]);
            }
            else
            {
                // The destination is written: the frame pointer is read only.
                CheckRegArg(insn.Dst, RegArg.DstNoMark);
                ref var dst = ref regs[insn.Dst];
                if (dst.Type != RegType.Scalar)
                {
                    // A byte-swapped pointer is a meaningless number (allowed for a privileged loader).
                    dst.MarkUnknown();
                }
                else
                {
                    dst.Value = ScalarAlu.Endian(dst.Value, alu64, insn.UsesRegisterSource, insn.Immediate);
                    dst.Id = 0;
                    dst.Off = 0;
                }
            }
        }
        else if (op == AluOperation.Mov)
        {
            if (insn.UsesRegisterSource)
            {
                if (!alu64)
                {
                    if ((insn.Offset != 0 && insn.Offset != 8 && insn.Offset != 16) || insn.Immediate != 0)
                        Reject("BPF_MOV uses reserved fields", VerifierReject.EINVAL);
                }
                else if (insn.Offset == 1)
                {
                    Unsupported("addr_space_cast needs an arena map");
                }
                else if ((insn.Offset != 0 && insn.Offset != 8 && insn.Offset != 16 && insn.Offset != 32) || insn.Immediate != 0)
                {
                    Reject("BPF_MOV uses reserved fields", VerifierReject.EINVAL);
                }
                CheckRegArg(insn.Src, RegArg.Src);
            }
            else if (insn.Src != 0 || insn.Offset != 0)
            {
                Reject("BPF_MOV uses reserved fields", VerifierReject.EINVAL);
            }
            CheckRegArg(insn.Dst, RegArg.DstNoMark);
            if (insn.UsesRegisterSource)
            {
                ref var src = ref regs[insn.Src];
                ref var dst = ref regs[insn.Dst];
                if (alu64)
                {
                    if (insn.Offset == 0)
                    {
                        AssignScalarIdBeforeMov(ref src);
                        dst = src;
                    }
                    else if (src.Type == RegType.Scalar)
                    {
                        bool noSext = src.Value.UMax < (1UL << (insn.Offset - 1));
                        if (noSext) AssignScalarIdBeforeMov(ref src);
                        dst = src;
                        if (!noSext) dst.Id = 0;
                        dst.Value = ScalarAlu.Move(dst.Value, true, insn.Offset);
                    }
                    else
                    {
                        dst.MarkUnknown();
                    }
                }
                else
                {
                    if (src.Type == RegType.Scalar)
                    {
                        if (insn.Offset == 0)
                        {
                            bool isU32 = RegWidth(in src) <= 32;
                            if (isU32) AssignScalarIdBeforeMov(ref src);
                            dst = src;
                            if (!isU32) dst.Id = 0;
                        }
                        else
                        {
                            bool noSext = src.Value.UMax < (1UL << (insn.Offset - 1));
                            if (noSext) AssignScalarIdBeforeMov(ref src);
                            dst = src;
                            if (!noSext) dst.Id = 0;
                        }
                        dst.Value = ScalarAlu.Move(dst.Value, false, insn.Offset);
                    }
                    else
                    {
                        // A privileged 32-bit copy of a pointer is an unknown number.
                        dst.MarkUnknown();
                        dst.Value = ScalarAlu.Move(dst.Value, false);
                    }
                }
            }
            else
            {
                ref var dst = ref regs[insn.Dst];
                dst.MarkUnknown();
                dst.Value = ScalarAlu.MoveImmediate(insn.Immediate, alu64);
            }
        }
        else if ((int)op > (int)AluOperation.End)
        {
            Reject($"invalid BPF_ALU opcode {(int)op >> 4:x}", VerifierReject.EINVAL);
        }
        else
        {
            if (insn.UsesRegisterSource)
            {
                if (insn.Immediate != 0 || insn.Offset > 1 || (insn.Offset == 1 && op is not (AluOperation.Mod or AluOperation.Div)))
                    Reject("BPF_ALU uses reserved fields", VerifierReject.EINVAL);
                CheckRegArg(insn.Src, RegArg.Src);
            }
            else if (insn.Src != 0 || insn.Offset > 1 || (insn.Offset == 1 && op is not (AluOperation.Mod or AluOperation.Div)))
            {
                Reject("BPF_ALU uses reserved fields", VerifierReject.EINVAL);
            }
            CheckRegArg(insn.Dst, RegArg.Src);
            if (op is AluOperation.Mod or AluOperation.Div && !insn.UsesRegisterSource && insn.Immediate == 0)
                Reject("div by zero", VerifierReject.EINVAL);
            if (op is AluOperation.Lsh or AluOperation.Rsh or AluOperation.Arsh && !insn.UsesRegisterSource)
            {
                int size = alu64 ? 64 : 32;
                if (insn.Immediate < 0 || insn.Immediate >= size) Reject($"invalid shift {insn.Immediate}", VerifierReject.EINVAL);
            }
            CheckRegArg(insn.Dst, RegArg.DstNoMark);
            AdjustRegMinMaxVals(insn);
        }
        SanityCheck(ref regs[insn.Dst]);
    }

    /// <summary>reg_bounds_sanity_check: inconsistent bounds are a verifier bug the kernel reports and repairs.</summary>
    private void SanityCheck(ref RegState reg, string context = "alu")
    {
        if (reg.Type != RegType.Scalar) return;
        if (reg.Value.RepairInvariants(context) is { } report) Verbose($"verifier bug: {report}\n");
    }

    /// <summary>Give a scalar an id before copying it, so that the copy stays linked to it.</summary>
    private void AssignScalarIdBeforeMov(ref RegState src)
    {
        if (src.Type != RegType.Scalar) return;
        if ((src.Id & RegState.AddConst) != 0)
        {
            src.Id = 0;
            src.Off = 0;
        }
        if (src.Id == 0 && !src.Value.VarOff.IsConst) src.Id = ++_idGen;
    }

    private void AdjustRegMinMaxVals(Instruction insn)
    {
        var regs = CurRegs;
        ref var dst = ref regs[insn.Dst];
        var op = insn.AluOp;
        bool alu32 = insn.Class != InstructionClass.Alu64;
        RegState src;
        bool dstIsPtr = dst.Type != RegType.Scalar;
        if (insn.UsesRegisterSource)
        {
            src = regs[insn.Src];
            if (src.Type != RegType.Scalar)
            {
                if (dst.Type != RegType.Scalar)
                {
                    if (op == AluOperation.Sub)
                    {
                        dst.MarkUnknown();
                        return;
                    }
                    Reject($"R{insn.Dst} pointer {AluNames[(int)op >> 4]} pointer prohibited", VerifierReject.EACCES);
                }
                MarkChainPrecision(insn.Dst);
                AdjustPtrMinMaxVals(insn, in regs[insn.Src], regs[insn.Dst], offIsDst: true);
                return;
            }
            if (dstIsPtr)
            {
                MarkChainPrecision(insn.Src);
                AdjustPtrMinMaxVals(insn, regs[insn.Dst], src, offIsDst: false);
                return;
            }
            if (dst.Precise) MarkChainPrecision(insn.Src);
        }
        else
        {
            src = default;
            src.SetConstScalar((ulong)(long)insn.Immediate);
            if (dstIsPtr)
            {
                AdjustPtrMinMaxVals(insn, regs[insn.Dst], src, offIsDst: false);
                return;
            }
        }
        // A 32-bit add keeps the link only if the upper half was zero before it (zero-extension changes nothing).
        ulong dstUmaxBefore = dst.Value.UMax;
        AdjustScalarMinMaxVals(insn, ref dst, src);
        if (op is AluOperation.Add or AluOperation.Sub && dst.Id != 0 && src.IsConstScalar(alu32))
        {
            // rX += c and rX -= c keep rX linked to its origin, c away (Linux 6.18.44 with the stable backports of
            // negative, subtracted and 32-bit deltas): while c fits an s32 and rX is not already a delta away.
            ulong val = alu32 ? (uint)src.Value.VarOff.Value : src.Value.VarOff.Value;
            bool keep = alu32 ? dstUmaxBefore <= uint.MaxValue : (long)val is >= int.MinValue and <= int.MaxValue;
            int off = (int)val;
            if (keep && op == AluOperation.Sub)
            {
                keep = off != int.MinValue;
                off = -off;
            }
            if (keep && (dst.Id & RegState.AddConst) == 0)
            {
                dst.Id |= alu32 ? RegState.AddConst32 : RegState.AddConst64;
                dst.Off = off;
            }
            else
            {
                dst.Off = 0;
                dst.Id = 0;
            }
        }
        else
        {
            // The delta goes with the link: a stale one would shift every later copy synced from this register.
            dst.Id = 0;
            dst.Off = 0;
        }
    }

    private void AdjustScalarMinMaxVals(Instruction insn, ref RegState dst, RegState src)
    {
        var op = insn.AluOp;
        bool alu64 = insn.Class == InstructionClass.Alu64;
        if (!ScalarAlu.IsRangeComputable(op, in src.Value, alu64))
        {
            dst.MarkUnknown();
            return;
        }
        if (ScalarAlu.TrySplitSignMask(op, in dst.Value, in src.Value, out var minusOne, out var zero))
        {
            var branch = PushStack(_insnIdx, _insnIdx);
            branch.Regs[insn.Dst].Value = zero;
            dst.Value = minusOne;
        }
        dst.Value = ScalarAlu.Compute(op, dst.Value, src.Value, alu64, insn.Offset);
    }

    private bool CheckRegSaneOffset(in RegState reg, RegType type, RegFlags flags)
    {
        bool known = reg.Value.VarOff.IsConst;
        long val = (long)reg.Value.VarOff.Value;
        long smin = reg.Value.SMin;
        string name = RegTypeName(type, flags);
        if (known && (val >= MaxVarOff || val <= -MaxVarOff))
        {
            Verbose($"math between {name} pointer and {val} is not allowed\n");
            return false;
        }
        if (reg.Off >= MaxVarOff || reg.Off <= -MaxVarOff)
        {
            Verbose($"{name} pointer offset {reg.Off} is not allowed\n");
            return false;
        }
        if (smin == long.MinValue)
        {
            Verbose($"math between {name} pointer and register with unbounded min value is not allowed\n");
            return false;
        }
        if (smin >= MaxVarOff || smin <= -MaxVarOff)
        {
            Verbose($"value {smin} makes {name} pointer be out of bounds\n");
            return false;
        }
        return true;
    }

    /// <summary>Pointer plus or minus a scalar (adjust_ptr_min_max_vals); the result goes to the instruction's dst.</summary>
    private void AdjustPtrMinMaxVals(Instruction insn, in RegState ptrReg, in RegState offReg, bool offIsDst)
    {
        var ptr = ptrReg;
        var off = offReg;
        ref var dst = ref CurRegs[insn.Dst];
        var op = insn.AluOp;
        int dstNo = insn.Dst;
        bool known = off.Value.VarOff.IsConst;
        long sminVal = off.Value.SMin, smaxVal = off.Value.SMax;
        ulong uminVal = off.Value.UMin, umaxVal = off.Value.UMax;
        long sminPtr = ptr.Value.SMin, smaxPtr = ptr.Value.SMax;
        ulong uminPtr = ptr.Value.UMin, umaxPtr = ptr.Value.UMax;

        if ((known && (sminVal != smaxVal || uminVal != umaxVal)) || sminVal > smaxVal || uminVal > umaxVal)
        {
            dst.MarkUnknown();
            return;
        }
        if (insn.Class != InstructionClass.Alu64)
        {
            if (op == AluOperation.Sub)
            {
                dst.MarkUnknown();
                return;
            }
            Reject($"R{dstNo} 32-bit pointer arithmetic prohibited", VerifierReject.EACCES);
        }
        if (ptr.MaybeNull)
            Reject($"R{dstNo} pointer arithmetic on {RegTypeName(in ptr)} prohibited, null-check it first", VerifierReject.EACCES);
        if (ptr.Type == RegType.Mem && (ptr.Flags & RegFlags.Untrusted) != 0) return;
        switch (ptr.Type)
        {
            case RegType.Ctx or RegType.MapValue or RegType.MapKey or RegType.Stack or RegType.PacketMeta or
                RegType.Packet or RegType.TpBuffer or RegType.BtfId or RegType.Mem or RegType.Buffer or RegType.Func or
                RegType.ConstDynptr:
                break;
            case RegType.FlowKeys when known:
                break;
            case RegType.FlowKeys or RegType.ConstMap:
                if (ptr.Type == RegType.ConstMap && known && sminVal == 0 && op == AluOperation.Add) break;
                goto default;
            default:
                Reject($"R{dstNo} pointer arithmetic on {RegTypeName(in ptr)} prohibited", VerifierReject.EACCES);
                break;
        }

        dst.Type = ptr.Type;
        dst.Flags = ptr.Flags;
        dst.Id = ptr.Id;
        if (!CheckRegSaneOffset(in off, ptr.Type, ptr.Flags) || !CheckRegSaneOffset(in ptr, ptr.Type, ptr.Flags))
            throw new VerifierReject(VerifierReject.EINVAL);

        var v = dst.Value;
        v.MarkUnbounded32();
        switch (op)
        {
            case AluOperation.Add:
                if (known && (long)ptr.Off + sminVal == (int)(ptr.Off + sminVal))
                {
                    v.SMin = sminPtr;
                    v.SMax = smaxPtr;
                    v.UMin = uminPtr;
                    v.UMax = umaxPtr;
                    v.VarOff = ptr.Value.VarOff;
                    dst.Off = (int)(ptr.Off + sminVal);
                    dst.Aux = ptr.Aux;
                    dst.FrameNo = ptr.FrameNo;
                    dst.RefObjId = ptr.RefObjId;
                    break;
                }
                if (ScalarOverflow.Add(sminPtr, sminVal, out v.SMin) | ScalarOverflow.Add(smaxPtr, smaxVal, out v.SMax))
                {
                    v.SMin = long.MinValue;
                    v.SMax = long.MaxValue;
                }
                if (ScalarOverflow.Add(uminPtr, uminVal, out v.UMin) | ScalarOverflow.Add(umaxPtr, umaxVal, out v.UMax))
                {
                    v.UMin = 0;
                    v.UMax = ulong.MaxValue;
                }
                v.VarOff = ptr.Value.VarOff.Add(off.Value.VarOff);
                dst.Off = ptr.Off;
                dst.Aux = ptr.Aux;
                dst.FrameNo = ptr.FrameNo;
                dst.RefObjId = ptr.RefObjId;
                if (ptr.IsPacketPointer)
                {
                    dst.Id = ++_idGen;
                    dst.Range = 0;
                }
                break;
            case AluOperation.Sub:
                if (offIsDst)
                    Reject($"R{dstNo} tried to subtract pointer from scalar", VerifierReject.EACCES);
                if (ptr.Type == RegType.Stack)
                    Reject($"R{dstNo} subtraction from stack pointer prohibited", VerifierReject.EACCES);
                if (known && (long)ptr.Off - sminVal == (int)(ptr.Off - sminVal))
                {
                    v.SMin = sminPtr;
                    v.SMax = smaxPtr;
                    v.UMin = uminPtr;
                    v.UMax = umaxPtr;
                    v.VarOff = ptr.Value.VarOff;
                    dst.Id = ptr.Id;
                    dst.Off = (int)(ptr.Off - sminVal);
                    dst.Aux = ptr.Aux;
                    dst.FrameNo = ptr.FrameNo;
                    dst.RefObjId = ptr.RefObjId;
                    break;
                }
                if (ScalarOverflow.Sub(sminPtr, smaxVal, out v.SMin) | ScalarOverflow.Sub(smaxPtr, sminVal, out v.SMax))
                {
                    v.SMin = long.MinValue;
                    v.SMax = long.MaxValue;
                }
                if (uminPtr < umaxVal)
                {
                    v.UMin = 0;
                    v.UMax = ulong.MaxValue;
                }
                else
                {
                    v.UMin = uminPtr - umaxVal;
                    v.UMax = umaxPtr - uminVal;
                }
                v.VarOff = ptr.Value.VarOff.Sub(off.Value.VarOff);
                dst.Off = ptr.Off;
                dst.Aux = ptr.Aux;
                dst.FrameNo = ptr.FrameNo;
                dst.RefObjId = ptr.RefObjId;
                if (ptr.IsPacketPointer)
                {
                    dst.Id = ++_idGen;
                    if (sminVal < 0) dst.Range = 0;
                }
                break;
            case AluOperation.And or AluOperation.Or or AluOperation.Xor:
                Reject($"R{dstNo} bitwise operator {AluNames[(int)op >> 4]} on pointer prohibited", VerifierReject.EACCES);
                break;
            default:
                Reject($"R{dstNo} pointer arithmetic with {AluNames[(int)op >> 4]} operator prohibited", VerifierReject.EACCES);
                break;
        }
        dst.Value = v;
        if (!CheckRegSaneOffset(in dst, ptr.Type, ptr.Flags)) throw new VerifierReject(VerifierReject.EINVAL);
        dst.Value.SyncBounds();
    }

    // ---- ld_imm64, ld_abs ----------------------------------------------------------------------------------

    private void CheckLdImm(Instruction insn)
    {
        var regs = CurRegs;
        if (insn.MemSize != MemorySize.DW) Reject("invalid BPF_LD_IMM insn", VerifierReject.EINVAL);
        if (insn.Offset != 0) Reject("BPF_LD_IMM64 uses reserved fields", VerifierReject.EINVAL);
        CheckRegArg(insn.Dst, RegArg.Dst);
        ref var dst = ref regs[insn.Dst];
        var high = _insns[_insnIdx + 1];
        if (insn.Src == 0)
        {
            dst.SetConstScalar(Instruction.Imm64(insn, high));
            return;
        }
        dst.MarkKnown(0);
        if (insn.Src == PseudoSource.Func)
        {
            int sub = FindSubprog(_insnIdx + insn.Immediate + 1);
            if (_funcInfos.Count == 0) Reject("missing btf func_info", VerifierReject.EINVAL);
            if (_subprogs[sub].IsGlobal) Reject("callback function not static", VerifierReject.EINVAL);
            dst.Type = RegType.Func;
            dst.Aux = sub;
            return;
        }
        int mapIndex = insn.Immediate;
        if (insn.Src == PseudoSource.MapIdxValue)
        {
            dst.Type = RegType.MapValue;
            dst.Aux = mapIndex;
            dst.Off = high.Immediate;
        }
        else
        {
            dst.Type = RegType.ConstMap;
            dst.Aux = mapIndex;
        }
    }

    private void CheckLdAbs(Instruction insn)
    {
        var regs = CurRegs;
        if (_progType is not (ProgramType.SocketFilter or ProgramType.SchedCls or ProgramType.SchedAct))
            Reject("BPF_LD_[ABS|IND] instructions not allowed for this program type", VerifierReject.EINVAL);
        if (insn.Dst != 0 || insn.Offset != 0 || insn.MemSize == MemorySize.DW ||
            (insn.MemMode == MemoryMode.Abs && insn.Src != 0))
            Reject("BPF_LD_[ABS|IND] uses reserved fields", VerifierReject.EINVAL);
        CheckRegArg(6, RegArg.Src);
        CheckResourceLeak(false, true, "BPF_LD_[ABS|IND]");
        if (regs[6].Type != RegType.Ctx) Reject("at the time of BPF_LD_ABS|IND R6 != pointer to skb", VerifierReject.EINVAL);
        if (insn.MemMode == MemoryMode.Ind) CheckRegArg(insn.Src, RegArg.Src);
        CheckPtrOffReg(in regs[6], 6, false);
        for (int i = 0; i <= 5; i++)
        {
            regs[i].MarkNotInit();
            CheckRegArg(i, RegArg.DstNoMark);
        }
        regs[0].MarkUnknown();
    }

    // ---- conditional jumps --------------------------------------------------------------------------------

    private void CheckCondJmpOp(Instruction insn)
    {
        var thisBranch = _cur;
        var regs = thisBranch.Regs;
        var opcode = insn.JumpOp;
        if (opcode == JumpOperation.Ja || (int)opcode > (int)JumpOperation.Jcond)
            Reject($"invalid BPF_JMP/JMP32 opcode {(int)opcode:x}", VerifierReject.EINVAL);
        if (opcode == JumpOperation.Jcond)
        {
            if (insn.Opcode != 0xe5 || insn.Src != 0 || insn.Dst != 0 || insn.Immediate != 0)
                Reject($"invalid may_goto imm {insn.Immediate}", VerifierReject.EINVAL);
            // The checkpoint just made here is _cur.Parent; the one before it on this path is the previous iteration.
            var prev = FindPrevEntry(_cur.Parent, _insnIdx);
            var queued = PushStack(_insnIdx + 1, _insnIdx);
            queued.MayGotoDepth++;
            if (prev is not null) WidenImpreciseScalars(prev, queued);
            _insnIdx += insn.Offset;
            return;
        }
        CheckRegArg(insn.Dst, RegArg.Src);
        int insnFlags = 0;
        RegState srcReg;
        if (insn.UsesRegisterSource)
        {
            if (insn.Immediate != 0) Reject("BPF_JMP/JMP32 uses reserved fields", VerifierReject.EINVAL);
            CheckRegArg(insn.Src, RegArg.Src);
            srcReg = regs[insn.Src];
            if (srcReg.Type == RegType.Stack) insnFlags |= JmpHistoryEntry.SrcRegStack;
            if (regs[insn.Dst].Type == RegType.Stack) insnFlags |= JmpHistoryEntry.DstRegStack;
        }
        else
        {
            if (insn.Src != 0) Reject("BPF_JMP/JMP32 uses reserved fields", VerifierReject.EINVAL);
            srcReg = default;
            srcReg.SetConstScalar((ulong)(long)insn.Immediate);
            if (regs[insn.Dst].Type == RegType.Stack) insnFlags |= JmpHistoryEntry.DstRegStack;
        }
        if (insnFlags != 0) PushJmpHistory(thisBranch, insnFlags, 0);

        bool is32 = insn.Class == InstructionClass.Jmp32;
        var dstReg = regs[insn.Dst];
        int pred = IsBranchTaken(in dstReg, in srcReg, opcode, is32);
        if (pred >= 0)
        {
            if (dstReg.Type == RegType.Scalar) MarkChainPrecision(insn.Dst);
            if (insn.UsesRegisterSource && srcReg.Type == RegType.Scalar) MarkChainPrecision(insn.Src);
        }
        if (pred == 1)
        {
            if (_log.Enabled) PrintInsnState(thisBranch, thisBranch.CurFrame);
            _insnIdx += insn.Offset;
            return;
        }
        if (pred == 0)
        {
            if (_log.Enabled) PrintInsnState(thisBranch, thisBranch.CurFrame);
            return;
        }

        var linked = new LinkedRegs();
        if (insn.UsesRegisterSource && srcReg.Type == RegType.Scalar && srcReg.Id != 0)
            CollectLinkedRegs(thisBranch, srcReg.Id, ref linked);
        if (dstReg.Type == RegType.Scalar && dstReg.Id != 0)
            CollectLinkedRegs(thisBranch, dstReg.Id, ref linked);
        if (linked.Count > 1) PushJmpHistory(thisBranch, 0, linked.Pack());

        var otherBranch = PushStack(_insnIdx + insn.Offset + 1, _insnIdx);
        var otherRegs = otherBranch.Regs;

        if (insn.UsesRegisterSource)
        {
            RegSetMinMax(ref otherRegs[insn.Dst], ref otherRegs[insn.Src], ref regs[insn.Dst], ref regs[insn.Src], opcode, is32);
        }
        else
        {
            var fake0 = srcReg;
            var fake1 = srcReg;
            RegSetMinMax(ref otherRegs[insn.Dst], ref fake0, ref regs[insn.Dst], ref fake1, opcode, is32);
        }

        if (insn.UsesRegisterSource && regs[insn.Src].Type == RegType.Scalar && regs[insn.Src].Id != 0)
        {
            SyncLinkedRegs(thisBranch, in regs[insn.Src], ref linked, insn.Src);
            SyncLinkedRegs(otherBranch, in otherRegs[insn.Src], ref linked, insn.Src);
        }
        if (regs[insn.Dst].Type == RegType.Scalar && regs[insn.Dst].Id != 0)
        {
            SyncLinkedRegs(thisBranch, in regs[insn.Dst], ref linked, insn.Dst);
            SyncLinkedRegs(otherBranch, in otherRegs[insn.Dst], ref linked, insn.Dst);
        }

        ref var d = ref regs[insn.Dst];
        ref var s = ref regs[insn.Src];
        if (!is32 && insn.UsesRegisterSource && s.IsPointer && d.IsPointer &&
            s.MaybeNull != d.MaybeNull && s.Type != RegType.BtfId && d.Type != RegType.BtfId)
        {
            RegState[]? eqRegs = opcode switch
            {
                JumpOperation.Jeq => otherRegs,
                JumpOperation.Jne => regs,
                _ => null,
            };
            if (eqRegs is not null)
            {
                if (s.MaybeNull) MarkPtrNotNullReg(ref eqRegs[insn.Src]);
                else MarkPtrNotNullReg(ref eqRegs[insn.Dst]);
            }
        }

        if (!is32 && !insn.UsesRegisterSource && insn.Immediate == 0 &&
            opcode is JumpOperation.Jeq or JumpOperation.Jne && regs[insn.Dst].MaybeNull)
        {
            MarkPtrOrNullRegs(thisBranch, insn.Dst, opcode == JumpOperation.Jne);
            MarkPtrOrNullRegs(otherBranch, insn.Dst, opcode == JumpOperation.Jeq);
        }
        else
        {
            TryMatchPktPointers(insn, thisBranch, otherBranch);
        }
        if (_log.Enabled) PrintInsnState(thisBranch, thisBranch.CurFrame);
    }

    private static JumpOperation FlipOpcode(JumpOperation op) => op switch
    {
        JumpOperation.Jge => JumpOperation.Jle,
        JumpOperation.Jgt => JumpOperation.Jlt,
        JumpOperation.Jle => JumpOperation.Jge,
        JumpOperation.Jlt => JumpOperation.Jgt,
        JumpOperation.Jsge => JumpOperation.Jsle,
        JumpOperation.Jsgt => JumpOperation.Jslt,
        JumpOperation.Jsle => JumpOperation.Jsge,
        JumpOperation.Jslt => JumpOperation.Jsgt,
        _ => op,
    };

    private const int AtPktEnd = -1, BeyondPktEnd = -2;

    private static int IsPktPtrBranchTaken(in RegState dst, in RegState src, JumpOperation op)
    {
        RegState pkt;
        if (src.Type == RegType.PacketEnd) pkt = dst;
        else if (dst.Type == RegType.PacketEnd)
        {
            pkt = src;
            op = FlipOpcode(op);
        }
        else return -1;
        if (pkt.Range >= 0) return -1;
        switch (op)
        {
            case JumpOperation.Jle or JumpOperation.Jgt:
                if (pkt.Range == BeyondPktEnd) return op == JumpOperation.Jgt ? 1 : 0;
                break;
            case JumpOperation.Jlt or JumpOperation.Jge:
                if (pkt.Range is BeyondPktEnd or AtPktEnd) return op == JumpOperation.Jge ? 1 : 0;
                break;
        }
        return -1;
    }

    /// <summary>The kernel's reg_not_null: pointer types that are never NULL (the stack and ctx are not listed).</summary>
    private static bool RegNotNull(in RegState reg)
    {
        if (reg.MaybeNull) return false;
        return reg.Type is RegType.Socket or RegType.TcpSock or RegType.MapValue or RegType.MapKey or
            RegType.SockCommon or RegType.ConstMap ||
            (reg.Type == RegType.Mem && (reg.Flags & RegFlags.Untrusted) == 0) ||
            (reg.Type == RegType.BtfId && (reg.RefObjId != 0 || (reg.Flags & RegFlags.Trusted) != 0));
    }

    private static int IsBranchTaken(in RegState reg1, in RegState reg2, JumpOperation op, bool is32)
    {
        if (reg1.IsPacketPointerAny && reg2.IsPacketPointerAny && !is32)
            return IsPktPtrBranchTaken(in reg1, in reg2, op);
        if (reg1.IsPointer || reg2.IsPointer)
        {
            var r1 = reg1;
            var r2 = reg2;
            if (!r2.IsConstScalar(is32))
            {
                op = FlipOpcode(op);
                (r1, r2) = (r2, r1);
            }
            if (!r2.IsConstScalar(is32)) return -1;
            if (!RegNotNull(in r1)) return -1;
            ulong val = is32 ? (uint)r2.Value.VarOff.Value : r2.Value.VarOff.Value;
            if (val != 0) return -1;
            return op switch
            {
                JumpOperation.Jeq => 0,
                JumpOperation.Jne => 1,
                _ => -1,
            };
        }
        return ScalarBranch.BranchTaken(in reg1.Value, in reg2.Value, op, is32);
    }

    private void RegSetMinMax(ref RegState trueReg1, ref RegState trueReg2, ref RegState falseReg1, ref RegState falseReg2,
        JumpOperation op, bool is32)
    {
        if (falseReg1.Type != RegType.Scalar || falseReg2.Type != RegType.Scalar) return;
        ScalarBranch.Refine(ref falseReg1.Value, ref falseReg2.Value, op, is32, taken: false);
        ScalarBranch.Refine(ref trueReg1.Value, ref trueReg2.Value, op, is32, taken: true);
        SanityCheck(ref trueReg1, "true_reg1");
        SanityCheck(ref trueReg2, "true_reg2");
        SanityCheck(ref falseReg1, "false_reg1");
        SanityCheck(ref falseReg2, "false_reg2");
    }

    private void CollectLinkedRegs(VerifierState vstate, int id, ref LinkedRegs linked)
    {
        id &= ~RegState.AddConst;
        for (int i = vstate.CurFrame; i >= 0; i--)
        {
            ushort live = _aux[vstate.FrameInsnIdx(i)].LiveRegsBefore;
            var func = vstate.Frames[i]!;
            for (int j = 0; j < 10; j++)
            {
                if ((live & (1 << j)) == 0) continue;
                ref var reg = ref func.Regs[j];
                if (reg.Type != RegType.Scalar || (reg.Id & ~RegState.AddConst) != id) continue;
                if (!linked.TryPush(new LinkedRegs.Entry(i, j, true))) reg.Id = 0;
            }
            for (int j = 0; j < func.Slots; j++)
            {
                if (!func.IsSpilled(j)) continue;
                ref var reg = ref func.Spilled[j];
                if (reg.Type != RegType.Scalar || (reg.Id & ~RegState.AddConst) != id) continue;
                if (!linked.TryPush(new LinkedRegs.Entry(i, j, false))) reg.Id = 0;
            }
        }
    }

    private static void SyncLinkedRegs(VerifierState vstate, in RegState knownReg, ref LinkedRegs linked, int knownRegno)
    {
        var known = knownReg;
        for (int i = 0; i < linked.Count; i++)
        {
            var e = linked[i];
            var func = vstate.Frames[e.Frame]!;
            ref var reg = ref e.IsReg ? ref func.Regs[e.Index] : ref func.Spilled[e.Index];
            if (reg.Type != RegType.Scalar) continue;
            if (e.IsReg && e.Frame == vstate.CurFrame && e.Index == knownRegno) continue;
            if ((reg.Id & ~RegState.AddConst) != (known.Id & ~RegState.AddConst)) continue;
            if (((reg.Id & RegState.AddConst) == 0 && (known.Id & RegState.AddConst) == 0) || reg.Off == known.Off)
            {
                reg = known;
            }
            else
            {
                int savedOff = reg.Off;
                int savedId = reg.Id;
                var fake = ScalarValue.Known((long)savedOff - known.Off);
                reg = known;
                reg.Off = savedOff;
                reg.Id = savedId;
                reg.Value = AddNoSync(reg.Value, fake);
                // Either side linked through a 32-bit add means the relation holds on zero-extended 32-bit values
                // (Linux 6.18.44 with its stable fixes; both directions checked on the live kernel).
                if (((savedId | known.Id) & RegState.AddConst32) != 0) reg.Value.ZeroExtend32To64();
                // Linux 6.18.44 re-derives bounds and tnum after adding the delta (checked on the live kernel:
                // u32 origin [0x88ac, 0xffffffff] gets var_off (0x0; 0xffffffff), not tnum_add's 0x1ffffffff).
                ScalarBounds.Sync(ref reg.Value);
            }
        }
    }

    /// <summary>Bounds and tnum of a + b without re-deriving bounds (what sync_linked_regs applies).</summary>
    private static ScalarValue AddNoSync(ScalarValue d, in ScalarValue s)
    {
        if (ScalarOverflow.Add(d.S32Min, s.S32Min, out d.S32Min) | ScalarOverflow.Add(d.S32Max, s.S32Max, out d.S32Max))
            (d.S32Min, d.S32Max) = (int.MinValue, int.MaxValue);
        bool lo = ScalarOverflow.Add(d.U32Min, s.U32Min, out d.U32Min), hi = ScalarOverflow.Add(d.U32Max, s.U32Max, out d.U32Max);
        if (!lo && hi) (d.U32Min, d.U32Max) = (0, uint.MaxValue);
        if (ScalarOverflow.Add(d.SMin, s.SMin, out d.SMin) | ScalarOverflow.Add(d.SMax, s.SMax, out d.SMax))
            (d.SMin, d.SMax) = (long.MinValue, long.MaxValue);
        lo = ScalarOverflow.Add(d.UMin, s.UMin, out d.UMin);
        hi = ScalarOverflow.Add(d.UMax, s.UMax, out d.UMax);
        if (!lo && hi) (d.UMin, d.UMax) = (0, ulong.MaxValue);
        d.VarOff = d.VarOff.Add(s.VarOff);
        return d;
    }

    private void MarkPtrNotNullReg(ref RegState reg)
    {
        if (reg.Type == RegType.MapValue)
        {
            var map = _maps[reg.Aux];
            if (map.InnerIndex >= 0)
            {
                reg.Type = RegType.ConstMap;
                reg.Aux = map.InnerIndex;
            }
            else if (map.Type == MapType.Xskmap) reg.Type = RegType.XdpSock;
            else if (map.Type is MapType.Sockmap or MapType.Sockhash) reg.Type = RegType.Socket;
            reg.Flags &= ~RegFlags.MaybeNull;
            return;
        }
        reg.Flags &= ~RegFlags.MaybeNull;
    }

    private void MarkPtrOrNullReg(ref RegState reg, int id, bool isNull)
    {
        if (!reg.MaybeNull || reg.Id != id) return;
        if (reg.Value.SMin != 0 || reg.Value.SMax != 0 || !reg.Value.VarOff.EqualsConst(0)) return;
        if (reg.Off != 0) return;
        if (isNull)
        {
            reg.Type = RegType.Scalar;
            reg.Flags = RegFlags.None;
            reg.Aux = 0;
            reg.Id = 0;
            reg.RefObjId = 0;
            return;
        }
        MarkPtrNotNullReg(ref reg);
        if (!RegMayPointToSpinLock(in reg)) reg.Id = 0;
    }

    private bool RegMayPointToSpinLock(in RegState reg) =>
        reg.Type == RegType.MapValue && (uint)reg.Aux < (uint)_maps.Length && _maps[reg.Aux].SpinLockOffset >= 0;

    private void MarkPtrOrNullRegs(VerifierState vstate, int regno, bool isNull)
    {
        var regs = vstate.Regs;
        int refObjId = regs[regno].RefObjId;
        int id = regs[regno].Id;
        if (refObjId != 0 && refObjId == id && isNull) ReleaseReferenceState(vstate, id);
        ForEachReg(vstate, (ref RegState r) => MarkPtrOrNullReg(ref r, id, isNull));
    }

    private delegate void RegAction(ref RegState reg);

    /// <summary>Every register and spilled register of every frame (bpf_for_each_reg_in_vstate).</summary>
    private static void ForEachReg(VerifierState vstate, RegAction action)
    {
        for (int i = 0; i <= vstate.CurFrame; i++)
        {
            var f = vstate.Frames[i]!;
            for (int j = 0; j < FuncState.RegCount; j++) action(ref f.Regs[j]);
            for (int j = 0; j < f.Slots; j++)
                if (f.IsSpilled(j)) action(ref f.Spilled[j]);
        }
    }

    private static bool IsInitPktPointer(in RegState reg, RegType which) =>
        reg.Type == which && reg.Id == 0 && reg.Off == 0 && reg.Value.VarOff.EqualsConst(0);

    private static void FindGoodPktPointers(VerifierState vstate, in RegState dstReg, RegType type, bool rangeRightOpen)
    {
        var dst = dstReg;
        if (dst.Off < 0 || (dst.Off == 0 && rangeRightOpen)) return;
        if (dst.Value.UMax > 0xffff || dst.Value.UMax + (ulong)dst.Off > 0xffff) return;
        int newRange = dst.Off + (rangeRightOpen ? 1 : 0);
        ForEachReg(vstate, (ref RegState r) =>
        {
            if (r.Type == type && r.Id == dst.Id) r.Range = Math.Max(r.Range, newRange);
        });
    }

    private static void MarkPktEnd(VerifierState vstate, int regn, bool rangeOpen)
    {
        ref var reg = ref vstate.Regs[regn];
        if (reg.Type != RegType.Packet) return;
        reg.Range = rangeOpen ? BeyondPktEnd : AtPktEnd;
    }

    private static void TryMatchPktPointers(Instruction insn, VerifierState thisBranch, VerifierState otherBranch)
    {
        if (!insn.UsesRegisterSource || insn.Class == InstructionClass.Jmp32) return;
        var regs = thisBranch.Regs;
        var dst = regs[insn.Dst];
        var src = regs[insn.Src];
        bool pktLeft = (dst.Type == RegType.Packet && src.Type == RegType.PacketEnd) ||
                       (dst.Type == RegType.PacketMeta && IsInitPktPointer(in src, RegType.Packet));
        bool pktRight = (dst.Type == RegType.PacketEnd && src.Type == RegType.Packet) ||
                        (IsInitPktPointer(in dst, RegType.Packet) && src.Type == RegType.PacketMeta);
        switch (insn.JumpOp)
        {
            case JumpOperation.Jgt:
                if (pktLeft)
                {
                    FindGoodPktPointers(thisBranch, in dst, dst.Type, false);
                    MarkPktEnd(otherBranch, insn.Dst, true);
                }
                else if (pktRight)
                {
                    FindGoodPktPointers(otherBranch, in src, src.Type, true);
                    MarkPktEnd(thisBranch, insn.Src, false);
                }
                break;
            case JumpOperation.Jlt:
                if (pktLeft)
                {
                    FindGoodPktPointers(otherBranch, in dst, dst.Type, true);
                    MarkPktEnd(thisBranch, insn.Dst, false);
                }
                else if (pktRight)
                {
                    FindGoodPktPointers(thisBranch, in src, src.Type, false);
                    MarkPktEnd(otherBranch, insn.Src, true);
                }
                break;
            case JumpOperation.Jge:
                if (pktLeft)
                {
                    FindGoodPktPointers(thisBranch, in dst, dst.Type, true);
                    MarkPktEnd(otherBranch, insn.Dst, false);
                }
                else if (pktRight)
                {
                    FindGoodPktPointers(otherBranch, in src, src.Type, false);
                    MarkPktEnd(thisBranch, insn.Src, true);
                }
                break;
            case JumpOperation.Jle:
                if (pktLeft)
                {
                    FindGoodPktPointers(otherBranch, in dst, dst.Type, false);
                    MarkPktEnd(thisBranch, insn.Dst, true);
                }
                else if (pktRight)
                {
                    FindGoodPktPointers(thisBranch, in src, src.Type, true);
                    MarkPktEnd(otherBranch, insn.Src, false);
                }
                break;
        }
    }
}
