using BpfSharp.Isa;
using BpfSharp.Loader;
using BpfSharp.Tests.TestSupport;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// Generates small random programs shaped like real ones (ctx and packet loads, stack spills, map lookups with and
/// without NULL checks, helper calls, forward branches, bounded loops, scalar arithmetic) so most of them reach
/// deep into the verifier rather than failing at the first instruction. Deterministic for a given seed.
/// </summary>
internal sealed class RandomVerifierPrograms(int seed)
{
    private readonly Random _random = new(seed);

    private static readonly VerifierFixtureMap[] Maps =
    [
        new("arr", MapType.Array, 4, 16, 4, 0),
        new("hash", MapType.Hash, 8, 16, 16, 0),
    ];

    private static readonly int[] Helpers = [5 /* ktime_get_ns */, 7 /* get_prandom_u32 */, 8 /* get_smp_processor_id */];

    private static readonly int[] Immediates = [0, 1, 2, 3, 4, 7, 8, 15, 16, 63, 64, 255, 256, -1, -8, -16, int.MaxValue, int.MinValue, 0x1000];

    private readonly List<List<Instruction>> _items = [];
    private readonly List<(int Item, int Insn, int TargetItem)> _jumps = [];
    private ProgramType _type;
    /// <summary>Registers written on the straight-line path so far (a skipped item can still leave one unset).</summary>
    private int _init;

    /// <summary>The next program, as an in-memory fixture (no expectation: the kernel is the judge).</summary>
    public VerifierFixture Next(int index)
    {
        _items.Clear();
        _jumps.Clear();
        _type = _random.Next(3) switch { 0 => ProgramType.SocketFilter, 1 => ProgramType.Xdp, _ => ProgramType.SchedCls };
        _init = 1 << 1 | 1 << 10;
        Emit(Mov64(6, 1));
        Emit(MovImm(0, Imm()));
        Emit(MovImm(7, Imm()));
        Emit(MovImm(8, Imm()));
        Emit(MovImm(9, Imm()));
        int body = _random.Next(2, 24);
        int epilogue = _items.Count + body;
        while (_items.Count < epilogue) RandomItem(_items.Count, epilogue);
        Emit(MovImm(0, _random.Next(3)), Exit());
        return new VerifierFixture($"random/{seed}-{index}", "", "generated", _type, null, "GPL", Maps, true, null, null, null, Layout());
    }

    private Instruction[] Layout()
    {
        var starts = new int[_items.Count + 1];
        for (int i = 0; i < _items.Count; i++) starts[i + 1] = starts[i] + _items[i].Count;
        var program = _items.SelectMany(i => i).ToArray();
        foreach (var (item, insn, target) in _jumps)
        {
            int at = starts[item] + insn;
            var j = program[at];
            program[at] = new Instruction(j.Opcode, j.Dst, j.Src, (short)(starts[target] - at - 1), j.Immediate);
        }
        return program;
    }

    private void Emit(params Instruction[] insns) => _items.Add(Track([.. insns]));

    /// <summary>Follow which registers the item writes (calls clobber r1-r5 and set r0).</summary>
    private List<Instruction> Track(List<Instruction> insns)
    {
        foreach (var x in insns)
        {
            if (x.Opcode == 0x85) _init = (_init & ~0b111110) | 1;
            else if ((x.Opcode & 0x07) is 0x04 or 0x07 or 0x01 || x.Opcode == 0x18) _init |= 1 << x.Dst;
        }
        return insns;
    }

    /// <summary>
    /// A register to read: almost always one set on every path (r0 and r6-r9 are set by the prologue and only ever
    /// rewritten), sometimes r1-r5 when the straight-line path set them, rarely anything.
    /// </summary>
    private byte Reg()
    {
        int roll = _random.Next(100);
        if (roll == 0) return (byte)_random.Next(10);
        if (roll < 10)
        {
            int r = _random.Next(1, 6);
            if ((_init & (1 << r)) != 0) return (byte)r;
        }
        return AlwaysSet[_random.Next(AlwaysSet.Length)];
    }

