using BpfSharp.Isa;
using BpfSharp.Loader;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// Scalars the verifier only knows a range of (ctx fields, stack and map contents, helper results), the 32-bit
/// sub-register tricks compilers emit on them, and the ways programs bound them before using them as offsets.
/// </summary>
internal sealed partial class RandomVerifierPrograms
{
    private int _labels;

    /// <summary>A label unique within the program.</summary>
    private string NewLabel() => $"L{_labels++}";

    /// <summary>
    /// Puts into <paramref name="dst"/> a scalar the verifier only knows a range of. With <paramref name="mayCall"/>
    /// the value may come from a helper, which clobbers r1-r5, so the caller emits this first.
    /// </summary>
    private void Unknown(Snippet s, byte dst, bool mayCall)
    {
        switch (_random.Next(mayCall ? 12 : 10))
        {
            case 0:
            case 1:
            case 2:
                s.Add(CtxScalarLoad(dst));
                break;
            case 3:
            {
                // Through the stack: a value register spilled and filled, sometimes at a narrower size.
                short off = (short)(-8 * _random.Next(1, 9));
                var size = _random.Next(3) == 0 ? Size() : MemorySize.DW;
                s.Add(Stx(MemorySize.DW, 10, ValueReg(), off), Ldx(size, dst, 10, off));
                break;
            }
            case 4:
                // Whatever the stack slot holds (uninitialized reads are allowed to a privileged loader).
                s.Add(Ldx(_random.Next(2) == 0 ? MemorySize.DW : Size(), dst, 10, (short)(-8 * _random.Next(1, 9))));
                break;
            case 5:
                s.Add(Mov64(dst, ValueReg()));
                break;
            case 6:
            {
                // A sign-extending load of a stored value.
                short off = (short)(-8 * _random.Next(1, 9));
                var size = (MemorySize)(_random.Next(3) << 3);
                s.Add(Stx(MemorySize.DW, 10, ValueReg(), off), LdxSx(size, dst, 10, off));
                break;
            }
            case 7:
            case 8:
                // Global data (a direct map value address), like a configuration variable.
                s.Add(LdMapValue(dst, GlobalMap, 0));
                s.Add(Ldx(_random.Next(3) == 0 ? Size() : MemorySize.W, dst, dst, (short)(8 * _random.Next(4))));
                break;
            case 9:
                s.Add(Mov32(dst, ValueReg()));
                break;
            default:
                s.Add(Call(_random.Next(2) == 0 ? 7 : 5));
                if (dst != 0) s.Add(Mov64(dst, 0));
                break;
        }
    }

    /// <summary>A ctx field the program type may read as a scalar.</summary>
    private Instruction CtxScalarLoad(byte dst)
    {
        switch (_type)
        {
            case ProgramType.Xdp:
                // ingress_ifindex, rx_queue_index; egress_ifindex is refused without a devmap attach type.
                return Ldx(MemorySize.W, dst, 6, (short)(Bug() ? 20 : 12 + 4 * _random.Next(2)));
            case ProgramType.Kprobe:
                // pt_regs: 21 registers of 8 bytes.
                return Ldx(OneIn(4) ? MemorySize.W : MemorySize.DW, dst, 6, (short)(8 * _random.Next(21)));
            default:
            {
                // len, pkt_type, mark, queue_mapping, protocol, vlan_tci, priority, cb[0..4], hash.
                short[] fields = [0, 4, 8, 12, 16, 24, 32, 48, 52, 56, 60, 64, 68];
                short off = fields[_random.Next(fields.Length)];
                if (OneIn(6)) return Ldx(MemorySize.B, dst, 6, off);
                if (OneIn(6)) return Ldx(MemorySize.H, dst, 6, off);
                return Ldx(MemorySize.W, dst, 6, off);
            }
        }
    }

