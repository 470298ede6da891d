using BpfSharp.Isa;
using BpfSharp.Loader;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// bpf-to-bpf calls to static subprograms laid out after the main program's exit (scalar, stack-pointer, ctx,
/// map-value and packet arguments; nested calls; callees reading and writing the caller's stack), callbacks
/// (bpf_loop, bpf_for_each_map_elem) and tail calls.
/// </summary>
internal sealed partial class RandomVerifierPrograms
{
    /// <summary>What a subprogram takes in r1-r5.</summary>
    private enum SubKind
    {
        /// <summary>r1, r2 scalars; returns a scalar computed from them.</summary>
        Scalar,
        /// <summary>r1 points into the caller's stack, r2 a scalar; reads or writes through r1.</summary>
        StackPtr,
        /// <summary>r1 is the ctx; the body is random items (so any item can run in a callee frame).</summary>
        Ctx,
        /// <summary>r1 a map value pointer (maybe NULL), r2 a scalar offset.</summary>
        MapValue,
        /// <summary>r1 data, r2 data_end.</summary>
        Packet,
        /// <summary>A callback: bpf_loop (index, ctx) or bpf_for_each_map_elem (map, key, value, ctx).</summary>
        Callback,
    }

    private sealed class Sub(SubKind kind)
    {
        public readonly Body Body = new();
        public readonly SubKind Kind = kind;
        /// <summary>Set once its body is complete: only finished subprograms are called again, so no recursion.</summary>
        public bool Finished;
        /// <summary>Frames a call to it uses, its own included.</summary>
        public int Height = 1;
    }

    /// <summary>The subprogram being generated (null in the main program).</summary>
    private Sub? _current;

    /// <summary>Frames a call chain may use; the kernel allows 8.</summary>
    private const int MaxFrames = 6;

    /// <summary>
    /// A finished subprogram of <paramref name="kind"/> to call again, or a new one; null when a call from here
    /// would make the chain too deep.
    /// </summary>
    private Sub? SubFor(SubKind kind)
    {
        var done = _subs.Where(x => x.Finished && x.Kind == kind && _depth + 1 + x.Height <= MaxFrames).ToList();
        Sub target;
        if (done.Count > 0 && (_depth >= 2 || _random.Next(3) == 0)) target = done[_random.Next(done.Count)];
        else if (_depth < 3) target = NewSub(kind);
        else if (done.Count > 0) target = done[_random.Next(done.Count)];
        else return null;
        if (_current is { } caller) caller.Height = Math.Max(caller.Height, target.Height + 1);
        return target;
    }

    private Sub NewSub(SubKind kind)
    {
        var sub = new Sub(kind);
        _subs.Add(sub);
        var (body, init, depth, current) = (_body, _init, _depth, _current);
        _body = sub.Body;
        _current = sub;
        _depth++;
        _init = 1 << 10 | 0b111110;
        switch (kind)
        {
            case SubKind.Scalar: ScalarSubBody(); break;
            case SubKind.StackPtr: StackPtrSubBody(); break;
            case SubKind.Ctx: CtxSubBody(); break;
            case SubKind.MapValue: MapValueSubBody(); break;
            case SubKind.Packet: PacketSubBody(); break;
            default: CallbackBody(); break;
        }
        (_body, _init, _depth, _current) = (body, init, depth, current);
        sub.Finished = true;
        return sub;
    }

    private void ScalarSubBody()
    {
        var s = new Snippet();
        s.Add(Mov64(0, 1));
        for (int i = _random.Next(0, 4); i > 0; i--)
        {
            byte op = new[] { AluAdd, AluSub, AluMul, AluOr, AluAnd, AluXor, AluLsh, AluRsh }[_random.Next(8)];
            int imm = op is AluLsh or AluRsh ? _random.Next(0, 16) : _random.Next(-8, 64);
            if (_random.Next(3) == 0) s.Add(_random.Next(2) == 0 ? Alu64Reg(op, 0, 2) : Alu32Reg(op, 0, 2));
            else s.Add(_random.Next(2) == 0 ? Alu64Imm(op, 0, imm) : Alu32Imm(op, 0, imm));
        }
        switch (_random.Next(5))
        {
            case 0:
                s.Add(Alu64Imm(AluAnd, 0, new[] { 7, 15, 31 }[_random.Next(3)]));
                break;
            case 1:
                // Two exits: a bounded value on one path, a constant on the other.
                s.If(JmpGt, 0, _random.Next(4, 32), "big").Add(Exit()).Label("big").Add(MovImm(0, _random.Next(0, 4)));
                break;
            case 2 when SubFor(SubKind.Scalar) is { } nested:
                // Nested: pass the value on.
                s.Add(Mov64(1, 0)).CallSub(nested);
                if (OneIn(2)) s.Add(Alu64Imm(AluAdd, 0, 1));
                break;
        }
        s.Add(Exit());
        Emit(s);
    }

