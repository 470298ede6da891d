using BpfSharp.Isa;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// Map value and stack accesses at variable offsets, atomics on the stack and map values, partial spills and fills
/// of scalars and pointers, and scalars linked by copies whose bounds a compare on one of them refines.
/// </summary>
internal sealed partial class RandomVerifierPrograms
{
    /// <summary>
    /// Puts a map value pointer in a register: an array or hash lookup with (usually) a NULL check that jumps to
    /// <paramref name="skip"/>, or a direct value address. Returns the register, the map and the constant offset.
    /// </summary>
    private (byte Reg, int Map, int Off) MapValuePointer(Snippet s, string skip)
    {
        switch (_random.Next(5))
        {
            case 0:
            case 1:
                s.Add(St(MemorySize.W, 10, -4, _random.Next(5)), Mov64(2, 10), Alu64Imm(AluAdd, 2, -4));
                s.Add(LdMap(1, ArrayMap)).Add(Call(1));
                if (!Bug()) s.If(JmpEq, 0, 0, skip);
                return (0, ArrayMap, 0);
            case 2:
                s.Add(Stx(MemorySize.DW, 10, ValueReg(), -8), Mov64(2, 10), Alu64Imm(AluAdd, 2, -8));
                s.Add(LdMap(1, HashMap)).Add(Call(1));
                if (!Bug())
                {
                    string nonNull = NewLabel();
                    if (OneIn(3)) s.If(JmpNe, 0, 0, nonNull).Goto(skip).Label(nonNull);
                    else s.If(JmpEq, 0, 0, skip);
                }
                return (0, HashMap, 0);
            default:
            {
                int off = 8 * _random.Next(3);
                s.Add(LdMapValue(1, GlobalMap, off));
                return (1, GlobalMap, off);
            }
        }
    }

    /// <summary>
    /// A map value indexed by a bounded scalar: the scalar (ctx, stack, map or helper), its bound (mask, signed or
    /// unsigned compare, 64 or 32 bits), the pointer arithmetic, then a load, store or atomic, sometimes out of bounds.
    /// </summary>
    private void VarOffsetMapAccess(bool mangle = false)
    {
        var s = new Snippet();
        byte idx = SavedReg();
        Unknown(s, idx, mayCall: true);
        if (mangle || OneIn(6)) Mangle(s, idx);
        if (mangle && OneIn(2)) Mangle(s, idx);
        var (b, map, baseOff) = MapValuePointer(s, "skip");
        var size = Size();
        int w = Width(size);
        int room = ValueSize(map) - baseOff - w;
        short coff = (short)(OneIn(3) ? _random.Next(0, room / 2 + 1) : 0);
        int limit = room - coff;
        if (Bug()) limit += _random.Next(1, 4);
        Bound(s, idx, limit, "skip", temp: 5);
        // Atomics need an aligned address, so their index is aligned (almost always).
        int access = _random.Next(6);
        if (access == 4 && !Bug()) s.Add(Alu64Imm(AluAnd, idx, -8));
        else if (OneIn(3)) s.Add(Alu64Imm(AluAnd, idx, -w)); // align, as for an array of elements
        byte p = b;
        switch (_random.Next(4))
        {
            case 0:
                s.Add(Mov64(3, b), Alu64Reg(AluAdd, 3, idx));
                p = 3;
                break;
            case 1:
                s.Add(Mov64(4, idx), Alu64Reg(AluAdd, 4, b));
                p = 4;
                break;
            case 2 when OneIn(4):
                // The index subtracted from the end of the range.
                s.Add(Alu64Imm(AluAdd, b, limit), Alu64Reg(AluSub, b, idx));
                break;
            default:
                s.Add(Alu64Reg(AluAdd, b, idx));
                break;
        }
        switch (access)
        {
            case 0:
            case 1:
                s.Add(Ldx(size, _random.Next(2) == 0 ? (byte)2 : ValueReg(), p, coff));
                break;
            case 2:
                s.Add(Stx(size, p, ValueReg(), coff));
                break;
            case 3:
                s.Add(St(size, p, coff, Imm()));
                break;
            case 4:
                s.Add(Atomic(_random.Next(3) == 0 ? MemorySize.W : MemorySize.DW, p, ValueReg(), (short)(coff & ~7), AtomicAdd));
                break;
            default:
                // Two accesses: a check that covers both.
                s.Add(Ldx(size, 2, p, coff), Stx(size, p, 2, coff));
                break;
        }
        s.Label("skip");
        if (b == 0 && !Bug()) s.Add(MovImm(0, _random.Next(3)));
        Emit(s);
    }

