using BpfSharp.Isa;
using BpfSharp.Loader;
using BpfSharp.Tests.TestSupport;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// Generates small random programs shaped like real ones so most of them reach deep into the verifier rather than
/// failing at the first instruction: the original items (ctx and packet loads, stack spills, map lookups with and
/// without NULL checks, helper calls, forward branches, bounded loops, scalar arithmetic; see the Classic part) and
/// deeper patterns (variable offsets into map values, packets and the stack, bpf-to-bpf calls to subprograms placed
/// after the main program, callbacks, tail calls, helpers with memory arguments, loops bounded by loaded values and
/// may_goto, 32-bit sub-register tricks, atomics, partial spills, LD_ABS/LD_IND), each in its own part. Every item
/// has a small chance to be subtly wrong, so the kernel rejects a fair share for the rule being exercised.
/// Deterministic for a given seed.
/// </summary>
internal sealed partial class RandomVerifierPrograms(int seed)
{
    private readonly Random _random = new(seed);

    private const int ArrayMap = 0, HashMap = 1, ProgArrayMap = 2, GlobalMap = 3;

    private static readonly VerifierFixtureMap[] Maps =
    [
        new("arr", MapType.Array, 4, 16, 4, 0),
        new("hash", MapType.Hash, 8, 16, 16, 0),
        new("jt", MapType.ProgArray, 4, 4, 4, 0),
        // A single-element array, so its value has a direct address (r1 = map_value[glob]+off ll), like .bss.
        new("glob", MapType.Array, 4, 32, 1, 0),
    ];

    /// <summary>Value sizes, by map index.</summary>
    private static int ValueSize(int map) => map == GlobalMap ? 32 : 16;

    private static readonly int[] Helpers = [5 /* ktime_get_ns */, 7 /* get_prandom_u32 */, 8 /* get_smp_processor_id */];

    private static readonly int[] Immediates = [0, 1, 2, 3, 4, 7, 8, 15, 16, 63, 64, 255, 256, -1, -8, -16, int.MaxValue, int.MinValue, 0x1000];

    /// <summary>A sequence of items (the main program or one subprogram) with its forward jumps between items.</summary>
    private sealed class Body
    {
        public readonly List<List<Instruction>> Items = [];
        public readonly List<(int Item, int Insn, int TargetItem)> Jumps = [];
    }

    private readonly Body _main = new();
    /// <summary>The body items are emitted into: the main program or the subprogram being generated.</summary>
    private Body _body = null!;
    /// <summary>Subprograms in the order they are laid out after the main program.</summary>
    private readonly List<Sub> _subs = [];
    /// <summary>Calls (src 1) and function addresses (ld_imm64 src 4) to fix once the subprograms are placed.</summary>
    private readonly List<(Body Body, int Item, int Insn, Sub Target)> _relocs = [];

    private List<List<Instruction>> Items => _body.Items;
    private List<(int Item, int Insn, int TargetItem)> Jumps => _body.Jumps;

    private ProgramType _type;
    private AttachType? _attach;
    /// <summary>Registers written on the straight-line path so far (a skipped item can still leave one unset).</summary>
    private int _init;
    /// <summary>Call depth of the body being generated (0 in the main program).</summary>
    private int _depth;
    /// <summary>
    /// The program has a may_goto loop / an LD_ABS or LD_IND. Never both: precision backtracking that reaches a
    /// legacy load gives up and marks every scalar of every parent state precise, the may_goto counter included,
    /// and a precise counter keeps iterations from ever matching, so both verifiers walk to the 1M limit comparing
    /// each new state with all earlier ones: minutes in the kernel, not a fair test.
    /// </summary>
    private bool _mayGotoLoop, _legacyLoad;