    /// <summary>The 32-bit and sign-extension tricks compilers leave on a value before it is used.</summary>
    private void Mangle(Snippet s, byte r)
    {
        switch (_random.Next(12))
        {
            case 0: s.Add(Mov32(r, r)); break;
            case 1: s.Add(Alu32Imm(AluAdd, r, _random.Next(-4, 9))); break;
            case 2: s.Add(MovSx(true, r, r, (short)(8 << _random.Next(3)))); break;
            case 3: s.Add(MovSx(false, r, r, (short)(8 << _random.Next(2)))); break;
            case 4: s.Add(Alu64Imm(AluLsh, r, 32), Alu64Imm(AluArsh, r, 32)); break;
            case 5: s.Add(Alu64Imm(AluLsh, r, 32), Alu64Imm(AluRsh, r, 32)); break;
            case 6: s.Add(Alu32Imm(AluRsh, r, _random.Next(1, 32))); break;
            case 7: s.Add(SignedDivMod(_random.Next(2) == 0, _random.Next(2) == 0, r, 0, Bug() ? 0 : new[] { -1, 2, 3, 7, 16, -5 }[_random.Next(6)], false)); break;
            case 8: s.Add(Alu32Imm(AluAnd, r, 0xff), MovSx(_random.Next(2) == 0, r, r, 8)); break;
            case 9: s.Add(Alu32Imm(AluSub, r, _random.Next(0, 5))); break;
            case 10: s.Add(Alu32Imm(AluXor, r, _random.Next(0, 16))); break;
            default: s.Add(new Instruction((byte)(_random.Next(2) == 0 ? 0xd4 : 0xdc), r, 0, 0, _random.Next(2) == 0 ? 16 : 32)); break;
        }
    }

    /// <summary>
    /// Bounds <paramref name="r"/> to [0, <paramref name="limit"/>] on the fall-through path (jumping to
    /// <paramref name="skip"/> otherwise), the way programs do: masks, unsigned and signed compares in 64 or 32
    /// bits, compares against a register, shifts. About one in twenty-five is wrong the way real bugs are: a mask or
    /// a compare off by one, a signed compare without the lower bound, a 32-bit compare of a 64-bit value, a modulo
    /// (whose range the verifier does not track), or no bound at all.
    /// </summary>
    private void Bound(Snippet s, byte r, int limit, string skip, byte temp = 0)
    {
        if (limit < 0) limit = 0;
        int bits = 0;
        while ((2 << bits) - 1 <= limit && bits < 30) bits++;
        int mask = (1 << bits) - 1;
        if (Bug(2))
        {
            switch (_random.Next(6))
            {
                case 0: s.Add(Alu64Imm(AluAnd, r, mask * 2 + 1)); break;
                case 1: s.If(JmpGt, r, limit + 1, skip); break;
                case 2: s.If(JmpSgt, r, limit, skip); break;
                case 3: s.If(_random.Next(2) == 0 ? JmpGt : JmpSgt, r, limit, skip, true); break;
                case 4: s.Add(_random.Next(2) == 0 ? Alu64Imm(AluMod, r, limit + 1) : Alu32Imm(AluMod, r, limit + 1)); break;
                default: break;
            }
            return;
        }
        switch (_random.Next(13))
        {
            case 0:
            case 1:
            case 2:
                s.Add(_random.Next(3) == 0 ? Alu32Imm(AluAnd, r, mask) : Alu64Imm(AluAnd, r, mask));
                break;
            case 3:
            case 4:
                if (_random.Next(2) == 0) s.If(JmpGt, r, limit, skip);
                else s.If(JmpGe, r, limit + 1, skip);
                break;
            case 5:
            {
                string ok = NewLabel();
                if (_random.Next(2) == 0) s.If(JmpLt, r, limit + 1, ok);
                else s.If(JmpLe, r, limit, ok);
                s.Goto(skip).Label(ok);
                break;
            }
            case 6:
            {
                // Signed: both ends, in 64 bits, or in 32 bits of a zero-extended value.
                bool jmp32 = OneIn(3);
                if (jmp32) s.Add(Mov32(r, r));
                if (_random.Next(2) == 0) s.If(JmpSgt, r, limit, skip, jmp32);
                else s.If(JmpSge, r, limit + 1, skip, jmp32);
                if (_random.Next(2) == 0) s.If(JmpSlt, r, 0, skip, jmp32);
                else s.If(JmpSle, r, -1, skip, jmp32);
                break;
            }
            case 7:
                if (temp != 0)
                {
                    s.Add(MovImm(temp, limit));
                    if (_random.Next(2) == 0) s.IfReg(JmpGt, r, temp, skip);
                    else s.IfReg(JmpLt, temp, r, skip);
                }
                else s.If(JmpGt, r, limit, skip);
                break;
            case 8:
                s.Add(_random.Next(2) == 0 ? Alu64Imm(AluRsh, r, 64 - bits) : Alu32Imm(AluRsh, r, 32 - bits));
                break;
            case 9:
                // A mask and then a check that the mask already implies.
                s.Add(Alu64Imm(AluAnd, r, mask * 2 + 1)).If(JmpGt, r, limit, skip);
                break;
            case 10:
                // Lower bound first, then upper (two ranges to intersect).
                s.If(JmpSlt, r, 0, skip).If(JmpGt, r, limit, skip);
                break;
            case 11:
                // Known-zero upper half from a 32-bit move, then a 32-bit compare.
            {
                bool signed = _random.Next(2) == 0;
                s.Add(Mov32(r, r)).If(signed ? JmpSgt : JmpGt, r, limit, skip, true);
                if (signed) s.If(JmpSlt, r, 0, skip, true);
                break;
            }
            default:
                // A 32-bit mask then a 64-bit compare.
                s.Add(Alu32Imm(AluAnd, r, mask * 4 + 3)).If(JmpGe, r, limit + 1, skip);
                break;
        }
    }