    private void StackPtrSubBody()
    {
        var s = new Snippet();
        short off = (short)(Bug() ? 8 : Bug() ? -8 : 0);
        switch (_random.Next(7))
        {
            case 0:
            case 1:
                s.Add(Ldx(OneIn(4) ? Size() : MemorySize.DW, 0, 1, off));
                break;
            case 2:
                s.Add(Stx(OneIn(4) ? Size() : MemorySize.DW, 1, 2, off), MovImm(0, 0));
                break;
            case 3:
                // A constant for the caller (its fill keeps it known).
                s.Add(St(MemorySize.DW, 1, off, _random.Next(0, 24)), MovImm(0, 0));
                break;
            case 4:
                // The caller's stack at a variable offset.
                s.Add(Alu64Imm(AluAnd, 2, OneIn(6) ? 15 : 7), Alu64Imm(AluAdd, 1, -8), Alu64Reg(AluAdd, 1, 2));
                if (_random.Next(2) == 0) s.Add(Ldx(MemorySize.B, 0, 1, 0));
                else s.Add(St(MemorySize.B, 1, 0, 1), MovImm(0, 0));
                break;
            case 5:
                // The pointer spilled to the callee's own stack and filled back.
                s.Add(Stx(MemorySize.DW, 10, 1, -8), Ldx(MemorySize.DW, 3, 10, -8), Ldx(MemorySize.DW, 0, 3, off));
                break;
            default:
                if (SubFor(SubKind.StackPtr) is { } nested)
                {
                    // Nested: the grandchild reaches the caller's caller's stack.
                    s.CallSub(nested);
                    if (OneIn(2)) s.Add(Alu64Imm(AluAnd, 0, 0xff));
                }
                else s.Add(Ldx(MemorySize.DW, 0, 1, off));
                break;
        }
        s.Add(Exit());
        Emit(s);
    }

    private void CtxSubBody()
    {
        Emit(Mov64(6, 1));
        Emit(MovImm(0, Imm()));
        Emit(MovImm(7, Imm()));
        Emit(MovImm(8, Imm()));
        Emit(MovImm(9, Imm()));
        int epilogue = Items.Count + _random.Next(1, 7);
        while (Items.Count < epilogue) RandomItem(Items.Count, epilogue);
        Emit(MovImm(0, _random.Next(3)), Exit());
    }

    private void MapValueSubBody()
    {
        var s = new Snippet();
        if (!OneIn(5)) s.If(JmpEq, 1, 0, "null");
        var size = Size();
        Bound(s, 2, 16 - Width(size), "null");
        s.Add(Alu64Reg(AluAdd, 1, 2));
        if (OneIn(2)) s.Add(Ldx(size, 0, 1, 0));
        else s.Add(St(size, 1, 0, 1), MovImm(0, 1));
        s.Add(Exit()).Label("null").Add(MovImm(0, 0), Exit());
        Emit(s);
    }

    private void PacketSubBody()
    {
        var s = new Snippet();
        int n = _random.Next(1, 20);
        var size = Size();
        PacketCheck(s, 1, 2, 3, n, "out");
        s.Add(Ldx(size, 0, 1, (short)Math.Max(0, n - Width(size) - (Bug() ? -1 : 0))), Exit());
        s.Label("out").Add(MovImm(0, 0), Exit());
        Emit(s);
    }

    private void CallbackBody()
    {
        var s = new Snippet();
        if (OneIn(2)) s.Add(Ldx(MemorySize.DW, 3, 2, 0));
        s.Add(MovImm(0, _random.Next(2)), Exit());
        Emit(s);
    }

