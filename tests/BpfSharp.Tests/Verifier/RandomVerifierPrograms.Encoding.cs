using BpfSharp.Isa;

namespace BpfSharp.Tests.Verifier;

/// <summary>Instruction encodings (RFC 9669) and the snippet builder the deeper items are written with.</summary>
internal sealed partial class RandomVerifierPrograms
{
    // ALU operations (high nibble).
    private const byte AluAdd = 0x00, AluSub = 0x10, AluMul = 0x20, AluDiv = 0x30, AluOr = 0x40, AluAnd = 0x50, AluLsh = 0x60,
        AluRsh = 0x70, AluNeg = 0x80, AluMod = 0x90, AluXor = 0xa0, AluMov = 0xb0, AluArsh = 0xc0, AluEnd = 0xd0;

    // Jump operations (high nibble).
    private const byte JmpEq = 0x10, JmpGt = 0x20, JmpGe = 0x30, JmpSet = 0x40, JmpNe = 0x50, JmpSgt = 0x60, JmpSge = 0x70,
        JmpLt = 0xa0, JmpLe = 0xb0, JmpSlt = 0xc0, JmpSle = 0xd0;

    // Atomic operations (immediate of STX|ATOMIC).
    private const int AtomicAdd = 0x00, AtomicOr = 0x40, AtomicAnd = 0x50, AtomicXor = 0xa0, AtomicFetch = 0x01,
        AtomicXchg = 0xe1, AtomicCmpxchg = 0xf1, LoadAcquire = 0x100, StoreRelease = 0x110;

    private static Instruction Mov32(byte dst, byte src) => new(0xbc, dst, src, 0, 0);
    private static Instruction MovImm32(byte dst, int imm) => new(0xb4, dst, 0, 0, imm);
    /// <summary>movsx: r = (s8|s16|s32) r (64-bit) or w = (s8|s16) w.</summary>
    private static Instruction MovSx(bool alu64, byte dst, byte src, short bits) => new((byte)(alu64 ? 0xbf : 0xbc), dst, src, bits, 0);
    private static Instruction Alu64Imm(byte op, byte dst, int imm) => new((byte)(0x07 | op), dst, 0, 0, imm);
    private static Instruction Alu64Reg(byte op, byte dst, byte src) => new((byte)(0x0f | op), dst, src, 0, 0);
    private static Instruction Alu32Imm(byte op, byte dst, int imm) => new((byte)(0x04 | op), dst, 0, 0, imm);
    private static Instruction Alu32Reg(byte op, byte dst, byte src) => new((byte)(0x0c | op), dst, src, 0, 0);
    /// <summary>Signed division or modulo (off 1), 64 or 32 bits, immediate or register.</summary>
    private static Instruction SignedDivMod(bool alu64, bool mod, byte dst, byte src, int imm, bool reg) =>
        new((byte)((alu64 ? 0x07 : 0x04) | (mod ? AluMod : AluDiv) | (reg ? 0x08 : 0)), dst, reg ? src : (byte)0, 1, reg ? 0 : imm);
    private static Instruction Ldx(MemorySize size, byte dst, byte src, short off) => new((byte)(0x61 | (byte)size), dst, src, off, 0);
    /// <summary>Sign-extending load (LDX|MEMSX): B, H or W.</summary>
    private static Instruction LdxSx(MemorySize size, byte dst, byte src, short off) => new((byte)(0x81 | (byte)size), dst, src, off, 0);
    private static Instruction Stx(MemorySize size, byte dst, byte src, short off) => new((byte)(0x63 | (byte)size), dst, src, off, 0);
    private static Instruction St(MemorySize size, byte dst, short off, int imm) => new((byte)(0x62 | (byte)size), dst, 0, off, imm);
    private static Instruction Atomic(MemorySize size, byte dst, byte src, short off, int op) => new((byte)(0xc3 | (byte)size), dst, src, off, op);
    private static Instruction[] LdMap(byte dst, int map) => [new(0x18, dst, PseudoSource.MapIdx, 0, map), new(0, 0, 0, 0, 0)];
    private static Instruction[] LdMapValue(byte dst, int map, int off) => [new(0x18, dst, PseudoSource.MapIdxValue, 0, map), new(0, 0, 0, 0, off)];
    /// <summary>LD_ABS (r0 = *(size *)skb[imm]) or LD_IND (r0 = *(size *)skb[src + imm]); B, H or W.</summary>
    private static Instruction LegacyLoad(bool ind, MemorySize size, byte src, int imm) =>
        new((byte)((ind ? 0x40 : 0x20) | (byte)size), 0, ind ? src : (byte)0, 0, imm);

