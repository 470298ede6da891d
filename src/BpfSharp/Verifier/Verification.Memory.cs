using System.Buffers.Binary;
using BpfSharp.Isa;
using BpfSharp.Loader;

namespace BpfSharp.Verifier;

/// <summary>Memory accesses: the stack with its spills and fills, ctx, packet, map values and keys, memory regions.</summary>
internal sealed partial class Verification
{
    private const int MaxPacketOff = 0xffff;

    private FuncState FrameOf(in RegState reg) => _cur.Frames[reg.FrameNo]!;

    // strictAlignmentOnce: atomic loads must be aligned even where plain loads need not be.
    private void CheckLoadMem(Instruction insn, bool isLdsx, bool strictAlignmentOnce = false)
    {
        var regs = CurRegs;
        CheckRegArg(insn.Src, RegArg.Src);
        CheckRegArg(insn.Dst, RegArg.DstNoMark);
        var srcType = regs[insn.Src].Type;
        CheckMemAccess(insn.Src, insn.Offset, insn.MemSize, write: false, valueRegno: insn.Dst, strictAlignmentOnce, isLdsx);
        SaveAuxPtrType(srcType);
        SanityCheck(ref regs[insn.Dst], "ldx");
    }

    // strictAlignmentOnce: atomic stores must be aligned even where plain stores need not be.
    private void CheckStoreReg(Instruction insn, bool strictAlignmentOnce = false)
    {
        var regs = CurRegs;
        CheckRegArg(insn.Src, RegArg.Src);
        CheckRegArg(insn.Dst, RegArg.Src);
        var dstType = regs[insn.Dst].Type;
        CheckMemAccess(insn.Dst, insn.Offset, insn.MemSize, write: true, valueRegno: insn.Src, strictAlignmentOnce, isLdsx: false);
        SaveAuxPtrType(dstType);
    }

    private static bool AtomicPtrTypeOk(in RegState reg) =>
        reg.Type is not (RegType.Ctx or RegType.Packet or RegType.PacketMeta or RegType.FlowKeys or
            RegType.Socket or RegType.SockCommon or RegType.TcpSock or RegType.XdpSock);

    private void CheckAtomic(Instruction insn)
    {
        int imm = insn.Immediate;
        switch (imm)
        {
            case AtomicOperation.Add or AtomicOperation.Add | AtomicOperation.Fetch or AtomicOperation.And or
                AtomicOperation.And | AtomicOperation.Fetch or AtomicOperation.Or or AtomicOperation.Or | AtomicOperation.Fetch or
                AtomicOperation.Xor or AtomicOperation.Xor | AtomicOperation.Fetch or AtomicOperation.Xchg or AtomicOperation.Cmpxchg:
                CheckAtomicRmw(insn);
                return;
            case AtomicOperation.LoadAcquire:
            {
                CheckLoadMem(insn, false, strictAlignmentOnce: true);
                ref var reg = ref CurRegs[insn.Src];
                if (!AtomicPtrTypeOk(in reg))
                    Reject($"BPF_ATOMIC loads from R{insn.Src} {RegTypeName(in reg)} is not allowed", VerifierReject.EACCES);
                return;
            }
            case AtomicOperation.StoreRelease:
            {
                CheckStoreReg(insn, strictAlignmentOnce: true);
                ref var reg = ref CurRegs[insn.Dst];
                if (!AtomicPtrTypeOk(in reg))
                    Reject($"BPF_ATOMIC stores into R{insn.Dst} {RegTypeName(in reg)} is not allowed", VerifierReject.EACCES);
                return;
            }
            default:
                Reject($"BPF_ATOMIC uses invalid atomic opcode {imm:x2}", VerifierReject.EINVAL);
                return;
        }
    }

    private void CheckAtomicRmw(Instruction insn)
    {
        var regs = CurRegs;
        if (insn.MemSize is not (MemorySize.W or MemorySize.DW)) Reject("invalid atomic operand size", VerifierReject.EINVAL);
        CheckRegArg(insn.Src, RegArg.Src);
        CheckRegArg(insn.Dst, RegArg.Src);
        if (insn.Immediate == AtomicOperation.Cmpxchg) CheckRegArg(0, RegArg.Src);
        if (!AtomicPtrTypeOk(in regs[insn.Dst]))
            Reject($"BPF_ATOMIC stores into R{insn.Dst} {RegTypeName(in regs[insn.Dst])} is not allowed", VerifierReject.EACCES);
        int loadReg = -1;
        if ((insn.Immediate & AtomicOperation.Fetch) != 0)
        {
            loadReg = insn.Immediate == AtomicOperation.Cmpxchg ? 0 : insn.Src;
            CheckRegArg(loadReg, RegArg.Dst);
        }
        CheckMemAccess(insn.Dst, insn.Offset, insn.MemSize, false, -1, true, false);
        if (loadReg >= 0) CheckMemAccess(insn.Dst, insn.Offset, insn.MemSize, false, loadReg, true, false);
        CheckMemAccess(insn.Dst, insn.Offset, insn.MemSize, true, -1, true, false);
    }

