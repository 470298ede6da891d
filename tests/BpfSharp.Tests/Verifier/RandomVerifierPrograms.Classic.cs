using BpfSharp.Isa;
using BpfSharp.Loader;

namespace BpfSharp.Tests.Verifier;

/// <summary>The generator's original item kinds: scalar ALU, stack stores and loads, ctx fields, packet and map accesses, helper calls, forward branches, small loops, stack pointers and ctx spills.</summary>
internal sealed partial class RandomVerifierPrograms
{
    private void ClassicItem(int item, int last)
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
                Jumps.Add((Items.Count - 1, 0, target));
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
        if (!HasDirectPacket)
        {
            Emit(MovImm(0, 0));
            return;
        }
        // data and data_end: xdp_md at 0 and 4, __sk_buff at 76 and 80.
        short data = DataOffset;
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
        Items.Add(Track(insns));
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
        Items.Add(Track(insns));
    }
}