    private static readonly byte[] AlwaysSet = [0, 6, 7, 8, 9];

    /// <summary>A register holding a value on every path, not the ctx pointer.</summary>
    private byte ValueReg() => ValueRegs[_random.Next(ValueRegs.Length)];

    private static readonly byte[] ValueRegs = [0, 7, 8, 9];

    /// <summary>A register to write: keeps r6 (ctx) and r10 alone.</summary>
    private byte ScratchReg() => (byte)(_random.Next(6) switch { 0 => 0, 1 => 7, 2 => 8, 3 => 9, _ => _random.Next(1, 6) });
    private int Imm() => _random.Next(4) == 0 ? _random.Next(int.MinValue, int.MaxValue) : Immediates[_random.Next(Immediates.Length)];
    private MemorySize Size() => (MemorySize)(_random.Next(4) << 3);

    private void RandomItem(int item, int last)
    {
        switch (_random.Next(14))
        {
            case 0:
                Emit(MovImm(ScratchReg(), Imm()));
                break;
            case 1:
            case 2:
            {
                // Arithmetic on a scalar, 32 or 64 bits, immediate or register source.
                byte op = (byte)(_random.Next(14) << 4);
                if (op == 0x80 && _random.Next(2) == 0) op = 0x00;
                byte cls = (byte)(_random.Next(2) == 0 ? 0x07 : 0x04);
                // neg takes no source; bswap (alu64 end) only the immediate form; alu32 end picks le or be.
                bool reg = op != 0x80 && !(op == 0xd0 && cls == 0x07) && (op == 0xd0 || _random.Next(2) == 0);
                if (op == 0xd0 && cls == 0x04) reg = _random.Next(2) == 0;
                int imm = op is 0x60 or 0x70 or 0xc0 && _random.Next(4) != 0 ? _random.Next(64) : Imm();
                if (op == 0xd0) imm = new[] { 16, 32, 64 }[_random.Next(3)];
                // Every operation but mov reads its destination too.
                byte dst = op == 0xb0 ? ScratchReg() : _random.Next(10) == 0 ? Reg() : ValueReg();
                Emit(new Instruction((byte)(cls | op | (reg ? 0x08 : 0)), dst,
                    op == 0xd0 ? (byte)0 : reg ? Reg() : (byte)0, 0, op == 0xd0 ? imm : reg || op == 0x80 ? 0 : imm));
                break;
            }
            case 3:
            {
                // A stack store, register or immediate, mostly aligned.
                short off = StackOffset();
                var size = Size();
                Emit(_random.Next(2) == 0
                    ? new Instruction((byte)(0x63 | SizeBits(size)), 10, Reg(), off, 0)
                    : new Instruction((byte)(0x62 | SizeBits(size)), 10, 0, off, Imm()));
                break;
            }
            case 4:
                Emit(new Instruction((byte)(0x61 | SizeBits(Size())), ScratchReg(), 10, StackOffset(), 0));
                break;
            case 5:
            {
                // A ctx field: mostly one the program type may read as a scalar.
                short off = _random.Next(10) == 0 ? (short)(_random.Next(24) * 4)
                    : _type == ProgramType.Xdp ? (short)(12 + 4 * _random.Next(3)) : (short)(4 * _random.Next(18));
                Emit(new Instruction((byte)(0x61 | SizeBits(_random.Next(4) == 0 ? Size() : MemorySize.W)), ScratchReg(), 6, off, 0));
                break;
            }
            case 6:
                PacketAccess(item, last);
                break;
            case 7:
            case 8:
                MapLookup();
                break;
            case 9:
                Emit(Call(Helpers[_random.Next(Helpers.Length)]));
                break;
            case 10:
            case 11:
            {
                // A forward branch over a few items.
                int target = Math.Min(last, item + 1 + _random.Next(4));
                byte op = (byte)(new byte[] { 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xb0, 0xc0, 0xd0 }[_random.Next(11)]);
                byte cls = (byte)(_random.Next(3) == 0 ? 0x06 : 0x05);
                bool reg = _random.Next(3) == 0;
                Emit(new Instruction((byte)(cls | op | (reg ? 0x08 : 0)), Reg(), reg ? Reg() : (byte)0, 0, reg ? 0 : Imm()));
                _jumps.Add((_items.Count - 1, 0, target));
                break;
            }
            case 12:
            {
                // A bounded loop: count a register up to a small bound.
                byte r = (byte)(7 + _random.Next(3));
                int bound = _random.Next(1, 9);
                Emit(MovImm(r, 0), new Instruction(0x07, r, 0, 0, 1), new Instruction(0xa5, r, 0, -2, bound));
                break;
            }
            default:
            {
                // A pointer to the stack, moved and used; or a spill and fill of the ctx pointer.
                if (_random.Next(2) == 0)
                {
                    byte r = ScratchReg();
                    Emit(Mov64(r, 10), new Instruction(0x07, r, 0, 0, -8 * _random.Next(1, 9)),
                        new Instruction(0x7b, r, Reg(), 0, 0));
                }
                else
                {
                    short off = (short)(-8 * _random.Next(1, 9));
                    Emit(new Instruction(0x7b, 10, 6, off, 0), new Instruction(0x79, ScratchReg(), 10, off, 0));
                }
                break;
            }
        }
    }

