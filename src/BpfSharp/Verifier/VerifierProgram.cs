using BpfSharp.Btf;
using BpfSharp.Isa;
using BpfSharp.Loader;

namespace BpfSharp.Verifier;

/// <summary>Everything one verification needs to know about the program, independent of how it was loaded.</summary>
internal sealed class VerifierProgram
{
    public required Instruction[] Instructions { get; init; }
    public required ProgramType Type { get; init; }
    public AttachType? ExpectedAttachType { get; init; }
    /// <summary>Map table: the program's maps (by MapIdx pseudo-source index), then inner-map templates.</summary>
    public VerifierMap[] MapTable { get; init; } = [];
    public bool GplCompatible { get; init; } = true;
    /// <summary>Loaded with BPF_F_SLEEPABLE (sections such as uprobe.s, fentry.s, syscall).</summary>
    public bool Sleepable { get; init; }
    /// <summary>BTF func_info: each function's start, name, linkage and (global functions) argument kinds.</summary>
    public IReadOnlyList<FunctionSignature> FunctionInfos { get; init; } = [];
    public LineInfoTable? Lines { get; init; }
    public string Name { get; init; } = "";

    public static VerifierProgram From(ObjectSpec obj, ProgramSpec prog)
    {
        var funcs = new List<FunctionSignature>();
        if (obj.Btf is { } btf)
        {
            foreach (var fi in prog.FuncInfos)
            {
                try
                {
                    funcs.Add(FunctionSignature.From(btf, fi.InstructionIndex, fi.TypeId, prog.Type));
                }
                catch (BpfFormatException e)
                {
                    // An unreadable type: the kernel would reject the BTF; keep the function static.
                    funcs.Add(new FunctionSignature(fi.InstructionIndex, "", false, [], e.Message));
                }
            }
        }
        return new VerifierProgram
        {
            Instructions = prog.Instructions,
            Type = prog.Type,
            ExpectedAttachType = prog.ExpectedAttachType,
            MapTable = VerifierMap.TableFor(prog.Maps, obj.FileName, obj.Btf),
            GplCompatible = IsGplCompatible(prog.License),
            Sleepable = prog.Section.IsSleepable,
            FunctionInfos = funcs,
            Lines = prog.LineInfos.Count > 0 && obj.Btf is not null ? new LineInfoTable(prog.LineInfos) : null,
            Name = prog.Name,
        };
    }

    /// <summary>The licenses the kernel treats as GPL-compatible (license_is_gpl_compatible).</summary>
    public static bool IsGplCompatible(string license) => license is "GPL" or "GPL v2" or "GPL and additional rights"
        or "Dual BSD/GPL" or "Dual MIT/GPL" or "Dual MPL/GPL";
}

/// <summary>Source lines by instruction, for the log's "; line @ file:N" annotations.</summary>
internal sealed class LineInfoTable
{
    private readonly BtfLineInfo[] _lines;

    public LineInfoTable(IReadOnlyList<BtfLineInfo> lines) => _lines = lines.OrderBy(l => l.InstructionIndex).ToArray();

    /// <summary>Index of the last line record at or before <paramref name="insn"/>, or -1.</summary>
    public int Find(int insn)
    {
        int lo = 0, hi = _lines.Length - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            if (_lines[mid].InstructionIndex <= insn)
            {
                found = mid;
                lo = mid + 1;
            }
            else hi = mid - 1;
        }
        return found;
    }

    public BtfLineInfo this[int index] => _lines[index];
}