    // ---- check_mem_access ---------------------------------------------------------------------------------

    private void CheckMemAccess(int regno, int off, MemorySize bpfSize, bool write, int valueRegno, bool strictAlignmentOnce, bool isLdsx)
    {
        var regs = CurRegs;
        int size = Instruction.Bytes(bpfSize);
        CheckPtrAlignment(in regs[regno], off, size, strictAlignmentOnce);
        var reg = regs[regno];
        off += reg.Off;
        switch (reg.Type)
        {
            case RegType.MapKey:
                if (write) Reject($"write to change key R{regno} not allowed", VerifierReject.EACCES);
                CheckMemRegionAccess(regno, off, size, _maps[reg.Aux].KeySize, false);
                if (valueRegno >= 0) regs[valueRegno].MarkUnknown();
                break;
            case RegType.MapValue when reg.Flags == RegFlags.None:
            {
                CheckMapAccessType(regno, off, size, write);
                CheckMapAccess(regno, off, size, false);
                if (!write && valueRegno >= 0)
                {
                    var map = _maps[reg.Aux];
                    if (reg.Value.VarOff.IsConst && map.FrozenContents is { } contents &&
                        TryReadFrozen(contents, off + (int)reg.Value.VarOff.Value, size, isLdsx, out ulong val))
                    {
                        regs[valueRegno].SetConstScalar(val);
                    }
                    else regs[valueRegno].MarkUnknown();
                }
                break;
            }
            case RegType.Mem:
            {
                bool rdonly = (reg.Flags & RegFlags.ReadOnly) != 0;
                if (reg.MaybeNull) Reject($"R{regno} invalid mem access '{RegTypeName(in reg)}'", VerifierReject.EACCES);
                if (write && rdonly) Reject($"R{regno} cannot write into {RegTypeName(in reg)}", VerifierReject.EACCES);
                bool rdonlyUntrusted = rdonly && (reg.Flags & RegFlags.Untrusted) != 0;
                if (!rdonlyUntrusted) CheckMemRegionAccess(regno, off, size, (uint)reg.Aux, false);
                if (valueRegno >= 0 && (!write || rdonly)) regs[valueRegno].MarkUnknown();
                break;
            }
            case RegType.Ctx when reg.Flags == RegFlags.None:
            {
                CheckPtrOffReg(in reg, regno, false);
                var access = ContextTables.Check(_progType, _attachType, off, size, write);
                // A sign-extending load cannot read a field the kernel turns into a pointer.
                if (!access.Allowed || (isLdsx && access.Value != ContextValueKind.Scalar))
                {
                    VerboseLineInfo(_insnIdx, "; ");
                    Reject($"invalid bpf_context access off={off} size={size}", VerifierReject.EACCES);
                }
                if (!write && valueRegno >= 0) SetCtxLoadResult(ref regs[valueRegno], access.Value);
                break;
            }
            case RegType.Stack:
                CheckStackAccessWithinBounds(regno, off, size, write);
                if (!write) CheckStackRead(regno, off, size, valueRegno);
                else CheckStackWrite(regno, off, size, valueRegno, _insnIdx);
                break;
            case RegType.Packet or RegType.PacketMeta:
                if (write && !MayAccessDirectPktData(write: true, helperPktAccess: null))
                    Reject("cannot write into packet", VerifierReject.EACCES);
                CheckPacketAccess(regno, off, size, false);
                if (!write && valueRegno >= 0) regs[valueRegno].MarkUnknown();
                break;
            case RegType.FlowKeys:
                if (size < 0 || off < 0 || off + size > 56)
                    Reject($"invalid access to flow keys off={off} size={size}", VerifierReject.EACCES);
                if (!write && valueRegno >= 0) regs[valueRegno].MarkUnknown();
                break;
            case RegType.Socket or RegType.SockCommon or RegType.TcpSock or RegType.XdpSock when !reg.MaybeNull:
                if (write) Reject($"R{regno} cannot write into {RegTypeName(in reg)}", VerifierReject.EACCES);
                CheckSockAccess(regno, off, size);
                if (valueRegno >= 0) regs[valueRegno].MarkUnknown();
                break;
            case RegType.TpBuffer:
                if (off < 0) Reject($"R{regno} invalid tracepoint buffer access: off={off}, size={size}", VerifierReject.EACCES);
                if (!reg.Value.VarOff.IsConst || reg.Value.VarOff.Value != 0)
                    Reject($"R{regno} invalid variable buffer offset: off={off}, var_off={reg.Value.VarOff}", VerifierReject.EACCES);
                if (!write && valueRegno >= 0) regs[valueRegno].MarkUnknown();
                break;
            case RegType.BtfId when !reg.MaybeNull:
                Unsupported($"insn {_insnIdx}: access through a BTF pointer needs the kernel's BTF");
                break;
            case RegType.ConstMap:
                Unsupported($"insn {_insnIdx}: reading a map's kernel structure needs the kernel's BTF");
                break;
            case RegType.Arena:
                if (!write && valueRegno >= 0) regs[valueRegno].MarkUnknown();
                break;
            default:
                Reject($"R{regno} invalid mem access '{RegTypeName(in reg)}'", VerifierReject.EACCES);
                break;
        }
        if (size < 8 && valueRegno >= 0 && !write && regs[valueRegno].Type == RegType.Scalar)
        {
            if (!isLdsx) regs[valueRegno].Value.Truncate(size);
            else regs[valueRegno].Value.SignExtend(size);
        }
    }

