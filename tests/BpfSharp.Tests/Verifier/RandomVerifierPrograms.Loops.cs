using BpfSharp.Isa;
using BpfSharp.Loader;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// Loops: bounded by a loaded value, nested, with an early exit on a helper's result, counting down, walking a map
/// value or the packet, with a body branch the verifier must prune, and may_goto loops. Bounds stay small so a
/// program's walk stays short.
/// </summary>
internal sealed partial class RandomVerifierPrograms
{
    private void Loop()
    {
        var s = new Snippet();
        byte i = SavedReg();
        byte n = (byte)(7 + (i - 7 + _random.Next(1, 3)) % 3);
        switch (_random.Next(9))
        {
            case 0:
            case 1:
            {
                // for (i = 0; i < n; i++) with n loaded and masked (or a u8).
                Unknown(s, n, mayCall: true);
                if (OneIn(4)) s.Add(Alu64Imm(AluAnd, n, 0xff));
                else s.Add(Alu64Imm(AluAnd, n, new[] { 3, 7, 15 }[_random.Next(3)]));
                s.Add(MovImm(i, 0)).Label("loop");
                LoopBody(s, i);
                s.Add(Alu64Imm(AluAdd, i, 1));
                switch (_random.Next(4))
                {
                    case 0: s.IfReg(JmpLt, i, n, "loop"); break;
                    case 1: s.IfReg(JmpLt, i, n, "loop", jmp32: true); break;
                    case 2: s.IfReg(JmpSlt, i, n, "loop"); break;
                    default: s.IfReg(JmpGt, n, i, "loop"); break;
                }
                break;
            }
            case 2:
            {
                // Nested constant loops.
                int a = _random.Next(1, 5), b = _random.Next(1, 5);
                s.Add(MovImm(i, 0)).Label("outer").Add(MovImm(n, 0)).Label("inner");
                LoopBody(s, n);
                s.Add(Alu64Imm(AluAdd, n, 1)).If(JmpLt, n, b, "inner");
                s.Add(Alu64Imm(AluAdd, i, 1)).If(JmpLt, i, a, "outer");
                break;
            }
            case 3:
                // Leave early when a helper says so.
                s.Add(MovImm(i, 0)).Label("loop").Add(Call(7));
                if (_random.Next(2) == 0) s.If(JmpEq, 0, 0, "end");
                else s.If(JmpSet, 0, 1, "end");
                s.Add(Alu64Imm(AluAdd, i, 1)).If(JmpLt, i, _random.Next(2, 9), "loop");
                break;
            case 4:
            {
                // Counting down, unsigned or signed.
                s.Add(MovImm(i, _random.Next(1, 10))).Label("loop");
                LoopBody(s, i);
                s.Add(Alu64Imm(AluSub, i, 1));
                if (_random.Next(2) == 0) s.If(JmpNe, i, 0, "loop");
                else s.If(JmpSgt, i, 0, "loop", OneIn(3));
                break;
            }
            case 5:
            {
                // Walk a map value byte by byte.
                var (b, map, baseOff) = MapValuePointer(s, "skip");
                int len = ValueSize(map) - baseOff + (Bug() ? 1 : 0);
                s.Add(MovImm(i, 0)).Label("loop");
                s.Add(Mov64(3, b), Alu64Reg(AluAdd, 3, i), Ldx(MemorySize.B, 4, 3, 0));
                if (OneIn(2)) s.Add(Alu64Imm(AluAdd, 4, 1), Stx(MemorySize.B, 3, 4, 0));
                s.Add(Alu64Imm(AluAdd, i, 1)).If(JmpLt, i, len, "loop");
                s.Label("skip").Add(MovImm(0, 0));
                break;
            }
            case 6:
            {
                // A body branch on an unknown value: without pruning the paths would double each iteration.
                s.Add(MovImm(i, 0)).Label("loop").Add(Call(7));
                s.If(JmpGt, 0, 100, "big").Add(Alu64Imm(AluAdd, n, 1)).Label("big");
                s.Add(Alu64Imm(AluAdd, i, 1)).If(JmpLt, i, _random.Next(2, 7), "loop");
                break;
            }
            case 7:
                if (_type is not (ProgramType.Xdp or ProgramType.SchedCls or ProgramType.CgroupSkb)) goto case 0;
                // Walk the packet: each byte checked against data_end.
                s.Add(Ldx(MemorySize.W, 2, 6, DataOffset), Ldx(MemorySize.W, 3, 6, (short)(DataOffset + 4)));
                s.Add(MovImm(i, 0)).Label("loop").Add(Mov64(4, 2), Alu64Reg(AluAdd, 4, i));
                PacketCheck(s, 4, 3, 5, 1, "end");
                s.Add(Ldx(MemorySize.B, 1, 4, 0), Alu64Imm(AluAdd, i, 1)).If(JmpLt, i, _random.Next(2, 12), "loop");
                break;
            case 8 when OneIn(2) && !_legacyLoad:
            {
                // may_goto: the runtime bounds the loop, the verifier only its body. The counter is dropped after
                // the loop: were it used precisely, no two iterations would be equivalent and the walk would run
                // to the instruction limit.
                bool bounded = _random.Next(3) == 0;
                _mayGotoLoop = true;
                s.Add(MovImm(i, 0)).Label("loop").MayGoto("out");
                if (bounded) LoopBody(s, i);
                else if (OneIn(2)) s.Add(Mov64(1, i), Alu64Imm(AluMul, 1, 3));
                s.Add(Alu64Imm(AluAdd, i, 1));
                if (bounded) s.If(JmpLt, i, _random.Next(2, 20), "loop");
                else if (OneIn(2)) s.Goto("loop");
                else s.Add(Call(7)).If(JmpNe, 0, 0, "loop");
                s.Label("out").Add(MovImm(i, 0));
                break;
            }
            default:
                goto case 4;
        }
        Emit(s);
    }

    /// <summary>A loop body using the counter: nothing, arithmetic, or a stack byte indexed by it.</summary>
    private void LoopBody(Snippet s, byte i)
    {
        switch (_random.Next(5))
        {
            case 0:
                s.Add(Mov64(1, i), Alu64Imm(AluMul, 1, 3));
                break;
            case 1:
                // The stack at [-64, 0) indexed by the counter (an unmasked u8 bound runs past the frame).
                s.Add(Mov64(1, 10), Alu64Imm(AluAdd, 1, -64), Alu64Reg(AluAdd, 1, i), St(MemorySize.B, 1, 0, 0));
                break;
            case 2:
                s.Add(Mov64(1, i), Alu64Imm(AluAnd, 1, 7));
                s.Add(LdMapValue(2, GlobalMap, 0)).Add(Alu64Reg(AluAdd, 2, 1), Ldx(MemorySize.B, 1, 2, 0));
                break;
        }
    }
}