    /// <summary>The next program, as an in-memory fixture (no expectation: the kernel is the judge).</summary>
    public VerifierFixture Next(int index)
    {
        _main.Items.Clear();
        _main.Jumps.Clear();
        _subs.Clear();
        _relocs.Clear();
        _body = _main;
        _depth = 0;
        _attach = null;
        _mayGotoLoop = _legacyLoad = false;
        _type = _random.Next(20) switch
        {
            < 4 => ProgramType.SocketFilter,
            < 9 => ProgramType.Xdp,
            < 15 => ProgramType.SchedCls,
            < 18 => ProgramType.CgroupSkb,
            _ => ProgramType.Kprobe,
        };
        if (_type == ProgramType.CgroupSkb && _random.Next(3) == 0) _attach = AttachType.CgroupInetEgress;
        _init = 1 << 1 | 1 << 10;
        Emit(Mov64(6, 1));
        Emit(MovImm(0, Imm()));
        Emit(MovImm(7, Imm()));
        Emit(MovImm(8, Imm()));
        Emit(MovImm(9, Imm()));
        int body = _random.Next(2, 18);
        int epilogue = Items.Count + body;
        while (Items.Count < epilogue) RandomItem(Items.Count, epilogue);
        Epilogue();
        return new VerifierFixture($"random/{seed}-{index}", "", "generated", _type, _attach, "GPL", Maps, true, null, null, null, Layout());
    }

    /// <summary>
    /// The main program's exit: mostly a small constant, for cgroup_skb sometimes a computed value its return-range
    /// rule has to bound (egress allows 0-3, ingress 0-1).
    /// </summary>
    private void Epilogue()
    {
        if (_type == ProgramType.CgroupSkb && _random.Next(3) == 0)
        {
            var s = new Snippet();
            byte v = ValueReg();
            switch (_random.Next(4))
            {
                case 0: s.Add(Mov64(0, v), Alu64Imm(AluAnd, 0, _random.Next(4) == 0 ? 3 : 1)); break;
                case 1: s.Add(Mov32(0, v), Alu32Imm(AluRsh, 0, _random.Next(30, 32))); break;
                case 2: s.Add(Mov64(0, v)).If(JmpLe, 0, _random.Next(1, 4), "end").Add(MovImm(0, 1)); break;
                default: s.Add(Mov64(0, v)).If(JmpGt, 0, 1, "zero").Goto("end").Label("zero").Add(MovImm(0, 0)); break;
            }
            Emit(s);
            Emit(Exit());
            return;
        }
        int max = _type == ProgramType.CgroupSkb ? (_random.Next(8) == 0 ? 3 : 2) : 3;
        Emit(MovImm(0, _random.Next(max)), Exit());
    }

    private Instruction[] Layout()
    {
        var bodies = new List<Body> { _main };
        bodies.AddRange(_subs.Select(s => s.Body));
        var starts = new Dictionary<Body, int[]>();
        int at = 0;
        foreach (var b in bodies)
        {
            var st = new int[b.Items.Count + 1];
            for (int i = 0; i < b.Items.Count; i++)
            {
                st[i] = at;
                at += b.Items[i].Count;
            }
            st[b.Items.Count] = at;
            starts[b] = st;
        }
        var program = bodies.SelectMany(b => b.Items.SelectMany(i => i)).ToArray();
        foreach (var b in bodies)
        {
            foreach (var (item, insn, target) in b.Jumps)
            {
                int pc = starts[b][item] + insn;
                var j = program[pc];
                program[pc] = new Instruction(j.Opcode, j.Dst, j.Src, (short)(starts[b][target] - pc - 1), j.Immediate);
            }
        }
        foreach (var (b, item, insn, target) in _relocs)
        {
            int pc = starts[b][item] + insn;
            program[pc] = program[pc].WithImmediate(starts[target.Body][0] - pc - 1);
        }
        return program;
    }

    private void Emit(params Instruction[] insns) => Items.Add(Track([.. insns]));

    /// <summary>Emits a snippet as one item, with its calls and function addresses to relocate.</summary>
    private void Emit(Snippet s)
    {
        Items.Add(Track(s.Resolve()));
        foreach (var (at, target) in s.Calls) _relocs.Add((_body, Items.Count - 1, at, target));
    }