    private static bool TryReadFrozen(byte[] contents, int off, int size, bool isLdsx, out ulong val)
    {
        val = 0;
        if (off < 0 || off + size > contents.Length) return false;
        var span = contents.AsSpan(off, size);
        val = size switch
        {
            1 => isLdsx ? (ulong)(long)(sbyte)span[0] : span[0],
            2 => isLdsx ? (ulong)(long)BinaryPrimitives.ReadInt16LittleEndian(span) : BinaryPrimitives.ReadUInt16LittleEndian(span),
            4 => isLdsx ? (ulong)(long)BinaryPrimitives.ReadInt32LittleEndian(span) : BinaryPrimitives.ReadUInt32LittleEndian(span),
            _ => BinaryPrimitives.ReadUInt64LittleEndian(span),
        };
        return true;
    }

    private void SetCtxLoadResult(ref RegState dst, ContextValueKind kind)
    {
        switch (kind)
        {
            case ContextValueKind.Scalar:
                dst.MarkUnknown();
                break;
            case ContextValueKind.PacketStart:
                dst.SetPointer(RegType.Packet);
                break;
            case ContextValueKind.PacketEnd:
                dst.SetPointer(RegType.PacketEnd);
                break;
            case ContextValueKind.PacketMeta:
                dst.SetPointer(RegType.PacketMeta);
                break;
            case ContextValueKind.FlowKeys:
                dst.SetPointer(RegType.FlowKeys);
                break;
            case ContextValueKind.Socket:
                dst.SetPointer(RegType.Socket);
                break;
            case ContextValueKind.SocketOrNull:
                dst.SetPointer(RegType.Socket, RegFlags.MaybeNull);
                dst.Id = ++_idGen;
                break;
            case ContextValueKind.SockCommonOrNull:
                dst.SetPointer(RegType.SockCommon, RegFlags.MaybeNull);
                dst.Id = ++_idGen;
                break;
            case ContextValueKind.TracepointBuffer:
                dst.SetPointer(RegType.TpBuffer);
                break;
            case ContextValueKind.BtfPointer or ContextValueKind.BtfPointerOrNull:
                Unsupported($"insn {_insnIdx}: a context field that holds a BTF pointer needs the kernel's BTF");
                break;
            default:
                Unsupported($"insn {_insnIdx}: a context field of a kind the verifier does not model ({kind})");
                break;
        }
    }

    private void CheckSockAccess(int regno, int off, int size)
    {
        var reg = CurRegs[regno];
        if (reg.Value.SMin < 0)
            Reject($"R{regno} min value is negative, either use unsigned index or do a if (index >=0) check.", VerifierReject.EACCES);
        bool valid = SockFields.IsValidRead(reg.Type, off, size);
        if (!valid) Reject($"R{regno} invalid {RegTypeName(in reg)} access off={off} size={size}", VerifierReject.EACCES);
    }

    // ---- alignment, offsets, regions ------------------------------------------------------------------

    private void CheckPtrAlignment(in RegState reg, int off, int size, bool strictAlignmentOnce)
    {
        bool strict = strictAlignmentOnce;
        string desc;
        switch (reg.Type)
        {
            case RegType.Packet or RegType.PacketMeta:
            {
                if (!strict || size == 1) return;
                var regOff = reg.Value.VarOff.Add(Tnum.Const((ulong)(2 + reg.Off + off)));
                if (!regOff.IsAligned((ulong)size))
                    Reject($"misaligned packet access off 2+{reg.Value.VarOff}+{reg.Off}+{off} size {size}", VerifierReject.EACCES);
                return;
            }
            case RegType.FlowKeys: desc = "flow keys "; break;
            case RegType.MapKey: desc = "key "; break;
            case RegType.MapValue: desc = "value "; break;
            case RegType.Ctx: desc = "context "; break;
            case RegType.Stack:
                desc = "stack ";
                strict = true;
                break;
            case RegType.Socket: desc = "sock "; break;
            case RegType.SockCommon: desc = "sock_common "; break;
            case RegType.TcpSock: desc = "tcp_sock "; break;
            case RegType.XdpSock: desc = "xdp_sock "; break;
            case RegType.Arena: return;
            default: desc = ""; break;
        }
        if (!strict || size == 1) return;
        var o = reg.Value.VarOff.Add(Tnum.Const((ulong)(long)(reg.Off + off)));
        if (!o.IsAligned((ulong)size))
            Reject($"misaligned {desc}access off {reg.Value.VarOff}+{reg.Off}+{off} size {size}", VerifierReject.EACCES);
    }

