using System.Globalization;
using System.Text;
using BpfSharp.Isa;

namespace BpfSharp.Verifier;

/// <summary>The verifier log's text: instructions, register and stack states, source lines.</summary>
internal sealed partial class Verification
{
    private static readonly string[] RegTypeNames =
    [
        "?", "scalar", "ctx", "map_ptr", "map_value", "fp", "pkt", "pkt_meta", "pkt_end", "flow_keys", "sock",
        "sock_common", "tcp_sock", "tp_buffer", "xdp_sock", "ptr_", "mem", "arena", "buf", "func", "map_key",
        "dynptr_ptr",
    ];

    private static readonly char[] SlotChars = ['?', 'r', 'm', '0', 'd', 'i', 'f'];

    /// <summary>The kernel's reg_type_str: prefixes for modifiers, the base name, "_or_null".</summary>
    internal static string RegTypeName(RegType type, RegFlags flags)
    {
        var sb = new StringBuilder();
        if ((flags & RegFlags.ReadOnly) != 0) sb.Append("rdonly_");
        if ((flags & RegFlags.RingBuf) != 0) sb.Append("ringbuf_");
        if ((flags & RegFlags.User) != 0) sb.Append("user_");
        if ((flags & RegFlags.PerCpu) != 0) sb.Append("percpu_");
        if ((flags & RegFlags.Rcu) != 0) sb.Append("rcu_");
        if ((flags & RegFlags.Untrusted) != 0) sb.Append("untrusted_");
        if ((flags & RegFlags.Trusted) != 0) sb.Append("trusted_");
        sb.Append(RegTypeNames[(int)type]);
        if ((flags & RegFlags.MaybeNull) != 0) sb.Append(type == RegType.BtfId ? "or_null_" : "_or_null");
        return sb.ToString();
    }

    private static string RegTypeName(in RegState reg) => RegTypeName(reg.Type, reg.Flags);

    private static string Num(long value) => ScalarFormat.Signed(value);

    private static string UNum(ulong value) => ScalarFormat.Unsigned(value);

    private void AppendRegState(StringBuilder sb, FuncState state, in RegState reg)
    {
        var t = reg.Type;
        if (t == RegType.Scalar)
        {
            int id = reg.Id & ~RegState.AddConst;
            int? delta = (reg.Id & RegState.AddConst) != 0 ? reg.Off : null;
            ScalarFormat.Append(sb, in reg.Value, id, delta, reg.Precise);
            return;
        }
        sb.Append(RegTypeName(in reg));
        if (t == RegType.Arena) return;
        if (t == RegType.Stack)
        {
            if (state.FrameNo != reg.FrameNo) sb.Append('[').Append(reg.FrameNo).Append(']');
            if (reg.Value.VarOff.IsConst)
            {
                sb.Append(Num((long)reg.Value.VarOff.Value + reg.Off));
                return;
            }
        }
        sb.Append('(');
        bool first = true;
        void Sep()
        {
            if (!first) sb.Append(',');
            first = false;
        }
        if (reg.Id != 0)
        {
            Sep();
            sb.Append("id=").Append((reg.Id & ~RegState.AddConst).ToString(CultureInfo.InvariantCulture));
        }
        if (reg.RefObjId != 0)
        {
            Sep();
            sb.Append("ref_obj_id=").Append(reg.RefObjId.ToString(CultureInfo.InvariantCulture));
        }
        if (t is RegType.ConstMap or RegType.MapKey or RegType.MapValue && (uint)reg.Aux < (uint)_maps.Length)
        {
            var map = _maps[reg.Aux];
            if (map.KernelName.Length > 0)
            {
                Sep();
                sb.Append("map=").Append(map.KernelName);
            }
            Sep();
            sb.Append("ks=").Append(map.KeySize.ToString(CultureInfo.InvariantCulture))
              .Append(",vs=").Append(map.ValueSize.ToString(CultureInfo.InvariantCulture));
        }
        if (reg.Off != 0)
        {
            Sep();
            sb.Append("off=").Append(Num(reg.Off));
        }
        if (t is RegType.Packet or RegType.PacketMeta)
        {
            Sep();
            sb.Append("r=").Append(UNum((ulong)(long)reg.Range));
        }
        if (t == RegType.Mem)
        {
            Sep();
            sb.Append("sz=").Append(UNum((ulong)(uint)reg.Aux));
        }
        if (reg.Value.VarOff.IsConst)
        {
            if (reg.Value.VarOff.Value != 0)
            {
                Sep();
                sb.Append("imm=").Append(Num((long)reg.Value.VarOff.Value));
            }
        }
        else
        {
            // Reuse the scalar printer for the bounds of a variable offset.
            var inner = new StringBuilder();
            ScalarFormat.Append(inner, in reg.Value, 0, null, false);
            // inner is "scalar(...)": keep what is inside the parentheses.
            string text = inner.ToString();
            int open = text.IndexOf('(');
            string body = text[(open + 1)..^1];
            if (body.Length > 0)
            {
                Sep();
                sb.Append(body);
            }
        }
        sb.Append(')');
    }

    private string RegStateText(FuncState state, in RegState reg)
    {
        var sb = new StringBuilder();
        AppendRegState(sb, state, in reg);
        return sb.ToString();
    }