    /// <summary>The stack at a variable offset: a bounded scalar added to a frame pointer, then a store or load.</summary>
    private void VarOffsetStackAccess()
    {
        var s = new Snippet();
        byte idx = SavedReg();
        Unknown(s, idx, mayCall: true);
        int span = new[] { 7, 15, 31 }[_random.Next(3)];
        Bound(s, idx, span, "skip", temp: 5);
        var size = _random.Next(3) == 0 ? Size() : MemorySize.B;
        int w = Width(size);
        if (w > 1 && !Bug()) s.Add(Alu64Imm(AluAnd, idx, -w));
        // The window [base, base + span + w) mostly inside the frame.
        int baseOff = -(span + 1 + w) - 8 * _random.Next(0, 6);
        if (Bug(2)) baseOff += _random.Next(1, 16);
        s.Add(Mov64(2, 10), Alu64Imm(AluAdd, 2, baseOff));
        if (OneIn(4)) s.Add(Alu64Reg(AluAdd, idx, 2)).Add(Mov64(2, idx)).Add(MovImm(idx, 0));
        else s.Add(Alu64Reg(AluAdd, 2, idx));
        switch (_random.Next(5))
        {
            case 0:
                s.Add(St(size, 2, 0, Imm()));
                break;
            case 1:
            case 2:
                s.Add(Stx(size, 2, ValueReg(), 0));
                break;
            case 3:
                s.Add(Ldx(size, 3, 2, 0));
                break;
            default:
                // A write, then a read of a fixed slot in the window (it may now hold zeros or misc bytes).
                s.Add(Stx(size, 2, Bug(3) ? (byte)6 : ValueReg(), 0));
                s.Add(Ldx(MemorySize.DW, ScratchReg(), 10, (short)(baseOff & ~7)));
                break;
        }
        s.Label("skip");
        Emit(s);
    }

    /// <summary>Atomic read-modify-write, exchange, compare-exchange, load-acquire and store-release.</summary>
    private void AtomicItem()
    {
        var s = new Snippet();
        byte p;
        short off;
        bool restore = false;
        switch (_random.Next(30))
        {
            case < 15:
            {
                off = (short)(-8 * _random.Next(1, 9));
                if (!OneIn(5)) s.Add(Bug() ? Stx(MemorySize.DW, 10, 6, off) : Stx(MemorySize.DW, 10, ValueReg(), off));
                p = 10;
                break;
            }
            case < 29:
            {
                var (b, map, baseOff) = MapValuePointer(s, "skip");
                if (b == 0)
                {
                    s.Add(Mov64(1, 0));
                    restore = true;
                }
                p = 1;
                off = (short)(8 * _random.Next(0, (ValueSize(map) - baseOff) / 8 + (Bug() ? 1 : 0)));
                break;
            }
            default:
                // The ctx or the packet: refused.
                p = 6;
                off = (short)(8 * _random.Next(3));
                break;
        }
        if (Bug()) off += (short)(1 << _random.Next(3));
        var size = _random.Next(3) == 0 ? MemorySize.W : MemorySize.DW;
        if (OneIn(5)) s.Add(MovImm(0, Imm()));
        byte src = ValueReg() switch { 0 => 7, var r => r };
        switch (_random.Next(11))
        {
            case 0:
            case 1:
                s.Add(Atomic(size, p, src, off, new[] { AtomicAdd, AtomicOr, AtomicAnd, AtomicXor }[_random.Next(4)]));
                break;
            case 2:
            case 3:
            case 4:
                s.Add(Atomic(size, p, src, off, new[] { AtomicAdd, AtomicOr, AtomicAnd, AtomicXor }[_random.Next(4)] | AtomicFetch));
                break;
            case 5:
                s.Add(Atomic(size, p, src, off, AtomicXchg));
                break;
            case 6:
            case 7:
                if (!OneIn(6)) s.Add(MovImm(0, Imm()));
                s.Add(Atomic(size, p, src, off, AtomicCmpxchg));
                break;
            case 8:
                s.Add(Atomic(OneIn(4) ? Size() : size, p, src, off, StoreRelease));
                break;
            case 9:
                s.Add(Atomic(OneIn(4) ? Size() : size, src, p, off, LoadAcquire));
                break;
            case 10 when OneIn(3):
                // An 8-bit or 16-bit read-modify-write does not exist.
                s.Add(Atomic(OneIn(2) ? MemorySize.B : MemorySize.H, p, src, off, AtomicAdd));
                break;
            default:
                s.Add(Atomic(size, p, src, off, AtomicAdd | AtomicFetch));
                break;
        }
        if (OneIn(3)) s.Add(Ldx(size, 3, p, off));
        s.Label("skip");
        if (restore && !Bug()) s.Add(MovImm(0, 0));
        Emit(s);
    }

