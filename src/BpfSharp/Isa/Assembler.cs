using System.Globalization;

namespace BpfSharp.Isa;

/// <summary>
/// Reads the text <see cref="Disassembler"/> prints (the Linux verifier log syntax) back into instructions.
/// Beyond that syntax it accepts what people write by hand: labels (<c>loop:</c>) as jump and call targets,
/// <c>call helper_name</c> without the id, comments after <c>;</c> or <c>//</c>, and the verifier log's line
/// prefixes (<c>12: (bf) </c>), so a log can be pasted in.
/// </summary>
public static class Assembler
{
    private enum FixupKind : byte { JumpOffset, CallImmediate, LongJump, FuncAddress }

    private readonly record struct Fixup(int Slot, string Label, FixupKind Kind, int Line);

    // Compound assignment operators, longest first so that "s>>=" is not read as "s" then ">>=".
    private static readonly (string Text, AluOperation Op, short Offset)[] AluAssignments =
    [
        ("s>>=", AluOperation.Arsh, 0), ("s/=", AluOperation.Div, 1), ("s%=", AluOperation.Mod, 1),
        ("<<=", AluOperation.Lsh, 0), (">>=", AluOperation.Rsh, 0),
        ("+=", AluOperation.Add, 0), ("-=", AluOperation.Sub, 0), ("*=", AluOperation.Mul, 0), ("/=", AluOperation.Div, 0),
        ("|=", AluOperation.Or, 0), ("&=", AluOperation.And, 0), ("%=", AluOperation.Mod, 0), ("^=", AluOperation.Xor, 0),
        ("=", AluOperation.Mov, 0),
    ];

    private static readonly (string Text, JumpOperation Op)[] Comparisons =
    [
        ("s>=", JumpOperation.Jsge), ("s<=", JumpOperation.Jsle), ("s>", JumpOperation.Jsgt), ("s<", JumpOperation.Jslt),
        ("==", JumpOperation.Jeq), ("!=", JumpOperation.Jne), (">=", JumpOperation.Jge), ("<=", JumpOperation.Jle),
        (">", JumpOperation.Jgt), ("<", JumpOperation.Jlt), ("&", JumpOperation.Jset),
    ];

    private static readonly (string Text, int Op)[] LockOperations =
        [("+=", AtomicOperation.Add), ("|=", AtomicOperation.Or), ("&=", AtomicOperation.And), ("^=", AtomicOperation.Xor)];

    private static readonly (string Text, int Op)[] FetchOperations =
        [("add", AtomicOperation.Add), ("or", AtomicOperation.Or), ("and", AtomicOperation.And), ("xor", AtomicOperation.Xor)];

    private static readonly (string Text, MemorySize Size, bool Signed)[] SizeNames =
    [
        ("u8", MemorySize.B, false), ("u16", MemorySize.H, false), ("u32", MemorySize.W, false), ("u64", MemorySize.DW, false),
        ("s8", MemorySize.B, true), ("s16", MemorySize.H, true), ("s32", MemorySize.W, true),
    ];

    /// <summary>
    /// Assembles <paramref name="text"/>. Map names in <c>map[name]</c> are resolved through
    /// <paramref name="symbols"/>. Errors are <see cref="BpfFormatException"/>s naming
    /// <paramref name="sourceName"/> and the line.
    /// </summary>
    public static Instruction[] Assemble(string text, IProgramSymbols? symbols = null, string? sourceName = null)
    {
        var slots = new List<Instruction>();
        var fixups = new List<Fixup>();
        var labels = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            string line = StripComment(lines[n]);
            try
            {
                var cursor = new AssemblyCursor(line);
                SkipLogPrefix(ref cursor);
                while (TryLabel(ref cursor, out string label))
                {
                    if (!labels.TryAdd(label, slots.Count)) throw new AssemblyError($"label '{label}' is defined twice");
                }
                if (cursor.AtEnd) continue;
                Statement(ref cursor, slots, fixups, symbols, n + 1);
                cursor.ExpectEnd();
            }
            catch (AssemblyError e)
            {
                throw new BpfFormatException($"line {n + 1}: {e.Message} in '{line.Trim()}'", sourceName);
            }
        }