    private void CheckPtrOffReg(in RegState reg, int regno, bool fixedOffOk)
    {
        if (reg.Off < 0)
            Reject($"negative offset {RegTypeName(in reg)} ptr R{regno} off={reg.Off} disallowed", VerifierReject.EACCES);
        if (!fixedOffOk && reg.Off != 0)
            Reject($"dereference of modified {RegTypeName(in reg)} ptr R{regno} off={reg.Off} disallowed", VerifierReject.EACCES);
        if (!reg.Value.VarOff.IsConst || reg.Value.VarOff.Value != 0)
            Reject($"variable {RegTypeName(in reg)} access var_off={reg.Value.VarOff} disallowed", VerifierReject.EACCES);
    }

    /// <summary>Whether [off, off+size) fits in [0, memSize); else logs the type-specific message.</summary>
    private bool CheckMemAccessInRange(int regno, long off, int size, uint memSize, bool zeroSizeAllowed)
    {
        bool sizeOk = size > 0 || (size == 0 && zeroSizeAllowed);
        if (off >= 0 && sizeOk && (ulong)off + (ulong)size <= memSize) return true;
        var reg = CurRegs[regno];
        int o = (int)off;
        switch (reg.Type)
        {
            case RegType.MapKey:
                Verbose($"invalid access to map key, key_size={memSize} off={o} size={size}\n");
                break;
            case RegType.MapValue:
                Verbose($"invalid access to map value, value_size={memSize} off={o} size={size}\n");
                break;
            case RegType.Packet or RegType.PacketMeta or RegType.PacketEnd:
                Verbose($"invalid access to packet, off={o} size={size}, R{regno}(id={reg.Id},off={o},r={memSize})\n");
                break;
            default:
                Verbose($"invalid access to memory, mem_size={memSize} off={o} size={size}\n");
                break;
        }
        return false;
    }

    private void CheckMemRegionAccess(int regno, int off, int size, uint memSize, bool zeroSizeAllowed)
    {
        var reg = CurRegs[regno];
        long smin = reg.Value.SMin;
        if (smin < 0 && (smin == long.MinValue || off + smin != (int)(off + smin) || smin + off < 0))
            Reject($"R{regno} min value is negative, either use unsigned index or do a if (index >=0) check.", VerifierReject.EACCES);
        if (!CheckMemAccessInRange(regno, smin + off, size, memSize, zeroSizeAllowed))
            Reject($"R{regno} min value is outside of the allowed memory range", VerifierReject.EACCES);
        if (reg.Value.UMax >= MaxVarOff)
            Reject($"R{regno} unbounded memory access, make sure to bounds check any such access", VerifierReject.EACCES);
        if (!CheckMemAccessInRange(regno, (long)reg.Value.UMax + off, size, memSize, zeroSizeAllowed))
            Reject($"R{regno} max value is outside of the allowed memory range", VerifierReject.EACCES);
    }

    private void CheckMapAccessType(int regno, int off, int size, bool write)
    {
        var map = _maps[CurRegs[regno].Aux];
        if (write && map.ReadOnlyProg)
            Reject($"write into map forbidden, value_size={map.ValueSize} off={off} size={size}", VerifierReject.EACCES);
        if (!write && (map.Flags & VerifierMap.FlagWriteOnlyProg) != 0)
            Reject($"read from map forbidden, value_size={map.ValueSize} off={off} size={size}", VerifierReject.EACCES);
    }

    private void CheckMapAccess(int regno, int off, int size, bool zeroSizeAllowed)
    {
        var reg = CurRegs[regno];
        var map = _maps[reg.Aux];
        CheckMemRegionAccess(regno, off, size, map.ValueSize, zeroSizeAllowed);
        if (map.SpinLockOffset >= 0 && reg.Value.SMin + off < map.SpinLockOffset + 4 && map.SpinLockOffset < (long)reg.Value.UMax + off + size)
            Reject("bpf_spin_lock cannot be accessed directly by load/store", VerifierReject.EACCES);
        if (map.TimerOffset >= 0 && reg.Value.SMin + off < map.TimerOffset + 16 && map.TimerOffset < (long)reg.Value.UMax + off + size)
            Reject("bpf_timer cannot be accessed directly by load/store", VerifierReject.EACCES);
    }

