using System.Globalization;
using BpfSharp.Isa;

namespace BpfSharp.Runtime.Conformance;

/// <summary>
/// Assembles the conformance suite's assembly syntax (uBPF's): <c>mov32 %r0, 0</c>, <c>ldxw %r0, [%r1+4]</c>,
/// <c>jeq %r1, 0x2, +3</c> or <c>jeq %r1, 2, label</c>, <c>lddw %r0, 0x...</c>, <c>lock fetch add32 [%r10-8], %r1</c>,
/// <c>call 5</c>, <c>call local func</c>, <c>call %r2</c> (callx), <c>label:</c>. As in the suite's own assembler the
/// label <c>exit</c> names the first <c>exit</c> instruction unless defined, and numbers wrap to the field's width
/// (<c>-1</c> as an immediate is 0xffffffff).
/// </summary>
public static class ConformanceAssembler
{
    private enum Form { Alu, Neg, MovSx, Endian, Jump, Ja, Ja32, Exit, Call, Lddw, Ldx, St, Stx, Lock }

    private static readonly Dictionary<string, (Form Form, byte Opcode, short Offset, int Imm)> Mnemonics = Build();

    private static Dictionary<string, (Form, byte, short, int)> Build()
    {
        var table = new Dictionary<string, (Form, byte, short, int)>(StringComparer.Ordinal);
        (string Name, byte Op, short Off)[] alu =
        [
            ("add", 0x00, 0), ("sub", 0x10, 0), ("mul", 0x20, 0), ("div", 0x30, 0), ("sdiv", 0x30, 1), ("or", 0x40, 0),
            ("and", 0x50, 0), ("lsh", 0x60, 0), ("rsh", 0x70, 0), ("mod", 0x90, 0), ("smod", 0x90, 1), ("xor", 0xa0, 0),
            ("mov", 0xb0, 0), ("arsh", 0xc0, 0),
        ];
        foreach (var (name, op, off) in alu)
        {
            table[name] = table[name + "64"] = (Form.Alu, (byte)(0x07 | op), off, 0);
            table[name + "32"] = (Form.Alu, (byte)(0x04 | op), off, 0);
        }
        table["neg"] = table["neg64"] = (Form.Neg, 0x87, 0, 0);
        table["neg32"] = (Form.Neg, 0x84, 0, 0);
        foreach (short bits in new short[] { 8, 16, 32 })
        {
            table[$"movsx{bits}64"] = (Form.MovSx, 0xbf, bits, 0);
            if (bits != 32) table[$"movsx{bits}32"] = (Form.MovSx, 0xbc, bits, 0);
        }
        foreach (int bits in new[] { 16, 32, 64 })
        {
            table[$"le{bits}"] = (Form.Endian, 0xd4, 0, bits);
            table[$"be{bits}"] = (Form.Endian, 0xdc, 0, bits);
            table[$"swap{bits}"] = table[$"bswap{bits}"] = (Form.Endian, 0xd7, 0, bits);
        }
        (string Name, byte Op)[] jumps =
        [
            ("jeq", 0x10), ("jgt", 0x20), ("jge", 0x30), ("jset", 0x40), ("jne", 0x50), ("jsgt", 0x60), ("jsge", 0x70),
            ("jlt", 0xa0), ("jle", 0xb0), ("jslt", 0xc0), ("jsle", 0xd0),
        ];
        foreach (var (name, op) in jumps)
        {
            table[name] = (Form.Jump, (byte)(0x05 | op), 0, 0);
            table[name + "32"] = (Form.Jump, (byte)(0x06 | op), 0, 0);
        }
        table["ja"] = (Form.Ja, 0x05, 0, 0);
        table["ja32"] = (Form.Ja32, 0x06, 0, 0);
        table["exit"] = (Form.Exit, 0x95, 0, 0);
        table["call"] = (Form.Call, 0x85, 0, 0);
        table["lddw"] = (Form.Lddw, 0x18, 0, 0);
        foreach (var (suffix, size) in new[] { ("w", 0x00), ("h", 0x08), ("b", 0x10), ("dw", 0x18) })
        {
            table["ldx" + suffix] = (Form.Ldx, (byte)(0x61 | size), 0, 0);
            table["st" + suffix] = (Form.St, (byte)(0x62 | size), 0, 0);
            table["stx" + suffix] = (Form.Stx, (byte)(0x63 | size), 0, 0);
            if (suffix != "dw") table["ldxs" + suffix] = (Form.Ldx, (byte)(0x81 | size), 0, 0);
        }
        table["lock"] = (Form.Lock, 0, 0, 0);
        return table;
    }