        var program = slots.ToArray();
        foreach (var f in fixups)
        {
            if (!labels.TryGetValue(f.Label, out int target))
                throw new BpfFormatException($"line {f.Line}: unknown label '{f.Label}'", sourceName);
            long delta = target - (f.Slot + 1L);
            var insn = program[f.Slot];
            if (f.Kind == FixupKind.JumpOffset)
            {
                if (delta < short.MinValue || delta > short.MaxValue)
                    throw new BpfFormatException($"line {f.Line}: jump to '{f.Label}' is {delta} slots away, more than a 16-bit offset holds (use gotol)", sourceName);
                program[f.Slot] = insn.WithOffset((short)delta);
            }
            else
            {
                program[f.Slot] = insn.WithImmediate((int)delta);
            }
        }
        return program;
    }

    private static string StripComment(string line)
    {
        int cut = line.IndexOf(';');
        int slashes = line.IndexOf("//", StringComparison.Ordinal);
        if (slashes >= 0 && (cut < 0 || slashes < cut)) cut = slashes;
        if (cut < 0 && line.TrimStart().StartsWith('#')) cut = line.IndexOf('#');
        return (cut >= 0 ? line[..cut] : line).TrimEnd('\r');
    }

    // "12: (bf) " from a verifier log or bpftool dump.
    private static void SkipLogPrefix(ref AssemblyCursor c)
    {
        int mark = c.Mark;
        if (c.TryInteger(out long index) && index >= 0 && c.TryConsume(":"))
        {
            mark = c.Mark;
            if (c.TryConsume("(") && c.TryHexByte() && c.TryConsume(")")) return;
        }
        c.Reset(mark);
    }

    private static bool TryLabel(ref AssemblyCursor c, out string label)
    {
        int mark = c.Mark;
        if (c.TryIdentifier(out label) && c.TryConsume(":")) return true;
        c.Reset(mark);
        return false;
    }

    private static void Statement(ref AssemblyCursor c, List<Instruction> slots, List<Fixup> fixups, IProgramSymbols? symbols, int line)
    {
        void Emit(Instruction insn) => slots.Add(insn);

        if (c.TryConsumeWord("exit")) { Emit(new Instruction(0x95, 0, 0, 0, 0)); return; }
        if (c.TryConsumeWord("goto"))
        {
            Emit(new Instruction(0x05, 0, 0, JumpOffset(ref c, fixups, slots.Count, FixupKind.JumpOffset, line), 0));
            return;
        }
        if (c.TryConsumeWord("gotol"))
        {
            Emit(new Instruction(0x06, 0, 0, 0, Target32(ref c, fixups, slots.Count, FixupKind.LongJump, line)));
            return;
        }
        if (c.TryConsumeWord("may_goto"))
        {
            Emit(new Instruction(0xe5, 0, 0, JumpOffset(ref c, fixups, slots.Count, FixupKind.JumpOffset, line), 0));
            return;
        }
        if (c.TryConsumeWord("callx")) { Emit(new Instruction(0x8d, 0, 0, 0, c.Register(wide: true))); return; }
        if (c.TryConsumeWord("call")) { Emit(Call(ref c, fixups, slots.Count, line)); return; }
        if (c.TryConsumeWord("if")) { Emit(Conditional(ref c, fixups, slots.Count, line)); return; }
        if (c.TryConsumeWord("lock"))
        {
            c.Expect("*");
            var (size, _, dst, off) = MemoryOperand(ref c);
            int op = Pick(ref c, LockOperations, "an atomic operator (+=, |=, &=, ^=)");
            byte src = c.Register(wide: true);
            Emit(new Instruction(Opcode(InstructionClass.Stx, MemoryMode.Atomic, size), dst, src, off, op));
            return;
        }
        if (c.TryConsumeWord("store_release"))
        {
            c.Expect("(");
            var (size, _, dst, off) = MemoryOperand(ref c);
            c.Expect(",");
            byte src = c.Register(wide: true);
            c.Expect(")");
            Emit(new Instruction(Opcode(InstructionClass.Stx, MemoryMode.Atomic, size), dst, src, off, AtomicOperation.StoreRelease));
            return;
        }
        if (c.TryConsumeWord(".insn")) { Emit(RawInstruction(ref c)); return; }
        if (c.TryConsume("*"))
        {
            var (size, signed, dst, off) = MemoryOperand(ref c);
            if (signed) throw new AssemblyError("stores take an unsigned size (u8, u16, u32, u64)");
            c.Expect("=");
            Emit(c.TryRegister(out byte src, out bool wide)
                ? (wide ? new Instruction(Opcode(InstructionClass.Stx, MemoryMode.Mem, size), dst, src, off, 0) : throw new AssemblyError("stores take an r register"))
                : new Instruction(Opcode(InstructionClass.St, MemoryMode.Mem, size), dst, 0, off, c.Int32()));
            return;
        }
        if (c.PeekRegister()) { Assignment(ref c, slots, fixups, symbols, line); return; }
        throw new AssemblyError("unknown instruction");
    }

    private static void Assignment(ref AssemblyCursor c, List<Instruction> slots, List<Fixup> fixups, IProgramSymbols? symbols, int line)
    {
        byte dst = c.Register(out bool wide);
        var cls = wide ? InstructionClass.Alu64 : InstructionClass.Alu;
        var (_, op, variant) = PickEntry(ref c, AluAssignments, "an assignment operator");
        if (op != AluOperation.Mov)
        {
            slots.Add(c.TryRegister(out byte src, out bool srcWide)
                ? (srcWide == wide ? new Instruction(Alu(cls, op, register: true), dst, src, variant, 0) : throw new AssemblyError("both registers must have the same width"))
                : new Instruction(Alu(cls, op, register: false), dst, 0, variant, c.Int32()));
            return;
        }

        int mark = c.Mark;
        if (c.TryConsume("-"))
        {
            if (c.TryRegister(out byte negated, out bool negWide))
            {
                if (negated != dst || negWide != wide) throw new AssemblyError("neg must name the same register on both sides");
                slots.Add(new Instruction(Alu(cls, AluOperation.Neg, register: false), dst, 0, 0, 0));
                return;
            }
            c.Reset(mark);
        }
        if (c.TryConsume("*"))
        {
            RequireWide(wide, "loads");
            slots.Add(Load(ref c, dst));
            return;
        }
        if (c.TryConsume("("))
        {
            // Sign-extending move: (s8)r2, (s16)w2, (s32)r2.
            string cast = c.Until(')');
            c.Expect(")");
            short bits = cast switch { "s8" => 8, "s16" => 16, "s32" => 32, _ => throw new AssemblyError($"unknown cast '({cast})'") };
            byte src = c.Register(wide);
            slots.Add(new Instruction(Alu(cls, AluOperation.Mov, register: true), dst, src, bits, 0));
            return;
        }
        if (c.TryRegister(out byte from, out bool fromWide))
        {
            if (fromWide != wide) throw new AssemblyError("both registers must have the same width");
            slots.Add(new Instruction(Alu(cls, AluOperation.Mov, register: true), dst, from, 0, 0));
            return;
        }
        if (c.TryInteger(out long value))
        {
            if (c.TryConsumeWord("ll"))
            {
                RequireWide(wide, "ld_imm64");
                LoadImm64(slots, dst, PseudoSource.None, unchecked((int)value), unchecked((int)((ulong)value >> 32)));
                return;
            }
            if (value < int.MinValue || value > uint.MaxValue) throw new AssemblyError($"{value} does not fit in 32 bits (add 'll' for a 64-bit constant)");
            slots.Add(new Instruction(Alu(cls, AluOperation.Mov, register: false), dst, 0, 0, unchecked((int)value)));
            return;
        }
        if (!c.TryIdentifier(out string word)) throw new AssemblyError("expected a value");
        if (TryEndian(word, out bool isSwap, out bool bigEndian, out int width))
        {
            byte operand = c.Register(out _);
            if (operand != dst) throw new AssemblyError("byte swaps name the same register on both sides");
            byte opcode = isSwap ? (byte)0xd7 : bigEndian ? (byte)0xdc : (byte)0xd4;
            slots.Add(new Instruction(opcode, dst, 0, 0, width));
            return;
        }
        RequireWide(wide, word);
        switch (word)
        {
            case "map":
            case "map_value":
            {
                c.Expect("[");
                string reference = c.Until(']');
                c.Expect("]");
                bool isValue = word == "map_value";
                uint valueOffset = 0;
                if (isValue)
                {
                    c.Expect("+");
                    long off = c.Integer();
                    if (off < 0 || off > uint.MaxValue) throw new AssemblyError($"map value offset {off} is out of range");
                    valueOffset = (uint)off;
                }
                c.Expect("ll");
                var (src, index) = MapReference(reference, isValue, symbols);
                LoadImm64(slots, dst, src, index, unchecked((int)valueOffset));
                return;
            }
            case "btf_id":
            {
                c.Expect("[");
                int id = c.Int32();
                c.Expect("]");
                int fd = 0;
                if (c.TryConsume("["))
                {
                    c.Expect("fd:");
                    fd = c.Int32();
                    c.Expect("]");
                }
                c.Expect("ll");
                LoadImm64(slots, dst, PseudoSource.BtfId, id, fd);
                return;
            }
            case "func":
            {
                c.Expect("[");
                int slot = slots.Count;
                int imm = Target32(ref c, fixups, slot, FixupKind.FuncAddress, line);
                c.Expect("]");
                c.Expect("ll");
                LoadImm64(slots, dst, PseudoSource.Func, imm, 0);
                return;
            }
            case "load_acquire":
            {
                c.Expect("(");
                var (size, _, src, off) = MemoryOperand(ref c);
                c.Expect(")");
                slots.Add(new Instruction(Opcode(InstructionClass.Stx, MemoryMode.Atomic, size), dst, src, off, AtomicOperation.LoadAcquire));
                return;
            }
            case "addr_space_cast":
            {
                c.Expect("(");
                byte src = c.Register(wide: true);
                c.Expect(",");
                long to = c.Integer();
                c.Expect(",");
                long from2 = c.Integer();
                c.Expect(")");
                if (to is < 0 or > 0xffff || from2 is < 0 or > 0xffff) throw new AssemblyError("address spaces are 16-bit numbers");
                slots.Add(new Instruction(Alu(InstructionClass.Alu64, AluOperation.Mov, register: true), dst, src, 1, (int)((to << 16) | from2)));
                return;
            }
        }
        if (word.StartsWith("atomic", StringComparison.Ordinal))
        {
            slots.Add(AtomicFetch(ref c, word, dst));
            return;
        }
        throw new AssemblyError($"unknown operand '{word}'");
    }

    private static Instruction AtomicFetch(ref AssemblyCursor c, string word, byte dst)
    {
        bool is64 = word.StartsWith("atomic64_", StringComparison.Ordinal);
        string name = word[(is64 ? "atomic64_" : "atomic_").Length..];
        int op;
        if (name == "xchg") op = AtomicOperation.Xchg;
        else if (name == "cmpxchg") op = AtomicOperation.Cmpxchg;
        else if (name.StartsWith("fetch_", StringComparison.Ordinal) &&
                 Array.Find(FetchOperations, f => f.Text == name["fetch_".Length..]) is { Text: not null } f)
            op = f.Op | AtomicOperation.Fetch;
        else throw new AssemblyError($"unknown atomic operation '{word}'");

        c.Expect("(");
        var (size, _, addr, off) = MemoryOperand(ref c);
        if ((size == MemorySize.DW) != is64) throw new AssemblyError($"{word} does not match the access size");
        c.Expect(",");
        if (op == AtomicOperation.Cmpxchg)
        {
            if (dst != 0 || c.Register(wide: true) != 0) throw new AssemblyError("cmpxchg compares with and returns in r0");
            c.Expect(",");
        }
        byte src = c.Register(wide: true);
        c.Expect(")");
        if (op != AtomicOperation.Cmpxchg && src != dst) throw new AssemblyError("a fetching atomic returns the old value in its source register");
        return new Instruction(Opcode(InstructionClass.Stx, MemoryMode.Atomic, size), addr, src, off, op);
    }

    private static Instruction Load(ref AssemblyCursor c, byte dst)
    {
        c.Expect("(");
        var (_, size, signed) = PickEntry(ref c, SizeNames, "an access size (u8, u16, u32, u64, s8, s16, s32)");
        c.Expect("*");
        c.Expect(")");
        if (c.TryConsumeWord("skb"))
        {
            if (signed) throw new AssemblyError("packet loads are unsigned");
            if (dst != 0) throw new AssemblyError("legacy packet loads write r0");
            c.Expect("[");
            Instruction insn;
            if (c.TryRegister(out byte index, out bool wide))
            {
                if (!wide) throw new AssemblyError("expected an r register");
                int imm = c.TryConsume("+") ? c.Int32() : 0;
                insn = new Instruction((byte)((int)MemoryMode.Ind | (int)size), 0, index, 0, imm);
            }
            else
            {
                insn = new Instruction((byte)((int)MemoryMode.Abs | (int)size), 0, 0, 0, c.Int32());
            }
            c.Expect("]");
            return insn;
        }
        c.Expect("(");
        byte src = c.Register(wide: true);
        short off = c.AtEndOf(')') ? (short)0 : c.Int16();
        c.Expect(")");
        return new Instruction(Opcode(InstructionClass.Ldx, signed ? MemoryMode.MemSx : MemoryMode.Mem, size), dst, src, off, 0);
    }

    // "(u32 *)(r1 +8)"
    private static (MemorySize Size, bool Signed, byte Reg, short Off) MemoryOperand(ref AssemblyCursor c)
    {
        c.Expect("(");
        var (_, size, signed) = PickEntry(ref c, SizeNames, "an access size (u8, u16, u32, u64)");
        c.Expect("*");
        c.Expect(")");
        c.Expect("(");
        byte reg = c.Register(wide: true);
        short off = c.AtEndOf(')') ? (short)0 : c.Int16();
        c.Expect(")");
        return (size, signed, reg, off);
    }

    private static Instruction Call(ref AssemblyCursor c, List<Fixup> fixups, int slot, int line)
    {
        if (c.TryConsumeWord("pc") || c.PeekSignedNumber())
        {
            return new Instruction(0x85, 0, PseudoSource.LocalCall, 0, c.Int32());
        }
        if (c.TryInteger(out long helperId))
        {
            if (helperId < 0 || helperId > int.MaxValue) throw new AssemblyError($"helper id {helperId} is out of range");
            return new Instruction(0x85, 0, PseudoSource.Helper, 0, (int)helperId);
        }
        if (!c.TryIdentifier(out string name)) throw new AssemblyError("expected a call target");
        if (c.TryConsume("#"))
        {
            int id = c.Int32();
            if (name == "unknown") return new Instruction(0x85, 0, PseudoSource.Helper, 0, id);
            if (HelperFunctions.TryGetId(name, out int helper))
            {
                if (helper != id) throw new AssemblyError($"{name} is helper #{helper}, not #{id}");
                return new Instruction(0x85, 0, PseudoSource.Helper, 0, id);
            }
            short fdIndex = 0;
            if (c.TryConsume("["))
            {
                c.Expect("fd_idx:");
                fdIndex = c.Int16();
                c.Expect("]");
            }
            return new Instruction(0x85, 0, PseudoSource.KfuncCall, fdIndex, id);
        }
        if (HelperFunctions.TryGetId(name, out int byName)) return new Instruction(0x85, 0, PseudoSource.Helper, 0, byName);
        fixups.Add(new Fixup(slot, name, FixupKind.CallImmediate, line));
        return new Instruction(0x85, 0, PseudoSource.LocalCall, 0, 0);
    }

    private static Instruction Conditional(ref AssemblyCursor c, List<Fixup> fixups, int slot, int line)
    {
        byte dst = c.Register(out bool wide);
        var (_, op) = PickEntry(ref c, Comparisons, "a comparison (==, !=, >, >=, <, <=, &, s>, s>=, s<, s<=)");
        var cls = wide ? InstructionClass.Jmp : InstructionClass.Jmp32;
        byte src = 0;
        int imm = 0;
        bool register = c.TryRegister(out src, out bool srcWide);
        if (register && srcWide != wide) throw new AssemblyError("both registers must have the same width");
        if (!register) imm = c.Int32();
        if (!c.TryConsumeWord("goto")) throw new AssemblyError("expected 'goto'");
        short off = JumpOffset(ref c, fixups, slot, FixupKind.JumpOffset, line);
        return new Instruction((byte)((int)cls | (int)op | (register ? 0x08 : 0)), dst, src, off, imm);
    }

    private static Instruction RawInstruction(ref AssemblyCursor c)
    {
        long code = 0, dst = 0, src = 0, off = 0, imm = 0;
        while (!c.AtEnd)
        {
            if (!c.TryIdentifier(out string key)) throw new AssemblyError("expected key=value");
            c.Expect("=");
            long v = c.Integer();
            switch (key)
            {
                case "code": code = v; break;
                case "dst": dst = v; break;
                case "src": src = v; break;
                case "off": off = v; break;
                case "imm": imm = v; break;
                default: throw new AssemblyError($"unknown field '{key}'");
            }
        }
        if (code is < 0 or > 255 || dst is < 0 or > 15 || src is < 0 or > 15 || off < short.MinValue || off > short.MaxValue
            || imm < int.MinValue || imm > uint.MaxValue)
            throw new AssemblyError("a raw field is out of range");
        return new Instruction((byte)code, (byte)dst, (byte)src, (short)off, unchecked((int)imm));
    }

    private static short JumpOffset(ref AssemblyCursor c, List<Fixup> fixups, int slot, FixupKind kind, int line)
    {
        int value = Target32(ref c, fixups, slot, kind, line);
        if (value < short.MinValue || value > short.MaxValue) throw new AssemblyError($"jump offset {value} does not fit in 16 bits (use gotol)");
        return (short)value;
    }

    // "pc+3", "pc-4", "+3", or a label (resolved after all lines are read).
    private static int Target32(ref AssemblyCursor c, List<Fixup> fixups, int slot, FixupKind kind, int line)
    {
        c.TryConsumeWord("pc");
        if (c.PeekSignedNumber()) return c.Int32();
        if (c.TryIdentifier(out string label))
        {
            fixups.Add(new Fixup(slot, label, kind, line));
            return 0;
        }
        throw new AssemblyError("expected a jump target (pc+N, pc-N or a label)");
    }

    private static (byte Src, int Index) MapReference(string reference, bool isValue, IProgramSymbols? symbols)
    {
        static int Number(string s) =>
            int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : throw new AssemblyError($"bad map number '{s}'");
        if (reference.StartsWith("fd:", StringComparison.Ordinal))
            return (isValue ? PseudoSource.MapValue : PseudoSource.MapFd, Number(reference[3..]));
        if (reference.StartsWith("idx:", StringComparison.Ordinal))
            return (isValue ? PseudoSource.MapIdxValue : PseudoSource.MapIdx, Number(reference[4..]));
        if (symbols is not null && symbols.TryGetMapIndex(reference, out int index))
            return (isValue ? PseudoSource.MapIdxValue : PseudoSource.MapIdx, index);
        throw new AssemblyError($"unknown map '{reference}'");
    }

    private static void LoadImm64(List<Instruction> slots, byte dst, byte src, int low, int high)
    {
        slots.Add(new Instruction(0x18, dst, src, 0, low));
        slots.Add(new Instruction(0, 0, 0, 0, high));
    }

    private static bool TryEndian(string word, out bool swap, out bool bigEndian, out int width)
    {
        swap = word.StartsWith("bswap", StringComparison.Ordinal);
        bigEndian = word.StartsWith("be", StringComparison.Ordinal);
        string digits = swap ? word[5..] : (bigEndian || word.StartsWith("le", StringComparison.Ordinal)) ? word[2..] : "";
        width = digits switch { "16" => 16, "32" => 32, "64" => 64, _ => 0 };
        return width != 0;
    }

    private static void RequireWide(bool wide, string what)
    {
        if (!wide) throw new AssemblyError($"{what} needs an r register");
    }

    private static byte Opcode(InstructionClass cls, MemoryMode mode, MemorySize size) => (byte)((int)cls | (int)mode | (int)size);

    private static byte Alu(InstructionClass cls, AluOperation op, bool register) => (byte)((int)cls | (int)op | (register ? 0x08 : 0));

    private static int Pick(ref AssemblyCursor c, (string Text, int Op)[] table, string what)
    {
        foreach (var (text, op) in table)
            if (c.TryConsume(text)) return op;
        throw new AssemblyError($"expected {what}");
    }

    private static T PickEntry<T>(ref AssemblyCursor c, T[] table, string what) where T : struct, System.Runtime.CompilerServices.ITuple
    {
        foreach (var entry in table)
            if (c.TryConsume((string)entry[0]!)) return entry;
        throw new AssemblyError($"expected {what}");
    }
}