    private bool MayAccessDirectPktData(bool write, bool? helperPktAccess)
    {
        switch (_progType)
        {
            case ProgramType.LwtIn or ProgramType.LwtOut or ProgramType.SkReuseport or ProgramType.FlowDissector or
                ProgramType.CgroupSkb:
                if (write) return false;
                return helperPktAccess ?? true;
            case ProgramType.SchedCls or ProgramType.SchedAct or ProgramType.Xdp or ProgramType.LwtXmit or
                ProgramType.SkSkb or ProgramType.SkMsg:
                return helperPktAccess ?? true;
            case ProgramType.CgroupSockopt:
                return true;
            default:
                return false;
        }
    }

    private void CheckPacketAccess(int regno, int off, int size, bool zeroSizeAllowed)
    {
        var reg = CurRegs[regno];
        if (reg.Value.SMin < 0)
            Reject($"R{regno} min value is negative, either use unsigned index or do a if (index >=0) check.", VerifierReject.EACCES);
        bool ok = reg.Range >= 0 && CheckMemAccessInRange(regno, off, size, (uint)reg.Range, zeroSizeAllowed);
        if (!ok) Reject($"R{regno} offset is outside of the packet", VerifierReject.EACCES);
    }

    // ---- the stack ---------------------------------------------------------------------------------------

    private void CheckStackAccessWithinBounds(int regno, int off, int accessSize, bool write)
    {
        var reg = CurRegs[regno];
        var state = FrameOf(in reg);
        string extra = write ? " write to" : " read from";
        long minOff, maxOff;
        if (reg.Value.VarOff.IsConst)
        {
            minOff = (long)reg.Value.VarOff.Value + off;
            maxOff = minOff + accessSize;
        }
        else
        {
            if (reg.Value.SMax >= MaxVarOff || reg.Value.SMin <= -MaxVarOff)
                Reject($"invalid unbounded variable-offset{extra} stack R{regno}", VerifierReject.EACCES);
            minOff = reg.Value.SMin + off;
            maxOff = reg.Value.SMax + off + accessSize;
        }
        bool err = minOff < -FuncState.MaxStack || minOff > -1 || maxOff > 0 || accessSize < 0;
        if (err)
        {
            if (reg.Value.VarOff.IsConst)
                Reject($"invalid{extra} stack R{regno} off={off} size={accessSize}", VerifierReject.EACCES);
            Reject($"invalid variable-offset{extra} stack R{regno} var_off={reg.Value.VarOff} off={off} size={accessSize}", VerifierReject.EACCES);
        }
        GrowStack(state, (int)-minOff);
    }

    private void GrowStack(FuncState state, int size)
    {
        state.Grow(size);
        int rounded = (size + 7) & ~7;
        var sub = _subprogs[state.SubprogNo];
        if (sub.StackDepth < rounded) sub.StackDepth = rounded;
    }

    private static bool IsStackSlotSpecial(FuncState f, int spi)
    {
        var t = f.Slot(spi, 7);
        return t is StackSlotType.Spill or StackSlotType.Dynptr or StackSlotType.Iter or StackSlotType.IrqFlag;
    }

    /// <summary>A data write into a slot destroys the register spilled there and makes its other bytes misc.</summary>
    private static void ScrubSpecialSlot(FuncState f, int spi)
    {
        f.Spilled[spi].Type = RegType.NotInit;
        if (IsStackSlotSpecial(f, spi))
            for (int i = 0; i < 8; i++) ScrubSpilledSlot(ref f.Slot(spi, i));
    }

    private static void ScrubSpilledSlot(ref StackSlotType t)
    {
        if (t != StackSlotType.Invalid) t = StackSlotType.Misc;
    }

    private static void MarkStackSlotMisc(ref StackSlotType t)
    {
        if (t is StackSlotType.Zero or StackSlotType.Invalid) return;
        t = StackSlotType.Misc;
    }

    private static void SaveRegisterState(FuncState state, int spi, in RegState reg, int size)
    {
        state.Spilled[spi] = reg;
        int i;
        for (i = 8; i > 8 - size; i--) state.Slot(spi, i - 1) = StackSlotType.Spill;
        for (; i > 0; i--) MarkStackSlotMisc(ref state.Slot(spi, i - 1));
    }

    private void CheckStackWrite(int ptrRegno, int off, int size, int valueRegno, int insnIdx)
    {
        var reg = CurRegs[ptrRegno];
        var state = FrameOf(in reg);
        if (reg.Value.VarOff.IsConst)
            CheckStackWriteFixedOff(state, off + (int)reg.Value.VarOff.Value, size, valueRegno, insnIdx);
        else
            CheckStackWriteVarOff(state, ptrRegno, off, size, valueRegno, insnIdx);
    }