    private static int Width(MemorySize size) => size switch { MemorySize.B => 1, MemorySize.H => 2, MemorySize.W => 4, _ => 8 };

    /// <summary>
    /// One item under construction: instructions with jumps to labels inside it ("end" is the first instruction after
    /// the item, so a jump there falls into the next item), bpf-to-bpf calls and function addresses of subprograms.
    /// </summary>
    private sealed class Snippet
    {
        private readonly List<Instruction> _insns = [];
        private readonly Dictionary<string, int> _labels = [];
        private readonly List<(int At, string Label)> _fixups = [];
        public readonly List<(int At, Sub Target)> Calls = [];

        public int Count => _insns.Count;

        public Snippet Add(params Instruction[] insns)
        {
            _insns.AddRange(insns);
            return this;
        }

        /// <summary>A conditional jump on an immediate: if dst OP imm goto label (JMP32 compares the low halves).</summary>
        public Snippet If(byte op, byte dst, int imm, string label, bool jmp32 = false)
        {
            _fixups.Add((_insns.Count, label));
            _insns.Add(new Instruction((byte)((jmp32 ? 0x06 : 0x05) | op), dst, 0, 0, imm));
            return this;
        }

        /// <summary>A conditional jump on a register: if dst OP src goto label.</summary>
        public Snippet IfReg(byte op, byte dst, byte src, string label, bool jmp32 = false)
        {
            _fixups.Add((_insns.Count, label));
            _insns.Add(new Instruction((byte)((jmp32 ? 0x0e : 0x0d) | op), dst, src, 0, 0));
            return this;
        }

        public Snippet Goto(string label)
        {
            _fixups.Add((_insns.Count, label));
            _insns.Add(new Instruction(0x05, 0, 0, 0, 0));
            return this;
        }

        /// <summary>may_goto label: taken once the runtime's loop budget is spent.</summary>
        public Snippet MayGoto(string label)
        {
            _fixups.Add((_insns.Count, label));
            _insns.Add(new Instruction(0xe5, 0, 0, 0, 0));
            return this;
        }

        public bool HasLabel(string name) => _labels.ContainsKey(name);

        public Snippet Label(string name)
        {
            _labels[name] = _insns.Count;
            return this;
        }

        /// <summary>call to a subprogram (src 1; the immediate is fixed when the program is laid out).</summary>
        public Snippet CallSub(Sub target)
        {
            Calls.Add((_insns.Count, target));
            _insns.Add(new Instruction(0x85, 0, PseudoSource.LocalCall, 0, 0));
            return this;
        }

        /// <summary>dst = address of a subprogram (ld_imm64 src 4), as a callback argument.</summary>
        public Snippet FuncAddr(byte dst, Sub target)
        {
            Calls.Add((_insns.Count, target));
            _insns.Add(new Instruction(0x18, dst, PseudoSource.Func, 0, 0));
            _insns.Add(new Instruction(0, 0, 0, 0, 0));
            return this;
        }

        public List<Instruction> Resolve()
        {
            foreach (var (at, label) in _fixups)
            {
                int target = label == "end" ? _insns.Count : _labels[label];
                _insns[at] = _insns[at].WithOffset((short)(target - at - 1));
            }
            return _insns;
        }
    }
}
