using System.Text.RegularExpressions;
using BpfSharp.Isa;
using BpfSharp.Verifier;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// Replays a program of scalar instructions (context loads through r1/r6, ALU, ld_imm64, conditional jumps,
/// exit) with <see cref="ScalarAlu"/> and <see cref="ScalarBranch"/> along the paths a kernel level-2 log shows,
/// in the kernel's order (fall-through first, pushed states last in first out), and reports every register
/// whose printed state differs from <see cref="ScalarValue.Format"/>. A path the log shows as pruned
/// (<c>safe</c>) ends there. Link ids and precision marks are ignored.
/// </summary>
public sealed partial class ScalarDiffChecker
{
    private const int Context = 1, Frame = 2, Scalar = 3;

    private readonly Instruction[] _program;
    private readonly List<ScalarDiffLogEntry> _entries;
    private readonly List<string> _problems = [];
    private readonly Stack<(int Pc, int From, Regs Regs)> _pending = new();
    private int _cursor;

    private ScalarDiffChecker(Instruction[] program, string log)
    {
        _program = program;
        _entries = Parse(log);
    }

    /// <summary>Number of register states compared by the last <see cref="Check"/> (for the tests' sanity).</summary>
    public int Compared { get; private set; }

    /// <summary>The differences between the log and the simulation; empty when they agree.</summary>
    public static List<string> Check(Instruction[] program, string log) => Check(program, log, out _);

    /// <summary>As <see cref="Check(Instruction[], string)"/>, also giving the number of register states compared.</summary>
    public static List<string> Check(Instruction[] program, string log, out int compared)
    {
        var checker = new ScalarDiffChecker(program, log);
        checker.Run();
        compared = checker.Compared;
        return checker._problems;
    }

    private sealed class Regs
    {
        public ScalarValue[] V = new ScalarValue[11];
        public int[] K = new int[11];
        public Regs Clone() => new() { V = (ScalarValue[])V.Clone(), K = (int[])K.Clone() };
    }

    private void Run()
    {
        var regs = new Regs();
        regs.K[1] = Context;
        regs.K[10] = Frame;
        Execute(0, regs);
        while (_pending.Count > 0 && _problems.Count == 0)
        {
            var (pc, from, r) = _pending.Pop();
            var entry = Next();
            if (entry is null || !entry.IsFrom || entry.From != from || entry.Index != pc)
            {
                Fail($"expected 'from {from} to {pc}', log has '{entry?.Line}'");
                return;
            }
            if (entry.Safe) continue;
            Compare(entry, r, full: true);
            Execute(pc, r);
        }
        if (_problems.Count == 0 && Next() is { } extra) Fail($"log has more: '{extra.Line}'");
    }

    private ScalarDiffLogEntry? Next() => _cursor < _entries.Count ? _entries[_cursor++] : null;

    private void Execute(int pc, Regs r)
    {
        while (_problems.Count == 0)
        {
            var entry = Next();
            if (entry is null || entry.IsFrom || entry.Index != pc)
            {
                Fail($"expected instruction {pc}, log has '{entry?.Line}'");
                return;
            }
            if (entry.Safe) return;
            var insn = _program[pc];
            int next = Step(insn, pc, r);
            Compare(entry, r, full: false);
            if (next < 0) return;
            pc = next;
        }
    }

    // Executes one instruction; returns the next pc, or -1 at exit.
    private int Step(Instruction insn, int pc, Regs r)
    {
        int d = insn.Dst, s = insn.Src;
        switch (insn.Class)
        {
            case InstructionClass.Ld when insn.IsLoadImm64:
                Set(r, d, ScalarValue.Known(Instruction.Imm64(insn, _program[pc + 1])));
                return pc + 2;
            case InstructionClass.Ldx:
            {
                int size = Instruction.Bytes(insn.MemSize);
                var v = ScalarValue.Unknown;
                if (insn.MemMode == MemoryMode.MemSx) v.SignExtend(size);
                else if (size < 8) v.Truncate(size);
                Set(r, d, v);
                return pc + 1;
            }
            case InstructionClass.Alu or InstructionClass.Alu64:
                Alu(insn, r, pc);
                return pc + 1;
            case InstructionClass.Jmp or InstructionClass.Jmp32:
                if (insn.JumpOp == JumpOperation.Exit) return -1;
                if (insn.JumpOp == JumpOperation.Ja) return pc + 1 + insn.Offset;
                return Branch(insn, pc, r);
            default:
                throw new NotSupportedException($"instruction {pc} ({insn}) is not a scalar instruction");
        }
    }

    private static void Set(Regs r, int reg, ScalarValue v)
    {
        r.V[reg] = v;
        r.K[reg] = Scalar;
    }