    private static bool IsSpillableRegType(RegType t) => t is RegType.MapValue or RegType.Stack or RegType.Ctx or
        RegType.Packet or RegType.PacketMeta or RegType.PacketEnd or RegType.FlowKeys or RegType.ConstMap or
        RegType.Socket or RegType.SockCommon or RegType.TcpSock or RegType.XdpSock or RegType.BtfId or RegType.Buffer or
        RegType.Mem or RegType.Func or RegType.MapKey or RegType.Arena;

    private void CheckStackWriteFixedOff(FuncState state, int off, int size, int valueRegno, int insnIdx)
    {
        int slot = -off - 1, spi = slot / 8;
        int insnFlags = JmpHistoryEntry.StackAccessFlags(state.FrameNo, spi);
        var insn = _insns[insnIdx];
        var cur = _cur.Frame;
        bool hasReg = valueRegno >= 0;
        var reg = hasReg ? cur.Regs[valueRegno] : default;
        MarkStackSlotScratched(spi);
        if (hasReg && off % 8 == 0 && reg.Type == RegType.Scalar)
        {
            bool fits = RegWidth(in reg) <= 8 * size;
            if (fits)
            {
                AssignScalarIdBeforeMov(ref cur.Regs[valueRegno]);
                reg = cur.Regs[valueRegno];
            }
            SaveRegisterState(state, spi, in reg, size);
            if (!fits) state.Spilled[spi].Id = 0;
        }
        else if (!hasReg && off % 8 == 0 && insn.Class == InstructionClass.St)
        {
            var tmp = default(RegState);
            tmp.SetConstScalar((ulong)(long)insn.Immediate);
            SaveRegisterState(state, spi, in tmp, size);
        }
        else if (hasReg && IsSpillableRegType(reg.Type))
        {
            if (size != 8)
            {
                VerboseLineInfo(insnIdx, "; ");
                Reject("invalid size of register spill", VerifierReject.EACCES);
            }
            if (state != cur && reg.Type == RegType.Stack)
                Reject("cannot spill pointers to stack into stack frame of the caller", VerifierReject.EINVAL);
            SaveRegisterState(state, spi, in reg, size);
        }
        else
        {
            var type = StackSlotType.Misc;
            ScrubSpecialSlot(state, spi);
            if ((hasReg && reg.IsNull) || (!hasReg && insn.Class == InstructionClass.St && insn.Immediate == 0))
            {
                if (hasReg) MarkChainPrecision(valueRegno);
                type = StackSlotType.Zero;
            }
            for (int i = 0; i < size; i++) state.Slot(spi, (slot - i) % 8) = type;
            insnFlags = 0;
        }
        if (size == 8) MarkStackWrite(state.FrameNo, 1UL << spi);
        if (insnFlags != 0) PushJmpHistory(_cur, insnFlags, 0);
    }

    private void CheckStackWriteVarOff(FuncState state, int ptrRegno, int off, int size, int valueRegno, int insnIdx)
    {
        var cur = _cur.Frame;
        var ptr = cur.Regs[ptrRegno];
        int minOff = (int)(ptr.Value.SMin + off);
        int maxOff = (int)(ptr.Value.SMax + off + size);
        var insn = _insns[insnIdx];
        bool writingZero = (valueRegno >= 0 && cur.Regs[valueRegno].IsNull) ||
                           (valueRegno < 0 && insn.Class == InstructionClass.St && insn.Immediate == 0);
        bool zeroUsed = false;
        for (int i = minOff; i < maxOff; i++)
        {
            int slot = -i - 1, spi = slot / 8;
            ref var stype = ref state.Slot(spi, slot % 8);
            MarkStackSlotScratched(spi);
            if (writingZero && stype == StackSlotType.Spill && state.IsSpilledScalar(spi) &&
                state.Spilled[spi].Value.VarOff.EqualsConst(0))
            {
                zeroUsed = true;
                continue;
            }
            // The whole slot, not just the bytes written: a spill left marked in the other bytes with its register
            // gone would make a later fill fail ("invalid size of register fill").
            ScrubSpecialSlot(state, spi);
            var newType = StackSlotType.Misc;
            if (writingZero && stype == StackSlotType.Zero)
            {
                newType = StackSlotType.Zero;
                zeroUsed = true;
            }
            stype = newType;
        }
        if (zeroUsed && valueRegno >= 0) MarkChainPrecision(valueRegno);
    }

    private void MarkRegStackRead(FuncState ptrState, int minOff, int maxOff, int dstRegno)
    {
        var state = _cur.Frame;
        int zeros = 0;
        for (int i = minOff; i < maxOff; i++)
        {
            int slot = -i - 1, spi = slot / 8;
            MarkStackSlotScratched(spi);
            if (ptrState.Slot(spi, slot % 8) != StackSlotType.Zero) break;
            zeros++;
        }
        if (zeros == maxOff - minOff) state.Regs[dstRegno].SetConstScalar(0);
        else state.Regs[dstRegno].MarkUnknown();
    }