    private static readonly Dictionary<string, int> AtomicOps = new(StringComparer.Ordinal)
    {
        ["add"] = AtomicOperation.Add, ["or"] = AtomicOperation.Or, ["and"] = AtomicOperation.And, ["xor"] = AtomicOperation.Xor,
        ["xchg"] = AtomicOperation.Xchg, ["cmpxchg"] = AtomicOperation.Cmpxchg,
    };

    /// <summary>Assembles <paramref name="text"/>; an error is a <see cref="FormatException"/> naming the line.</summary>
    public static Instruction[] Assemble(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slots = new List<Instruction>();
        var fixups = new List<(int Slot, string Label, bool InImmediate, int Line)>();
        var labels = new Dictionary<string, int>(StringComparer.Ordinal);
        int? firstExit = null;
        var lines = text.Split('\n');
        for (int lineNo = 0; lineNo < lines.Length; lineNo++)
        {
            var tokens = new List<string>();
            foreach (var t in lines[lineNo].Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (t.StartsWith('#')) break;
                string token = t.TrimEnd(',');
                if (token.Length > 0) tokens.Add(token);
            }
            if (tokens.Count == 0) continue;
            string mnemonic = tokens[0];
            if (mnemonic.EndsWith(':'))
            {
                string label = mnemonic[..^1];
                if (!labels.TryAdd(label, slots.Count)) throw Error(lineNo, $"duplicate label '{label}'");
                if (tokens.Count > 1) throw Error(lineNo, "an instruction after a label must go on its own line");
                continue;
            }
            if (!Mnemonics.TryGetValue(mnemonic, out var m)) throw Error(lineNo, $"unknown mnemonic '{mnemonic}'");
            var ops = tokens.Skip(1).ToList();
            try
            {
                Encode(m, ops, slots, fixups, lineNo);
            }
            catch (FormatException e)
            {
                throw Error(lineNo, $"{mnemonic}: {e.Message}");
            }
            if (m.Form == Form.Exit) firstExit ??= slots.Count - 1;
        }
        if (firstExit is { } exit) labels.TryAdd("exit", exit);
        foreach (var (slot, label, inImmediate, line) in fixups)
        {
            if (!labels.TryGetValue(label, out int target)) throw Error(line, $"undefined label '{label}'");
            int delta = target - slot - 1;
            var insn = slots[slot];
            if (inImmediate) slots[slot] = insn.WithImmediate(delta);
            else if (delta is < short.MinValue or > short.MaxValue) throw Error(line, $"jump to '{label}' is too far for a 16-bit offset");
            else slots[slot] = insn.WithOffset((short)delta);
        }
        return slots.ToArray();
    }

