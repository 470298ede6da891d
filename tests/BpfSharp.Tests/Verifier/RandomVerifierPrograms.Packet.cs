using BpfSharp.Isa;
using BpfSharp.Loader;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// Direct packet access at variable offsets (the forms of the data_end check, xdp's data_meta, header parsing),
/// packet pointers invalidated by helpers that may move the data, and the legacy LD_ABS/LD_IND loads.
/// </summary>
internal sealed partial class RandomVerifierPrograms
{
    /// <summary>
    /// Checks <paramref name="ptr"/> + <paramref name="len"/> against <paramref name="end"/> (in
    /// <paramref name="temp"/>) in one of the forms compilers emit; falls through when in range.
    /// </summary>
    private void PacketCheck(Snippet s, byte ptr, byte end, byte temp, int len, string skip)
    {
        s.Add(Mov64(temp, ptr), Alu64Imm(AluAdd, temp, len));
        string ok = NewLabel();
        switch (Bug(2) ? 11 + _random.Next(3) : _random.Next(11))
        {
            case < 4: s.IfReg(JmpGt, temp, end, skip); break;
            case < 7: s.IfReg(JmpLt, end, temp, skip); break;
            case < 9: s.IfReg(JmpLe, temp, end, ok).Goto(skip).Label(ok); break;
            case < 11: s.IfReg(JmpGe, end, temp, ok).Goto(skip).Label(ok); break;
            // Off by one: the fall-through path only knows len - 1 bytes.
            case 11: s.IfReg(JmpGe, temp, end, skip); break;
            case 12: s.IfReg(JmpLe, end, temp, skip); break;
            // A 32-bit compare of packet pointers.
            default: s.IfReg(JmpGt, temp, end, skip, jmp32: true); break;
        }
    }

    /// <summary>
    /// data + a bounded variable offset (a ctx field, a loaded header length, a value register), checked against
    /// data_end and accessed; in xdp sometimes data_meta against data.
    /// </summary>
    private void VarOffsetPacketAccess()
    {
        if (!HasDirectPacket && !Bug(2))
        {
            if (IsSkb) LegacyPacketLoad();
            else VarOffsetMapAccess();
            return;
        }
        var s = new Snippet();
        byte idx = SavedReg();
        bool parse = OneIn(3);
        if (!parse) Unknown(s, idx, mayCall: true);
        bool meta = _type == ProgramType.Xdp && OneIn(4);
        short start = meta ? (short)8 : DataOffset, end = meta ? (short)0 : (short)(DataOffset + 4);
        s.Add(Ldx(MemorySize.W, 2, 6, start), Ldx(MemorySize.W, 3, 6, end));
        if (parse)
        {
            // An IPv4 header length: (*(u8 *)(data + 14) & 0xf) << 2.
            PacketCheck(s, 2, 3, 4, 15, "skip");
            s.Add(Ldx(MemorySize.B, idx, 2, 14), Alu64Imm(AluAnd, idx, 0xf), Alu64Imm(AluLsh, idx, 2));
        }
        // Bounds up to a jumbo frame; 0xffff is too much once the access size is added (MAX_PACKET_OFF).
        else Bound(s, idx, Bug() ? 0xffff : new[] { 7, 60, 255, 1500, 9000 }[_random.Next(5)], "skip", temp: 5);
        var size = Size();
        int w = Width(size);
        short coff = (short)(OneIn(3) ? _random.Next(0, 20) : 0);
        int len = coff + w + (Bug() ? -1 : OneIn(3) ? _random.Next(0, 8) : 0);
        bool checkFirst = Bug();
        if (checkFirst) PacketCheck(s, 2, 3, 4, len, "skip");
        if (OneIn(4)) s.Add(Alu64Reg(AluAdd, idx, 2), Mov64(2, idx), MovImm(idx, 0));
        else s.Add(Alu64Reg(AluAdd, 2, idx));
        if (!checkFirst) PacketCheck(s, 2, 3, 4, len, "skip");
        if (_type == ProgramType.CgroupSkb ? Bug() : OneIn(3)) s.Add(Stx(size, 2, ValueReg(), coff));
        else s.Add(Ldx(size, _random.Next(2) == 0 ? (byte)5 : ValueReg(), 2, coff));
        s.Label("skip");
        Emit(s);
    }

    /// <summary>
    /// A checked packet pointer kept in a callee-saved register across a helper that may move the packet data:
    /// using it afterwards is refused; reloading data and data_end and checking again is fine.
    /// </summary>
    private void PacketInvalidation()
    {
        if (_type is not (ProgramType.Xdp or ProgramType.SchedCls))
        {
            VarOffsetPacketAccess();
            return;
        }
        var s = new Snippet();
        byte keep = SavedReg();
        s.Add(Ldx(MemorySize.W, 2, 6, DataOffset), Ldx(MemorySize.W, 3, 6, (short)(DataOffset + 4)));
        PacketCheck(s, 2, 3, 4, 8, "skip");
        s.Add(Mov64(keep, 2), Mov64(1, 6));
        if (_type == ProgramType.Xdp) s.Add(MovImm(2, _random.Next(-8, 9)), Call(_random.Next(3) switch { 0 => 65, 1 => 54, _ => 44 }));
        else if (OneIn(2)) s.Add(MovImm(2, _random.Next(0, 64)), Call(39));
        else s.Add(MovImm(2, 0), Mov64(3, 10), Alu64Imm(AluAdd, 3, -8), St(MemorySize.DW, 10, -8, 0), MovImm(4, 4), MovImm(5, 0), Call(9));
        if (Bug(2)) s.Add(Ldx(MemorySize.B, 1, keep, 0));
        else
        {
            s.Add(Ldx(MemorySize.W, 2, 6, DataOffset), Ldx(MemorySize.W, 3, 6, (short)(DataOffset + 4)));
            PacketCheck(s, 2, 3, 4, 8, "skip");
            s.Add(Ldx(Size(), 1, 2, 0));
        }
        s.Label("skip").Add(MovImm(keep, 0));
        Emit(s);
    }

    /// <summary>LD_ABS and LD_IND: socket filters' and tc's legacy packet loads (r6 must hold the ctx).</summary>
    private void LegacyPacketLoad()
    {
        if (((_type is not (ProgramType.SocketFilter or ProgramType.SchedCls) || _depth > 0) && !Bug(2)) || _mayGotoLoop)
        {
            VarOffsetMapAccess();
            return;
        }
        var s = new Snippet();
        var size = Bug() ? MemorySize.DW : (MemorySize)(_random.Next(3) << 3);
        int imm = _random.Next(10) switch
        {
            0 => -0x200000 + _random.Next(0, 16), // SKF_LL_OFF
            1 => -0x100000 + _random.Next(0, 16), // SKF_NET_OFF
            2 => Imm(),
            _ => _random.Next(0, 64),
        };
        if (_random.Next(3) == 0)
        {
            byte idx = SavedReg();
            if (OneIn(2))
            {
                Unknown(s, idx, mayCall: true);
                if (!OneIn(4)) s.Add(Alu64Imm(AluAnd, idx, 0x3f));
            }
            s.Add(LegacyLoad(true, size, idx, _random.Next(0, 32)));
        }
        else s.Add(LegacyLoad(false, size, 0, imm));
        if (OneIn(2)) s.Add(Mov64(ValueReg(), 0));
        _legacyLoad = true;
        Emit(s);
    }
}