    private void CheckStackRead(int ptrRegno, int off, int size, int dstRegno)
    {
        var reg = CurRegs[ptrRegno];
        var state = FrameOf(in reg);
        bool varOff = !reg.Value.VarOff.IsConst;
        if (dstRegno < 0 && varOff)
            Reject($"variable offset stack pointer cannot be passed into helper function; var_off={reg.Value.VarOff} off={off} size={size}", VerifierReject.EACCES);
        if (!varOff)
        {
            CheckStackReadFixedOff(state, off + (int)reg.Value.VarOff.Value, size, dstRegno);
        }
        else
        {
            CheckStackRangeInitialized(ptrRegno, off, size, false, write: false, rawModeAllowed: false);
            int minOff = (int)(reg.Value.SMin + off);
            int maxOff = (int)(reg.Value.SMax + off);
            MarkRegStackRead(state, minOff, maxOff + size, dstRegno);
        }
    }

    private void CheckStackReadFixedOff(FuncState regState, int off, int size, int dstRegno)
    {
        var state = _cur.Frame;
        int slot = -off - 1, spi = slot / 8;
        int insnFlags = JmpHistoryEntry.StackAccessFlags(regState.FrameNo, spi);
        MarkStackSlotScratched(spi);
        MarkStackRead(regState.FrameNo, 1UL << spi);
        ref var spilled = ref regState.Spilled[spi];
        if (regState.IsSpilled(spi))
        {
            int spillSize = 1;
            for (int i = 7; i > 0 && regState.Slot(spi, i - 1) == StackSlotType.Spill; i--) spillSize++;
            if (size != 8 || spillSize != 8)
            {
                if (spilled.Type != RegType.Scalar)
                {
                    VerboseLineInfo(_insnIdx, "; ");
                    Reject("invalid size of register fill", VerifierReject.EACCES);
                }
                if (dstRegno < 0) return;
                if (size <= spillSize && off % 8 == 0)
                {
                    state.Regs[dstRegno] = spilled;
                    if (RegWidth(in spilled) > size * 8) state.Regs[dstRegno].Id = 0;
                }
                else
                {
                    int spillCnt = 0, zeroCnt = 0;
                    for (int i = 0; i < size; i++)
                    {
                        var type = regState.Slot(spi, (slot - i) % 8);
                        if (type == StackSlotType.Spill)
                        {
                            spillCnt++;
                            continue;
                        }
                        if (type == StackSlotType.Misc) continue;
                        if (type == StackSlotType.Zero)
                        {
                            zeroCnt++;
                            continue;
                        }
                        if (type == StackSlotType.Invalid) continue;
                        Reject($"invalid read from stack off {off}+{i} size {size}", VerifierReject.EACCES);
                    }
                    if (spillCnt == size && spilled.Value.VarOff.EqualsConst(0))
                    {
                        state.Regs[dstRegno].SetConstScalar(0);
                    }
                    else if (zeroCnt == size)
                    {
                        state.Regs[dstRegno].SetConstScalar(0);
                        insnFlags = 0;
                    }
                    else
                    {
                        state.Regs[dstRegno].MarkUnknown();
                        insnFlags = 0;
                    }
                }
            }
            else if (dstRegno >= 0)
            {
                state.Regs[dstRegno] = spilled;
            }
        }
        else
        {
            for (int i = 0; i < size; i++)
            {
                var type = regState.Slot(spi, (slot - i) % 8);
                if (type is StackSlotType.Misc or StackSlotType.Zero or StackSlotType.Invalid) continue;
                Reject($"invalid read from stack off {off}+{i} size {size}", VerifierReject.EACCES);
            }
            if (dstRegno >= 0) MarkRegStackRead(regState, off, off + size, dstRegno);
            insnFlags = 0;
        }
        if (insnFlags != 0) PushJmpHistory(_cur, insnFlags, 0);
    }