    /// <summary>The kernel's print_verifier_state: " R0=... fp-8=..." and a newline.</summary>
    private void PrintVerifierState(VerifierState vstate, int frameno, bool printAll)
    {
        if (!_log.Enabled) return;
        var state = vstate.Frames[frameno]!;
        var sb = _log.Builder;
        if (state.FrameNo != 0) sb.Append(" frame").Append(state.FrameNo).Append(':');
        for (int i = 0; i < FuncState.RegCount; i++)
        {
            ref var reg = ref state.Regs[i];
            if (reg.Type == RegType.NotInit) continue;
            if (!printAll && (_scratchedRegs & (1 << i)) == 0) continue;
            sb.Append(" R").Append(i).Append('=');
            AppendRegState(sb, state, in reg);
        }
        Span<char> types = stackalloc char[8];
        for (int spi = 0; spi < state.Slots; spi++)
        {
            if (!printAll && (spi >= 64 || (_scratchedStack & (1UL << spi)) == 0)) continue;
            bool valid = false;
            for (int j = 0; j < 8; j++)
            {
                var st = state.Slot(spi, j);
                if (st != StackSlotType.Invalid) valid = true;
                types[j] = SlotChars[(int)st];
            }
            if (!valid) continue;
            int fpOff = (-spi - 1) * 8;
            switch (state.Slot(spi, 7))
            {
                case StackSlotType.Spill:
                {
                    int j = 0;
                    while (j < 8 && state.Slot(spi, j) != StackSlotType.Spill) j++;
                    sb.Append(" fp").Append(fpOff).Append('=').Append(types[..j]);
                    AppendRegState(sb, state, in state.Spilled[spi]);
                    break;
                }
                default:
                    sb.Append(" fp").Append(fpOff).Append('=').Append(types);
                    break;
            }
        }
        if (vstate.RefCount > 0 && vstate.Refs[0].Id != 0)
        {
            sb.Append(" refs=").Append(vstate.Refs[0].Id);
            for (int i = 1; i < vstate.RefCount; i++)
                if (vstate.Refs[i].Id != 0) sb.Append(',').Append(vstate.Refs[i].Id);
        }
        if (state.InCallbackFn) sb.Append(" cb");
        if (state.InAsyncCallbackFn) sb.Append(" async_cb");
        sb.Append('\n');
        if (!printAll) MarkStateClean();
    }

    private static int LogAlignment(int pos) => ((Math.Max(pos + 4, 40) + 7) & ~7) - pos - 1;

    /// <summary>
    /// The kernel's print_insn_state: the changed registers after the instruction's text on the same line when
    /// nothing else was logged since, else on a line of their own.
    /// </summary>
    private void PrintInsnState(VerifierState vstate, int frameno)
    {
        if (!_log.Enabled) return;
        if (_prevLogPos != 0 && _prevLogPos == _log.EndPos)
        {
            _log.Reset(_prevLogPos - 1);
            int width = LogAlignment(_prevInsnPrintPos);
            _log.Builder.Append(' ', Math.Max(width, 1)).Append(';');
        }
        else
        {
            Verbose($"{_insnIdx}:");
        }
        PrintVerifierState(vstate, frameno, false);
    }

    private bool StateScratched => _scratchedRegs != 0 || _scratchedStack != 0;

    private void MarkAllScratched()
    {
        _scratchedRegs = 0x7ff;
        _scratchedStack = ulong.MaxValue;
    }

    private void MarkStateClean()
    {
        _scratchedRegs = 0;
        _scratchedStack = 0;
    }

    private void MarkRegScratched(int regno) => _scratchedRegs |= (ushort)(1 << regno);

    private void MarkStackSlotScratched(int spi)
    {
        if (spi < 64) _scratchedStack |= 1UL << spi;
    }

    /// <summary>The kernel's verbose_linfo: the source line of an instruction, once per line.</summary>
    private void VerboseLineInfo(int insnIdx, string prefix)
    {
        if (!_log.Enabled || _lines is null) return;
        int li = _lines.Find(insnIdx);
        if (li < 0 || li == _prevLineInfo) return;
        var line = _lines[li];
        if (_prevLineInfo >= 0)
        {
            var prev = _lines[_prevLineInfo];
            if (prev.FileName == line.FileName && prev.LineNumber == line.LineNumber) return;
        }
        Verbose(prefix);
        Verbose(line.Line.TrimStart());
        string file = line.FileName;
        int slash = file.LastIndexOf('/');
        if (slash >= 0) file = file[(slash + 1)..];
        Verbose($" @ {file}:{line.LineNumber}\n");
        _prevLineInfo = li;
    }

    /// <summary>An instruction as the kernel's log prints it: "(op) text".</summary>
    private string InstructionText(int idx)
    {
        var insn = _insns[idx];
        string text;
        if (insn.Opcode == 0x18 && idx + 1 < _insns.Length)
        {
            text = Disassembler.Format(_insns, idx, _symbols);
            if (text.EndsWith(" ll", StringComparison.Ordinal)) text = text[..^3];
        }
        else
        {
            text = Disassembler.Format(insn, _symbols);
        }
        return $"({insn.Opcode:x2}) {text}";
    }

    private MapSymbols? _symbolsCache;

    private MapSymbols _symbols => _symbolsCache ??= new MapSymbols(_maps.Select(m => m.Name).ToArray());

    private void PrintStats()
    {
    }
}
