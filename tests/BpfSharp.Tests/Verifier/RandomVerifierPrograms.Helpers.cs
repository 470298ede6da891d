using BpfSharp.Isa;
using BpfSharp.Loader;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// Helpers with memory arguments: map update and delete with keys and values on the stack, skb/xdp load_bytes into
/// a stack buffer with a constant or bounded length, csum_diff, probe_read_kernel, get_current_comm, trace_printk.
/// Buffers are sometimes uninitialized, too small or out of the frame; some helpers are not for every program type.
/// </summary>
internal sealed partial class RandomVerifierPrograms
{
    private void MemoryHelper()
    {
        var s = new Snippet();
        int pick = _random.Next(10);
        // Mostly helpers the program type may call.
        if (pick == 6 && _type is not (ProgramType.Xdp or ProgramType.SchedCls) && !Bug(3)) pick = 3;
        if (pick is 3 or 4 or 5 && _type == ProgramType.Kprobe && !Bug(3)) pick = 7;
        if (pick is 7 or 8 && _type != ProgramType.Kprobe && !Bug(3)) pick = 0;
        switch (pick)
        {
            case 0:
            case 1:
            {
                // bpf_map_update_elem(map, &key, &value, flags).
                bool hash = _random.Next(2) == 0;
                short key = (short)(hash ? -8 : -4);
                if (!Bug()) s.Add(hash ? Stx(MemorySize.DW, 10, ValueReg(), -8) : St(MemorySize.W, 10, -4, _random.Next(5)));
                short value = (short)(Bug() ? -8 : -24);
                int init = Bug(2) ? _random.Next(0, 2) : 2;
                for (int i = 0; i < init; i++) s.Add(Stx(MemorySize.DW, 10, ValueReg(), (short)(value + 8 * i)));
                s.Add(LdMap(1, hash ? HashMap : ArrayMap)).Add(Mov64(2, 10), Alu64Imm(AluAdd, 2, key));
                if (OneIn(4))
                {
                    // The value from a lookup of the same map instead.
                    s.Add(Mov64(7, 2));
                    s.Add(Call(1)).If(JmpEq, 0, 0, "skip");
                    s.Add(LdMap(1, hash ? HashMap : ArrayMap)).Add(Mov64(2, 7), Mov64(3, 0), MovImm(7, 0));
                }
                else s.Add(Mov64(3, 10), Alu64Imm(AluAdd, 3, value));
                s.Add(MovImm(4, _random.Next(0, 3)), Call(2));
                break;
            }
            case 2:
            {
                // bpf_map_delete_elem(map, &key), the key sometimes at a variable stack offset.
                bool hash = !OneIn(4);
                if (OneIn(4))
                {
                    byte idx = SavedReg();
                    Unknown(s, idx, mayCall: true);
                    s.Add(Alu64Imm(AluAnd, idx, OneIn(4) ? 15 : 8));
                    s.Add(Mov64(2, 10), Alu64Imm(AluAdd, 2, -24), Alu64Reg(AluAdd, 2, idx));
                }
                else
                {
                    if (!Bug()) s.Add(St(MemorySize.DW, 10, -8, _random.Next(0, 4)));
                    s.Add(Mov64(2, 10), Alu64Imm(AluAdd, 2, Bug() ? -4 : -8));
                }
                s.Add(LdMap(1, hash ? HashMap : ArrayMap)).Add(Call(3));
                break;
            }
            case 3:
            case 4:
            case 5:
                LoadBytes(s);
                break;
            case 6:
            {
                // bpf_csum_diff(from, from_size, to, to_size, seed).
                s.Add(Stx(MemorySize.DW, 10, ValueReg(), -8), Stx(MemorySize.DW, 10, ValueReg(), -16));
                if (OneIn(4)) s.Add(MovImm(1, 0), MovImm(2, 0));
                else s.Add(Mov64(1, 10), Alu64Imm(AluAdd, 1, -8), MovImm(2, Bug() ? 6 : 4 * _random.Next(1, 3)));
                s.Add(Mov64(3, 10), Alu64Imm(AluAdd, 3, -16), MovImm(4, Bug() ? 24 : 4 * _random.Next(1, 5)));
                s.Add(Mov64(5, ValueReg()), Call(28));
                break;
            }
            case 7:
            {
                // bpf_probe_read_kernel(dst, size, unsafe_ptr): tracing only.
                int size = Bug() ? 17 : 8 * _random.Next(1, 3);
                s.Add(Mov64(1, 10), Alu64Imm(AluAdd, 1, -16));
                if (OneIn(4))
                {
                    byte len = SavedReg();
                    s.Add(Mov64(len, ValueReg()));
                    Bound(s, len, 16, "skip");
                    s.Add(Mov64(2, len));
                }
                else s.Add(MovImm(2, size));
                s.Add(_type == ProgramType.Kprobe ? Ldx(MemorySize.DW, 3, 6, (short)(8 * _random.Next(21))) : Mov64(3, ValueReg()));
                s.Add(Call(113));
                if (OneIn(2)) s.Add(Ldx(MemorySize.DW, ScratchReg(), 10, -16));
                break;
            }
            case 8:
                // bpf_get_current_comm(buf, size) / bpf_get_current_pid_tgid().
                if (OneIn(2)) s.Add(Mov64(1, 10), Alu64Imm(AluAdd, 1, -16), MovImm(2, Bug() ? 24 : 16), Call(16));
                else s.Add(Call(14), Alu64Imm(AluRsh, 0, 32));
                break;
            default:
                // bpf_trace_printk("%d\n", 4, value).
                s.Add(St(MemorySize.W, 10, -4, 0x000a6425));
                s.Add(Mov64(1, 10), Alu64Imm(AluAdd, 1, -4), MovImm(2, Bug() ? 8 : 4), Mov64(3, ValueReg()), Call(6));
                break;
        }
        s.Label("skip");
        Emit(s);
    }

    /// <summary>bpf_skb_load_bytes (skb) / bpf_xdp_load_bytes (xdp) into a stack buffer, length constant or bounded.</summary>
    private void LoadBytes(Snippet s)
    {
        int buf = 8 * _random.Next(1, 5);
        byte len = SavedReg();
        bool variable = _random.Next(2) == 0;
        if (variable)
        {
            Unknown(s, len, mayCall: true);
            Bound(s, len, buf - 1, "skip");
            if (!Bug()) s.Add(Alu64Imm(AluAdd, len, 1));
        }
        s.Add(Mov64(1, 6));
        if (OneIn(3)) s.Add(Mov64(2, ValueReg()));
        else s.Add(MovImm(2, _random.Next(0, 40)));
        s.Add(Mov64(3, 10), Alu64Imm(AluAdd, 3, -buf));
        s.Add(variable ? Mov64(4, len) : MovImm(4, Bug() ? buf + 1 : Bug() ? 0 : _random.Next(1, buf + 1)));
        s.Add(Call(_type == ProgramType.Xdp ? 189 : 26));
        if (OneIn(2)) s.Add(Ldx(_random.Next(2) == 0 ? MemorySize.DW : MemorySize.B, ScratchReg(), 10, (short)-buf));
    }
}