    /// <summary>
    /// 32-bit sub-register tricks: a 32-bit computed index used as a 64-bit offset, movsx, sign-extending loads,
    /// signed division and modulo, byte swaps, and 32-bit compares of 64-bit values followed by a use.
    /// </summary>
    private void SubRegisterItem()
    {
        if (_random.Next(2) == 0)
        {
            VarOffsetMapAccess(mangle: true);
            return;
        }
        var s = new Snippet();
        byte dst = ValueReg();
        switch (_random.Next(6))
        {
            case 0:
            {
                // movsx: s8/s16 (and s32 in 64 bits; a 32-bit s32 form does not exist).
                bool alu64 = _random.Next(2) == 0;
                s.Add(MovSx(alu64, dst, ValueReg(), (short)(8 << _random.Next(alu64 || Bug() ? 3 : 2))));
                break;
            }
            case 1:
            {
                // A sign-extending load from the stack, the ctx or global data.
                var size = (MemorySize)(_random.Next(3) << 3);
                switch (_random.Next(3))
                {
                    case 0: s.Add(LdxSx(size, dst, 10, (short)(-8 * _random.Next(1, 9)))); break;
                    case 1: s.Add(LdxSx(size, dst, 6, (short)(4 * _random.Next(4)))); break;
                    default: s.Add(LdMapValue(1, GlobalMap, 0)).Add(LdxSx(size, dst, 1, (short)(4 * _random.Next(8)))); break;
                }
                break;
            }
            case 2:
            {
                bool reg = _random.Next(3) == 0;
                int imm = Bug() ? 0 : new[] { -1, 2, 3, 7, -8, int.MinValue, 100 }[_random.Next(7)];
                s.Add(SignedDivMod(_random.Next(2) == 0, _random.Next(2) == 0, dst, ValueReg(), imm, reg));
                break;
            }
            case 3:
                s.Add(new Instruction(0xd7, dst, 0, 0, new[] { 16, 32, 64 }[_random.Next(3)]));
                break;
            case 4:
            {
                // A 32-bit compare of a 64-bit value, then the value as an offset.
                byte r = SavedReg();
                Unknown(s, r, mayCall: true);
                s.If(new[] { JmpGt, JmpGe, JmpSgt }[_random.Next(3)], r, 24, "skip", jmp32: true);
                if (_random.Next(2) == 0) s.If(JmpSlt, r, 0, "skip", jmp32: true);
                s.Add(LdMapValue(1, GlobalMap, 0)).Add(Alu64Reg(AluAdd, 1, r), Ldx(MemorySize.B, 2, 1, 0));
                break;
            }
            default:
                // w-ops, then the 64-bit register used.
                byte op = new[] { AluAdd, AluSub, AluMul, AluLsh, AluArsh, AluNeg }[_random.Next(6)];
                s.Add(Mov32(dst, ValueReg()), Alu32Imm(op, dst, op == AluNeg ? 0 : _random.Next(0, 31)));
                s.Add(Alu64Imm(AluRsh, dst, _random.Next(0, 40)));
                break;
        }
        s.Label("skip");
        Emit(s);
    }
}