    /// <summary>Follow which registers the item writes (calls and LD_ABS/LD_IND clobber r1-r5 and set r0).</summary>
    private List<Instruction> Track(List<Instruction> insns)
    {
        for (int i = 0; i < insns.Count; i++)
        {
            var x = insns[i];
            int cls = x.Opcode & 0x07;
            if (x.Opcode == 0x85 || (cls == 0x00 && x.Opcode != 0x18 && x.Opcode != 0x00)) _init = (_init & ~0b111110) | 1;
            else if (cls is 0x04 or 0x07 or 0x01 || x.Opcode == 0x18) _init |= 1 << x.Dst;
            else if (cls == 0x03 && (x.Opcode & 0xe0) == 0xc0)
            {
                if (x.Immediate == 0xf1) _init |= 1;
                else if ((x.Immediate & 1) != 0 || x.Immediate == 0x100) _init |= 1 << (x.Immediate == 0x100 ? x.Dst : x.Src);
            }
            if (x.Opcode == 0x18) i++;
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

    /// <summary>A callee-saved register for a value that must survive a helper call in the item.</summary>
    private byte SavedReg() => (byte)_random.Next(7, 10);

    /// <summary>A register to write: keeps r6 (ctx) and r10 alone.</summary>
    private byte ScratchReg() => (byte)(_random.Next(6) switch { 0 => 0, 1 => 7, 2 => 8, 3 => 9, _ => _random.Next(1, 6) });
    private int Imm() => _random.Next(4) == 0 ? _random.Next(int.MinValue, int.MaxValue) : Immediates[_random.Next(Immediates.Length)];
    private MemorySize Size() => (MemorySize)(_random.Next(4) << 3);

    private bool OneIn(int n) => _random.Next(n) == 0;

    /// <summary>Out of this many, <see cref="Bug"/> is true once per unit of weight.</summary>
    private const int BugScale = 40;

    /// <summary>
    /// Whether to make a deliberate mistake (a missing check, an off-by-one, a wrong size, a helper the program type
    /// may not call): rare enough that about a third to a half of the programs are accepted.
    /// </summary>
    private bool Bug(int weight = 1) => _random.Next(BugScale) < weight;

    private bool HasDirectPacket => _type is ProgramType.Xdp or ProgramType.SchedCls or ProgramType.CgroupSkb;
    private bool IsSkb => _type is ProgramType.SocketFilter or ProgramType.SchedCls or ProgramType.CgroupSkb;
    private short DataOffset => (short)(_type == ProgramType.Xdp ? 0 : 76);

    /// <summary>
    /// One item: the original kinds keep a good share; the rest are the deeper patterns, weighted so that each
    /// program mixes a few of them.
    /// </summary>
    private void RandomItem(int item, int last)
    {
        if (_random.Next(100) < 25)
        {
            ClassicItem(item, last);
            return;
        }
        switch (_random.Next(100))
        {
            case < 12: VarOffsetMapAccess(); break;
            case < 20: VarOffsetPacketAccess(); break;
            case < 31: SubprogramCall(); break;
            case < 32: CallbackCall(); break;
            case < 36: TailCall(); break;
            case < 46: MemoryHelper(); break;
            case < 56: Loop(); break;
            case < 64: SubRegisterItem(); break;
            case < 71: AtomicItem(); break;
            case < 80: SpillFillItem(); break;
            case < 86: VarOffsetStackAccess(); break;
            case < 91: LegacyPacketLoad(); break;
            case < 96: LinkedScalars(); break;
            default: PacketInvalidation(); break;
        }
    }

    private short StackOffset() => _random.Next(10) == 0 ? (short)-_random.Next(1, 72) : (short)(-8 * _random.Next(1, 9));

    private static byte SizeBits(MemorySize size) => (byte)size;

    private static Instruction Mov64(byte dst, byte src) => new(0xbf, dst, src, 0, 0);
    private static Instruction MovImm(byte dst, int imm) => new(0xb7, dst, 0, 0, imm);
    private static Instruction Call(int helper) => new(0x85, 0, 0, 0, helper);
    private static Instruction Exit() => new(0x95, 0, 0, 0, 0);
}