    /// <summary>A bpf-to-bpf call with its arguments set up, and the result used.</summary>
    private void SubprogramCall()
    {
        var kinds = new List<SubKind> { SubKind.Scalar, SubKind.StackPtr, SubKind.StackPtr, SubKind.Ctx, SubKind.Ctx, SubKind.MapValue };
        if (HasDirectPacket) kinds.Add(SubKind.Packet);
        var kind = kinds[_random.Next(kinds.Count)];
        if (SubFor(kind) is not { } sub)
        {
            ClassicItem(Items.Count, Items.Count + 1);
            return;
        }
        var s = new Snippet();
        short slot = (short)(-8 * _random.Next(1, 5));
        switch (kind)
        {
            case SubKind.Scalar:
                Unknown(s, 1, mayCall: true);
                s.Add(MovImm(2, _random.Next(0, 16)));
                break;
            case SubKind.StackPtr:
                if (!OneIn(6)) s.Add(Stx(MemorySize.DW, 10, ValueReg(), slot));
                s.Add(Mov64(1, 10), Alu64Imm(AluAdd, 1, slot), MovImm(2, _random.Next(0, 8)));
                break;
            case SubKind.Ctx:
                s.Add(Mov64(1, Bug() ? (byte)10 : (byte)6));
                break;
            case SubKind.MapValue:
            {
                byte off = SavedReg();
                Unknown(s, off, mayCall: true);
                var (b, _, _) = MapValuePointer(s, "skip");
                if (b != 1) s.Add(Mov64(1, b));
                s.Add(Mov64(2, off));
                break;
            }
            default:
                s.Add(Ldx(MemorySize.W, 1, 6, DataOffset), Ldx(MemorySize.W, 2, 6, (short)(DataOffset + 4)));
                break;
        }
        s.CallSub(sub);
        switch (_random.Next(5))
        {
            case 0:
                s.Add(Mov64(SavedReg(), 0));
                break;
            case 1:
                // The result as an offset into global data.
                Bound(s, 0, 31, "skip");
                s.Add(LdMapValue(1, GlobalMap, 0)).Add(Alu64Reg(AluAdd, 1, 0), Ldx(MemorySize.B, 2, 1, 0));
                break;
            case 2 when kind == SubKind.StackPtr:
                // What the callee left in the caller's slot.
                s.Add(Ldx(MemorySize.DW, 3, 10, slot));
                if (OneIn(2)) s.Add(LdMapValue(1, GlobalMap, 0)).Add(Alu64Reg(AluAdd, 1, 3), Ldx(MemorySize.B, 2, 1, 0));
                break;
        }
        s.Label("skip");
        if (kind == SubKind.MapValue) s.Add(MovImm(0, 0));
        Emit(s);
    }

    /// <summary>bpf_loop or bpf_for_each_map_elem with a static callback (ld_imm64 src 4) and a stack context.</summary>
    private void CallbackCall()
    {
        var s = new Snippet();
        bool loop = _random.Next(3) != 0;
        if (SubFor(SubKind.Callback) is not { } cb)
        {
            VarOffsetMapAccess();
            return;
        }
        if (OneIn(2)) s.Add(Stx(MemorySize.DW, 10, ValueReg(), -8), Mov64(3, 10), Alu64Imm(AluAdd, 3, -8));
        else s.Add(MovImm(3, 0));
        if (loop) s.Add(MovImm(1, _random.Next(1, 64)));
        else s.Add(LdMap(1, OneIn(4) ? HashMap : ArrayMap));
        s.FuncAddr(2, cb).Add(MovImm(4, 0), Call(loop ? 181 : 164));
        Emit(s);
    }

    /// <summary>bpf_tail_call(ctx, prog_array, index), then the fall-through when it fails.</summary>
    private void TailCall()
    {
        if (_depth > 0 && !Bug(4))
        {
            VarOffsetMapAccess();
            return;
        }
        var s = new Snippet();
        byte idx = 0;
        if (OneIn(3))
        {
            idx = SavedReg();
            Unknown(s, idx, mayCall: true);
            if (!OneIn(4)) s.Add(Alu64Imm(AluAnd, idx, 3));
        }
        s.Add(Mov64(1, Bug() ? (byte)10 : (byte)6));
        s.Add(LdMap(2, Bug() ? ArrayMap : ProgArrayMap));
        s.Add(idx != 0 ? Mov64(3, idx) : MovImm(3, OneIn(8) ? _random.Next(4, 10) : _random.Next(0, 4)));
        s.Add(Call(12));
        if (!Bug()) s.Add(MovImm(0, _random.Next(3)));
        Emit(s);
    }
}