    /// <summary>Spills and fills at partial sizes, of scalars and of pointers (map values, packet, stack, ctx).</summary>
    private void SpillFillItem()
    {
        var s = new Snippet();
        short off = (short)(-8 * _random.Next(1, 9));
        switch (_random.Next(9))
        {
            case 0:
                // A u32 spill of a scalar, then a u64 fill (half of it is old bytes).
                s.Add(Stx(MemorySize.W, 10, ValueReg(), (short)(off + (OneIn(3) ? 4 : 0))), Ldx(MemorySize.DW, ScratchReg(), 10, off));
                break;
            case 1:
            {
                // A bounded scalar spilled as u64, filled back at u32 (low or high half), then used as an offset.
                byte v = SavedReg();
                Unknown(s, v, mayCall: true);
                Bound(s, v, 15, "skip");
                s.Add(Stx(MemorySize.DW, 10, v, off));
                // The low half is at the lower address; the high half (a bug here) is not the value.
                s.Add(Ldx(OneIn(3) ? (OneIn(2) ? MemorySize.H : MemorySize.B) : MemorySize.W, 3, 10, (short)(off + (Bug() ? 4 : 0))));
                s.Add(LdMapValue(1, GlobalMap, 0)).Add(Alu64Reg(AluAdd, 1, 3), Ldx(MemorySize.B, 2, 1, 0));
                break;
            }
            case 2:
            {
                // A constant stored with ST, filled at a smaller size, used as an offset into global data.
                // Filled at the stored size or narrower (wider, a bug, reads bytes that are not the constant).
                var stored = _random.Next(2) == 0 ? MemorySize.DW : MemorySize.W;
                var filled = Bug() ? MemorySize.DW : stored == MemorySize.DW ? Size() : new[] { MemorySize.W, MemorySize.H, MemorySize.B }[_random.Next(3)];
                s.Add(St(stored, 10, off, _random.Next(0, 40)));
                s.Add(Ldx(filled, 3, 10, off));
                s.Add(LdMapValue(1, GlobalMap, 0)).Add(Alu64Reg(AluAdd, 1, 3), Ldx(MemorySize.B, 2, 1, 0));
                break;
            }
            case 3:
            case 4:
            {
                // A map value pointer (maybe NULL) spilled across a helper call, filled, checked, used; or checked
                // before the fill through the copy in r0 (both share an id).
                s.Add(St(MemorySize.W, 10, -4, _random.Next(4)), Mov64(2, 10), Alu64Imm(AluAdd, 2, -4));
                s.Add(LdMap(1, ArrayMap)).Add(Call(1));
                short slot = (short)(off == -8 ? -16 : off);
                bool checkFirst = _random.Next(3) == 0;
                s.Add(Stx(Bug() ? MemorySize.W : MemorySize.DW, 10, 0, slot));
                if (checkFirst) s.If(JmpEq, 0, 0, "skip");
                if (_random.Next(2) == 0) s.Add(Call(Helpers[_random.Next(Helpers.Length)]));
                s.Add(Ldx(MemorySize.DW, 1, 10, slot));
                if (!checkFirst && !Bug()) s.If(JmpEq, 1, 0, "skip");
                s.Add(_random.Next(2) == 0 ? Ldx(MemorySize.DW, 2, 1, (short)(8 * _random.Next(2))) : St(MemorySize.DW, 1, (short)(8 * _random.Next(2)), 1));
                s.Label("skip").Add(MovImm(0, 0));
                break;
            }
            case 5:
                // A partial spill of the ctx pointer, filled at full size (a scalar now) or at the same size.
                s.Add(Stx(Bug(2) ? MemorySize.W : MemorySize.DW, 10, 6, off));
                s.Add(Ldx(Bug(2) ? MemorySize.W : MemorySize.DW, 1, 10, off));
                if (OneIn(2)) s.Add(Ldx(MemorySize.W, 2, 1, 0));
                break;
            case 6:
                // The frame pointer spilled and filled, then stored through.
                s.Add(Mov64(1, 10), Alu64Imm(AluAdd, 1, -8 * _random.Next(1, 5)), Stx(MemorySize.DW, 10, 1, off));
                s.Add(Ldx(MemorySize.DW, 3, 10, off), Stx(Size(), 3, ValueReg(), (short)(Bug() ? 8 : 0)));
                break;
            case 7:
                if (HasDirectPacket)
                {
                    // A packet pointer spilled and filled, then checked against data_end and read.
                    s.Add(Ldx(MemorySize.W, 2, 6, DataOffset), Ldx(MemorySize.W, 3, 6, (short)(DataOffset + 4)));
                    // Checked before the spill (the fill keeps the range), after the fill, or (a bug) never.
                    int when = Bug() ? 2 : _random.Next(2);
                    if (when == 0) s.Add(Mov64(4, 2), Alu64Imm(AluAdd, 4, 8)).IfReg(JmpGt, 4, 3, "skip");
                    s.Add(Stx(MemorySize.DW, 10, 2, off), Ldx(MemorySize.DW, 1, 10, off));
                    if (when == 1) s.Add(Mov64(4, 1), Alu64Imm(AluAdd, 4, 8)).IfReg(JmpGt, 4, 3, "skip");
                    s.Add(Ldx(Size(), 5, 1, (short)_random.Next(0, 4)));
                    break;
                }
                goto case 0;
            default:
            {
                // A full spill then a byte overwritten inside it: the slot becomes misc bytes.
                byte v = Bug(3) ? (byte)6 : ValueReg();
                s.Add(Stx(MemorySize.DW, 10, v, off), St(MemorySize.B, 10, (short)(off + _random.Next(8)), 0));
                s.Add(Ldx(MemorySize.DW, 1, 10, off));
                if (v == 6 && OneIn(2)) s.Add(Ldx(MemorySize.W, 2, 1, 0));
                break;
            }
        }
        if (!s.HasLabel("skip")) s.Label("skip");
        Emit(s);
    }