    private void Alu(Instruction insn, Regs r, int pc)
    {
        bool alu64 = insn.Class == InstructionClass.Alu64;
        int d = insn.Dst;
        var op = insn.AluOp;
        if (op == AluOperation.Mov)
        {
            if (!insn.UsesRegisterSource) Set(r, d, ScalarAlu.MoveImmediate(insn.Immediate, alu64));
            else if (r.K[insn.Src] != Scalar) r.K[d] = r.K[insn.Src];
            else Set(r, d, ScalarAlu.Move(r.V[insn.Src], alu64, insn.Offset));
            return;
        }
        if (op == AluOperation.End)
        {
            Set(r, d, ScalarAlu.Endian(r.V[d], alu64, insn.UsesRegisterSource, insn.Immediate));
            return;
        }
        var src = insn.UsesRegisterSource ? r.V[insn.Src] : ScalarValue.Known((long)insn.Immediate);
        if (ScalarAlu.TrySplitSignMask(op, r.V[d], src, out var minusOne, out var zero))
        {
            // The kernel re-runs this instruction later with dst = 0.
            var other = r.Clone();
            other.V[d] = zero;
            _pending.Push((pc, pc, other));
            r.V[d] = minusOne;
        }
        Set(r, d, ScalarAlu.Compute(op, r.V[d], src, alu64, insn.Offset));
    }

    private int Branch(Instruction insn, int pc, Regs r)
    {
        bool is32 = insn.Class == InstructionClass.Jmp32;
        int d = insn.Dst, target = pc + 1 + insn.Offset;
        var fake = ScalarValue.Known((long)insn.Immediate);
        int pred = ScalarBranch.BranchTaken(r.V[d], insn.UsesRegisterSource ? r.V[insn.Src] : fake, insn.JumpOp, is32);
        if (pred == 1) return target;
        if (pred == 0) return pc + 1;
        var taken = r.Clone();
        if (insn.UsesRegisterSource)
        {
            ScalarBranch.RefineBoth(ref taken.V[d], ref taken.V[insn.Src], ref r.V[d], ref r.V[insn.Src], insn.JumpOp, is32);
        }
        else
        {
            var fakeTaken = fake;
            ScalarBranch.RefineBoth(ref taken.V[d], ref fakeTaken, ref r.V[d], ref fake, insn.JumpOp, is32);
        }
        _pending.Push((target, pc, taken));
        return pc + 1;
    }

    private void Compare(ScalarDiffLogEntry entry, Regs r, bool full)
    {
        foreach (var (reg, text) in entry.Registers)
        {
            if (r.K[reg] != Scalar) continue;
            Compared++;
            string mine = r.V[reg].Format();
            if (mine != text) Fail($"R{reg} after '{entry.Line}': kernel {text}, ours {mine} [{Dump(r.V[reg])}]");
        }
        if (!full) return;
        for (int reg = 0; reg < 10; reg++)
            if (r.K[reg] == Scalar && !entry.Registers.ContainsKey(reg)) Fail($"R{reg} missing in '{entry.Line}'");
    }

    private static string Dump(ScalarValue v) =>
        $"var_off={v.VarOff} s=[{v.SMin},{v.SMax}] u=[{v.UMin:x},{v.UMax:x}] s32=[{v.S32Min},{v.S32Max}] u32=[{v.U32Min:x},{v.U32Max:x}]";

    private void Fail(string message) => _problems.Add(message);

    [GeneratedRegex(@"^(\d+): \([0-9a-f]{2}\) [^;]*?(?:\s*; (.*))?$")]
    private static partial Regex InsnLine();

    [GeneratedRegex(@"^from (\d+) to (\d+): (.*)$")]
    private static partial Regex FromLine();

    [GeneratedRegex(@"^(\d+): safe$")]
    private static partial Regex SafeLine();

    [GeneratedRegex(@"id=\d+(?:[+-]\d+)?,?")]
    private static partial Regex IdAttribute();

    [GeneratedRegex(@"(?:^| )R(\d+)=(.*?)(?= R\d+=|$)")]
    private static partial Regex RegisterToken();

    private static List<ScalarDiffLogEntry> Parse(string log)
    {
        var list = new List<ScalarDiffLogEntry>();
        var none = new Dictionary<int, string>();
        foreach (var raw in log.Split('\n'))
        {
            string line = raw.Trim();
            Match m;
            if ((m = FromLine().Match(line)).Success)
            {
                bool safe = m.Groups[3].Value == "safe";
                list.Add(new(int.Parse(m.Groups[2].Value), int.Parse(m.Groups[1].Value), true, safe, !safe, safe ? none : Registers(m.Groups[3].Value), line));
            }
            else if ((m = SafeLine().Match(line)).Success)
            {
                list.Add(new(int.Parse(m.Groups[1].Value), -1, false, true, false, none, line));
            }
            else if ((m = InsnLine().Match(raw.TrimEnd())).Success)
            {
                bool has = m.Groups[2].Success;
                list.Add(new(int.Parse(m.Groups[1].Value), -1, false, false, has, has ? Registers(m.Groups[2].Value) : none, line));
            }
        }
        return list;
    }

    private static Dictionary<int, string> Registers(string text)
    {
        var map = new Dictionary<int, string>();
        foreach (Match m in RegisterToken().Matches(text))
        {
            string value = m.Groups[2].Value;
            if (value.StartsWith('P')) value = value[1..];
            value = IdAttribute().Replace(value, "").Replace(",)", ")");
            map[int.Parse(m.Groups[1].Value)] = value;
        }
        return map;
    }
}