    private void PacketAccess(int item, int last)
    {
        if (_type == ProgramType.SocketFilter)
        {
            Emit(MovImm(0, 0));
            return;
        }
        // data and data_end: xdp_md at 0 and 4, __sk_buff at 76 and 80.
        short data = (short)(_type == ProgramType.Xdp ? 0 : 76);
        int len = _random.Next(1, 40);
        bool check = _random.Next(4) != 0;
        var insns = new List<Instruction>
        {
            new(0x61, 2, 6, data, 0),
            new(0x61, 3, 6, (short)(data + 4), 0),
            Mov64(4, 2),
            new(0x07, 4, 0, 0, len),
        };
        if (check) insns.Add(new Instruction(0x2d, 4, 3, 1, 0)); // if r4 > r3 goto +1
        var size = Size();
        int width = size switch { MemorySize.B => 1, MemorySize.H => 2, MemorySize.W => 4, _ => 8 };
        short at = (short)(_random.Next(8) == 0 ? _random.Next(0, len + 2) : _random.Next(0, Math.Max(1, len - width + 1)));
        insns.Add(new Instruction((byte)(0x61 | SizeBits(size)), ScratchReg(), 2, at, 0));
        _items.Add(Track(insns));
    }

    private void MapLookup()
    {
        bool hash = _random.Next(2) == 0;
        var insns = new List<Instruction>
        {
            hash ? new Instruction(0x7a, 10, 0, -8, _random.Next(4)) : new Instruction(0x62, 10, 0, -4, _random.Next(6)),
            Mov64(2, 10),
            new(0x07, 2, 0, 0, hash ? -8 : -4),
            new(0x18, 1, PseudoSource.MapIdx, 0, hash ? 1 : 0),
            new(0, 0, 0, 0, 0),
            Call(1),
        };
        bool check = _random.Next(4) != 0;
        if (check) insns.Add(new Instruction(0x15, 0, 0, 1, 0)); // if r0 == 0 goto +1
        short off = (short)(_random.Next(4) == 0 ? _random.Next(-2, 20) : 8 * _random.Next(2));
        insns.Add(_random.Next(2) == 0
            ? new Instruction(0x79, ScratchReg(), 0, off, 0)
            : new Instruction(0x7b, 0, Reg(), off, 0));
        _items.Add(Track(insns));
    }

    private short StackOffset() => _random.Next(10) == 0 ? (short)-_random.Next(1, 72) : (short)(-8 * _random.Next(1, 9));

    private static byte SizeBits(MemorySize size) => (byte)size;

    private static Instruction Mov64(byte dst, byte src) => new(0xbf, dst, src, 0, 0);
    private static Instruction MovImm(byte dst, int imm) => new(0xb7, dst, 0, 0, imm);
    private static Instruction Call(int helper) => new(0x85, 0, 0, 0, helper);
    private static Instruction Exit() => new(0x95, 0, 0, 0, 0);
}