    /// <summary>
    /// Stack memory a helper reads or writes: every byte must be initialised (writes clobber them), unless the
    /// helper fills uninitialised memory (raw mode), which is then marked written after the call.
    /// </summary>
    private void CheckStackRangeInitialized(int regno, int off, int accessSize, bool zeroSizeAllowed, bool write, bool rawModeAllowed)
    {
        var reg = CurRegs[regno];
        var state = FrameOf(in reg);
        if (accessSize == 0 && !zeroSizeAllowed) Reject("invalid zero-sized read", VerifierReject.EACCES);
        CheckStackAccessWithinBounds(regno, off, accessSize, write);
        int minOff, maxOff;
        bool raw = rawModeAllowed;
        if (reg.Value.VarOff.IsConst)
        {
            minOff = maxOff = (int)reg.Value.VarOff.Value + off;
        }
        else
        {
            raw = false;
            minOff = (int)(reg.Value.SMin + off);
            maxOff = (int)(reg.Value.SMax + off);
        }
        if (raw)
        {
            _rawAccessSize = accessSize;
            _rawRegno = regno;
            return;
        }
        for (int i = minOff; i < maxOff + accessSize; i++)
        {
            int slot = -i - 1, spi = slot / 8;
            if (state.AllocatedStack <= slot) Reject("allocated_stack too small", VerifierReject.EFAULT);
            ref var stype = ref state.Slot(spi, slot % 8);
            if (stype == StackSlotType.Misc) { MarkStackRead(state.FrameNo, 1UL << spi); continue; }
            if (stype is StackSlotType.Zero or StackSlotType.Invalid)
            {
                if (write) stype = StackSlotType.Misc;
                MarkStackRead(state.FrameNo, 1UL << spi);
                continue;
            }
            if (state.IsSpilled(spi))
            {
                if (write)
                {
                    state.Spilled[spi].MarkUnknown();
                    for (int j = 0; j < 8; j++) ScrubSpilledSlot(ref state.Slot(spi, j));
                }
                MarkStackRead(state.FrameNo, 1UL << spi);
                continue;
            }
            if (reg.Value.VarOff.IsConst)
                Reject($"invalid read from stack R{regno} off {minOff}+{i - minOff} size {accessSize}", VerifierReject.EACCES);
            Reject($"invalid read from stack R{regno} var_off {reg.Value.VarOff}+{i - minOff} size {accessSize}", VerifierReject.EACCES);
        }
    }

    private int _rawAccessSize;
    private int _rawRegno;

    /// <summary>Memory a helper argument points to (check_helper_mem_access).</summary>
    private void CheckHelperMemAccess(int regno, int accessSize, bool write, bool zeroSizeAllowed, bool rawMode, bool? pktAccess)
    {
        var reg = CurRegs[regno];
        switch (reg.Type)
        {
            case RegType.Packet or RegType.PacketMeta:
                CheckPacketAccess(regno, reg.Off, accessSize, zeroSizeAllowed);
                return;
            case RegType.MapKey:
                if (write) Reject($"R{regno} cannot write into {RegTypeName(in reg)}", VerifierReject.EACCES);
                CheckMemRegionAccess(regno, reg.Off, accessSize, _maps[reg.Aux].KeySize, false);
                return;
            case RegType.MapValue when !reg.MaybeNull:
                CheckMapAccessType(regno, reg.Off, accessSize, write);
                CheckMapAccess(regno, reg.Off, accessSize, zeroSizeAllowed);
                return;
            case RegType.Mem when !reg.MaybeNull:
                if ((reg.Flags & RegFlags.ReadOnly) != 0 && write)
                    Reject($"R{regno} cannot write into {RegTypeName(in reg)}", VerifierReject.EACCES);
                CheckMemRegionAccess(regno, reg.Off, accessSize, (uint)reg.Aux, zeroSizeAllowed);
                return;
            case RegType.Buffer:
                if ((reg.Flags & RegFlags.ReadOnly) != 0 && write)
                    Reject($"R{regno} cannot write into {RegTypeName(in reg)}", VerifierReject.EACCES);
                return;
            case RegType.Stack:
                CheckStackRangeInitialized(regno, reg.Off, accessSize, zeroSizeAllowed, write, rawMode);
                return;
            case RegType.BtfId:
                Unsupported($"insn {_insnIdx}: helper access through a BTF pointer needs the kernel's BTF");
                return;
            default:
                if (zeroSizeAllowed && accessSize == 0 && reg.IsNull) return;
                Reject($"R{regno} type={RegTypeName(in reg)} expected={RegTypeName(RegType.Stack, RegFlags.None)}", VerifierReject.EACCES);
                return;
        }
    }

    /// <summary>A size argument and the memory argument before it (check_mem_size_reg).</summary>
    private void CheckMemSizeReg(int regno, bool write, bool zeroSizeAllowed, bool rawMode, bool? pktAccess, ref ulong msizeMax)
    {
        var reg = CurRegs[regno];
        msizeMax = reg.Value.UMax;
        if (!reg.Value.VarOff.IsConst) rawMode = false;
        if (reg.Value.SMin < 0)
            Reject($"R{regno} min value is negative, either use unsigned or 'var &= const'", VerifierReject.EACCES);
        if (reg.Value.UMin == 0 && !zeroSizeAllowed)
            Reject($"R{regno} invalid zero-sized read: u64=[{(long)reg.Value.UMin},{(long)reg.Value.UMax}]", VerifierReject.EACCES);
        if (reg.Value.UMax >= MaxVarOff)
            Reject($"R{regno} unbounded memory access, use 'var &= const' or 'if (var < const)'", VerifierReject.EACCES);
        CheckHelperMemAccess(regno - 1, (int)reg.Value.UMax, write, zeroSizeAllowed, rawMode, pktAccess);
        MarkChainPrecision(regno);
    }
}
