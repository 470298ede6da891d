using BpfSharp.Btf;
using BpfSharp.Isa;

namespace BpfSharp.Loader;

/// <summary>
/// Links one program the way libbpf does: its own instructions first, then each subprogram it calls (or takes
/// the address of) appended in depth-first order of first use, calls and function addresses rewritten to the
/// new pc-relative offsets, map references rewritten to map indexes, and func_info / line_info / CO-RE
/// records carried along with the code they describe. Iterative, so hostile call graphs cannot overflow the
/// stack.
/// </summary>
internal sealed class ProgramLinker
{
    private readonly IReadOnlyDictionary<int, CodeSection> _sections;
    private readonly BtfExt? _ext;
    private readonly List<Instruction> _output = [];
    private readonly Dictionary<CodeFunction, int> _placed = [];
    private readonly List<(CodeFunction Function, int Start)> _order = [];
    private readonly List<string> _problems = [];

    public ProgramLinker(IReadOnlyDictionary<int, CodeSection> sections, BtfExt? ext)
    {
        _sections = sections;
        _ext = ext;
    }

    public void Link(CodeFunction main, ProgramSpec program)
    {
        var pending = new Stack<(CodeFunction Function, int Next)>();
        Place(main);
        pending.Push((main, 0));
        while (pending.Count > 0)
        {
            var (function, next) = pending.Pop();
            var code = _sections[function.Section];
            int linkedStart = _placed[function];
            for (int k = next; k < function.Length; k++)
            {
                int sectionIndex = function.Start + k;
                int linked = linkedStart + k;
                var insn = _output[linked];
                bool hasReloc = code.Relocations.TryGetValue(sectionIndex, out var reloc);
                (int Section, long Index)? target = null;

                if (hasReloc)
                {
                    switch (reloc.Kind)
                    {
                        case RelocationKind.Map:
                            SetLoadImm64(function, k, PseudoSource.MapIdx, reloc.MapIndex, 0);
                            break;
                        case RelocationKind.MapValue:
                            SetLoadImm64(function, k, PseudoSource.MapIdxValue, reloc.MapIndex, reloc.Offset);
                            break;
                        case RelocationKind.Unresolved:
                            _problems.Add($"instruction {linked}: {reloc.Problem}");
                            break;
                        default:
                            target = (reloc.TargetSection, reloc.TargetIndex);
                            break;
                    }
                }
                else if (insn.Opcode == 0x85 && insn.Src == PseudoSource.LocalCall || insn.IsLoadImm64 && insn.Src == PseudoSource.Func)
                {
                    // Calls within one section need no relocation: the offset is already relative.
                    target = (function.Section, (long)sectionIndex + insn.Immediate + 1);
                }

                // A newly appended subprogram is finished first (depth first), then the rest of this function.
                if (target is { } t && Retarget(function, k, linked, insn, t, pending)) break;
                if (insn.IsLoadImm64) k++;
            }
        }

        program.Instructions = _output.ToArray();
        program.Functions = _order.Select(o => new ProgramFunction(o.Function.Name, _sections[o.Function.Section].Section.Name, o.Start, o.Function.Length)).ToArray();
        program.Problems = _problems.ToArray();
        CarryBtfExt(program);
    }

    // Points a call or function address at its target, appending the target's function when this program
    // does not have it yet. Returns true when it appended one (and queued the rest of this function after it);
    // a target outside every function is reported as a problem.
    private bool Retarget(CodeFunction function, int k, int linked, Instruction insn, (int Section, long Index) target,
        Stack<(CodeFunction Function, int Next)> pending)
    {
        if (!_sections.TryGetValue(target.Section, out var code) || code.FunctionAt(target.Index) is not { } callee)
        {
            _problems.Add($"instruction {linked}: call target {target.Index} is outside the functions of its section");
            return false;
        }
        bool appended = !_placed.ContainsKey(callee);
        if (appended) Place(callee);
        long targetLinked = _placed[callee] + (target.Index - callee.Start);
        // clang leaves the source of a function-address ld_imm64 at 0; the kernel needs BPF_PSEUDO_FUNC.
        var retargeted = insn.WithImmediate((int)(targetLinked - (linked + 1)));
        _output[linked] = insn.IsLoadImm64 ? retargeted.WithSrc(PseudoSource.Func) : retargeted;
        if (appended)
        {
            pending.Push((function, k + (insn.IsLoadImm64 ? 2 : 1)));
            pending.Push((callee, 0));
        }
        return appended;
    }

    private void Place(CodeFunction function)
    {
        _placed[function] = _output.Count;
        _order.Add((function, _output.Count));
        _output.AddRange(_sections[function.Section].Instructions.AsSpan(function.Start, function.Length));
    }

    private void SetLoadImm64(CodeFunction function, int k, byte source, int low, uint high)
    {
        int linked = _placed[function] + k;
        if (k + 1 >= function.Length)
        {
            _problems.Add($"instruction {linked}: ld_imm64 is cut off by the end of function '{function.Name}'");
            return;
        }
        _output[linked] = _output[linked].WithSrc(source).WithImmediate(low);
        _output[linked + 1] = new Instruction(0, 0, 0, 0, unchecked((int)high));
    }

    private void CarryBtfExt(ProgramSpec program)
    {
        if (_ext is null) return;
        var funcs = new List<BtfFuncInfo>();
        var lines = new List<BtfLineInfo>();
        var cores = new List<BtfCoreRelocation>();
        foreach (var (function, start) in _order)
        {
            string section = _sections[function.Section].Section.Name;
            int Map(int index) => start + index - function.Start;
            bool Inside(int index) => index >= function.Start && index < function.Start + function.Length;
            if (_ext.FuncInfos.TryGetValue(section, out var f))
                funcs.AddRange(f.Where(x => Inside(x.InstructionIndex)).Select(x => x with { InstructionIndex = Map(x.InstructionIndex) }));
            if (_ext.LineInfos.TryGetValue(section, out var l))
                lines.AddRange(l.Where(x => Inside(x.InstructionIndex)).Select(x => x with { InstructionIndex = Map(x.InstructionIndex) }));
            if (_ext.CoreRelocations.TryGetValue(section, out var c))
                cores.AddRange(c.Where(x => Inside(x.InstructionIndex)).Select(x => x with { InstructionIndex = Map(x.InstructionIndex) }));
        }
        program.FuncInfos = funcs;
        program.LineInfos = lines;
        program.CoreRelocations = cores;
    }
}
