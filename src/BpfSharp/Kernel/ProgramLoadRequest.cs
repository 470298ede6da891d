using BpfSharp.Isa;
using BpfSharp.Loader;

namespace BpfSharp.Kernel;

/// <summary>Everything BPF_PROG_LOAD takes. Instructions must already carry map file descriptors.</summary>
public sealed class ProgramLoadRequest
{
    /// <summary>Log level bits: 1 = the rejected path (or every path on success with 2), 2 = every instruction, 4 = statistics.</summary>
    public const uint LogBasic = 1, LogVerbose = 2, LogStats = 4;

    /// <summary>BPF_F_SLEEPABLE.</summary>
    public const uint FlagSleepable = 1 << 4;
    /// <summary>BPF_F_XDP_HAS_FRAGS.</summary>
    public const uint FlagXdpHasFrags = 1 << 5;

    /// <summary>The program type.</summary>
    public required ProgramType Type { get; init; }

    /// <summary>The instructions.</summary>
    public required Instruction[] Instructions { get; init; }

    /// <summary>The license; GPL-only helpers need a GPL-compatible one.</summary>
    public string License { get; init; } = "GPL";

    /// <summary>Name shown by bpftool (sanitized to 15 characters).</summary>
    public string Name { get; init; } = "";

    /// <summary>Expected attach type, or null.</summary>
    public AttachType? ExpectedAttachType { get; init; }

    /// <summary>kern_version (only old kernels check it for kprobes).</summary>
    public uint KernelVersion { get; init; }

    /// <summary>BPF_F_* program flags.</summary>
    public uint Flags { get; init; }

    /// <summary>Verifier log level (0 for none).</summary>
    public uint LogLevel { get; init; }

    /// <summary>Initial log buffer size; it grows on ENOSPC up to <see cref="MaxLogSize"/>.</summary>
    public int LogSize { get; init; } = 1 << 20;

    /// <summary>The largest log buffer to try (1 GiB).</summary>
    public const int MaxLogSize = 1 << 30;

    /// <summary>The program's BTF (needed with func_info, line_info and CO-RE records).</summary>
    public BpfFileDescriptor? Btf { get; init; }

    /// <summary>func_info records: (instruction index, BTF FUNC id).</summary>
    public IReadOnlyList<(int Index, uint TypeId)> FuncInfos { get; init; } = [];

    /// <summary>line_info records: (instruction index, file name offset, line offset, line &lt;&lt; 10 | column).</summary>
    public IReadOnlyList<(int Index, uint FileNameOffset, uint LineOffset, uint LineColumn)> LineInfos { get; init; } = [];

    /// <summary>CO-RE relocations for the kernel to apply: (instruction index, type id, access string offset, kind).</summary>
    public IReadOnlyList<(int Index, uint TypeId, uint AccessStringOffset, uint Kind)> CoreRelocations { get; init; } = [];

    /// <summary>BTF id of the attach target (fentry/fexit/lsm/iter/tp_btf), or 0.</summary>
    public uint AttachBtfId { get; init; }
}