    private static void Encode((Form Form, byte Opcode, short Offset, int Imm) m, List<string> ops, List<Instruction> slots,
        List<(int, string, bool, int)> fixups, int line)
    {
        void Count(int n)
        {
            if (ops.Count != n) throw new FormatException($"expected {n} operands, got {ops.Count}");
        }
        byte op = m.Opcode;
        switch (m.Form)
        {
            case Form.Alu:
                Count(2);
                if (IsRegister(ops[1])) slots.Add(new Instruction((byte)(op | 0x08), Register(ops[0]), Register(ops[1]), m.Offset, 0));
                else slots.Add(new Instruction(op, Register(ops[0]), 0, m.Offset, (int)Number(ops[1])));
                break;
            case Form.Neg:
                Count(1);
                slots.Add(new Instruction(op, Register(ops[0]), 0, 0, 0));
                break;
            case Form.MovSx:
                Count(2);
                slots.Add(new Instruction(op, Register(ops[0]), Register(ops[1]), m.Offset, 0));
                break;
            case Form.Endian:
                Count(1);
                slots.Add(new Instruction(op, Register(ops[0]), 0, 0, m.Imm));
                break;
            case Form.Jump:
            {
                Count(3);
                byte dst = Register(ops[0]);
                bool reg = IsRegister(ops[1]);
                var insn = new Instruction(reg ? (byte)(op | 0x08) : op, dst, reg ? Register(ops[1]) : (byte)0, 0, reg ? 0 : (int)Number(ops[1]));
                slots.Add(insn.WithOffset((short)JumpOffset(ops[2], slots.Count, inImmediate: false, fixups, line)));
                break;
            }
            case Form.Ja:
                Count(1);
                slots.Add(new Instruction(op, 0, 0, 0, 0));
                slots[^1] = slots[^1].WithOffset((short)JumpOffset(ops[0], slots.Count - 1, inImmediate: false, fixups, line));
                break;
            case Form.Ja32:
                Count(1);
                slots.Add(new Instruction(op, 0, 0, 0, 0));
                slots[^1] = slots[^1].WithImmediate(JumpOffset(ops[0], slots.Count - 1, inImmediate: true, fixups, line));
                break;
            case Form.Exit:
                Count(0);
                slots.Add(new Instruction(op, 0, 0, 0, 0));
                break;
            case Form.Call:
                if (ops.Count == 1 && IsRegister(ops[0])) slots.Add(new Instruction(0x8d, Register(ops[0]), 0, 0, 0));
                else if (ops.Count == 1 || (ops.Count == 2 && ops[0] == "helper")) slots.Add(new Instruction(op, 0, PseudoSource.Helper, 0, (int)Number(ops[^1])));
                else if (ops.Count == 2 && ops[0] == "local")
                {
                    slots.Add(new Instruction(op, 0, PseudoSource.LocalCall, 0, 0));
                    slots[^1] = slots[^1].WithImmediate(JumpOffset(ops[1], slots.Count - 1, inImmediate: true, fixups, line));
                }
                else if (ops.Count == 2 && ops[0] == "runtime") slots.Add(new Instruction(op, 0, PseudoSource.KfuncCall, 0, (int)Number(ops[1])));
                else throw new FormatException("expected 'call N', 'call local LABEL', 'call runtime N' or 'call %rN'");
                break;
            case Form.Lddw:
            {
                Count(2);
                ulong value = Number(ops[1]);
                slots.Add(new Instruction(op, Register(ops[0]), 0, 0, (int)(uint)value));
                slots.Add(new Instruction(0, 0, 0, 0, (int)(uint)(value >> 32)));
                break;
            }
            case Form.Ldx:
            {
                Count(2);
                var (src, off) = MemoryOperand(ops[1]);
                slots.Add(new Instruction(op, Register(ops[0]), src, off, 0));
                break;
            }
            case Form.St:
            {
                Count(2);
                var (dst, off) = MemoryOperand(ops[0]);
                slots.Add(new Instruction(op, dst, 0, off, (int)Number(ops[1])));
                break;
            }
            case Form.Stx:
            {
                Count(2);
                var (dst, off) = MemoryOperand(ops[0]);
                slots.Add(new Instruction(op, dst, Register(ops[1]), off, 0));
                break;
            }
            default: // lock [fetch] OP[32] [mem], %src
            {
                bool fetch = ops.Count > 0 && ops[0] == "fetch";
                if (fetch) ops.RemoveAt(0);
                Count(3);
                string name = ops[0];
                bool narrow = name.EndsWith("32", StringComparison.Ordinal);
                if (narrow) name = name[..^2];
                if (!AtomicOps.TryGetValue(name, out int imm)) throw new FormatException($"unknown atomic operation '{ops[0]}'");
                if (fetch) imm |= AtomicOperation.Fetch;
                var (dst, off) = MemoryOperand(ops[1]);
                slots.Add(new Instruction(narrow ? (byte)0xc3 : (byte)0xdb, dst, Register(ops[2]), off, imm));
                break;
            }
        }
    }

    private static int JumpOffset(string target, int slot, bool inImmediate, List<(int, string, bool, int)> fixups, int line)
    {
        if (target.StartsWith('+') || target.StartsWith('-')) return (int)Number(target);
        fixups.Add((slot, target, inImmediate, line));
        return 0;
    }

    private static bool IsRegister(string operand) => operand.StartsWith('%');

    private static byte Register(string operand)
    {
        if (operand.Length >= 3 && operand.StartsWith("%r", StringComparison.Ordinal)
            && byte.TryParse(operand.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out byte r) && r <= 15)
            return r;
        throw new FormatException($"'{operand}' is not a register (%r0 to %r10)");
    }

    private static (byte Register, short Offset) MemoryOperand(string operand)
    {
        if (!operand.StartsWith('[') || !operand.EndsWith(']')) throw new FormatException($"'{operand}' is not a memory operand [%rN+OFF]");
        string inner = operand[1..^1];
        int sign = inner.IndexOfAny(['+', '-']);
        if (sign < 0) return (Register(inner), 0);
        return (Register(inner[..sign]), (short)Number(inner[sign..]));
    }

    /// <summary>A number as the suite writes them: decimal or 0x-hex, optionally signed, wrapping modulo 2^64.</summary>
    private static ulong Number(string text)
    {
        bool negative = text.StartsWith('-');
        string digits = text.StartsWith('-') || text.StartsWith('+') ? text[1..] : text;
        bool ok = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(digits.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong value)
            : ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (!ok || digits.Length == 0) throw new FormatException($"'{text}' is not a number");
        return negative ? 0 - value : value;
    }

    private static FormatException Error(int line, string message) => new($"line {line + 1}: {message}");
}