    /// <summary>
    /// A scalar copied (sometimes plus a constant) before a compare on the copy or the original: the kernel
    /// carries the bounds over to the linked registers (sync_linked_regs), and the other one is used as an offset.
    /// </summary>
    private void LinkedScalars()
    {
        var s = new Snippet();
        byte idx = SavedReg();
        Unknown(s, idx, mayCall: true);
        byte copy = (byte)_random.Next(2, 6);
        s.Add(Mov64(copy, idx));
        int k = OneIn(2) ? _random.Next(1, 8) : 0;
        if (k != 0) s.Add(OneIn(4) ? Alu32Imm(AluAdd, copy, k) : Alu64Imm(AluAdd, copy, k));
        bool checkCopy = _random.Next(3) != 0;
        int limit = 24 + (Bug() ? 1 : 0);
        byte check = checkCopy ? copy : idx, use = checkCopy ? idx : copy;
        int bound = checkCopy ? limit + k : limit - k;
        if (_random.Next(2) == 0) s.If(JmpGt, check, bound, "skip", Bug(2));
        else s.If(JmpGe, check, bound + 1, "skip");
        if (!Bug(2))
        {
            if (checkCopy) s.If(JmpSlt, check, k, "skip");
            else s.If(JmpSlt, check, 0, "skip");
        }
        s.Add(LdMapValue(1, GlobalMap, 0)).Add(Alu64Reg(AluAdd, 1, use), Ldx(Size(), _random.Next(2) == 0 ? (byte)1 : ValueReg(), 1, 0));
        s.Label("skip");
        Emit(s);
    }
}
