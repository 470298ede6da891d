using BpfSharp.Btf;
using BpfSharp.Isa;

namespace BpfSharp.Loader;

/// <summary>
/// Everything a BPF object file declares, read and linked but not loaded anywhere: its programs, its maps,
/// its license and kernel version, and its BTF. Produced by <see cref="ObjectLoader"/>.
/// </summary>
public sealed class ObjectSpec
{
    /// <summary>The path the object was read from, as given.</summary>
    public string? FileName { get; init; }

    /// <summary>The programs, in section and symbol order.</summary>
    public required IReadOnlyList<ProgramSpec> Programs { get; init; }

    /// <summary>The maps: legacy definitions, then BTF definitions, then global data.</summary>
    public required IReadOnlyList<MapSpec> Maps { get; init; }

    /// <summary>The license string ("" when the object has none).</summary>
    public string License { get; init; } = "";

    /// <summary>The kern_version from the <c>version</c> section, or null.</summary>
    public uint? KernelVersion { get; init; }

    /// <summary>The object's BTF, or null.</summary>
    public BtfSpec? Btf { get; init; }

    /// <summary>
    /// The raw .BTF bytes with DATASEC sizes and variable offsets filled in from the ELF (as libbpf fixes them
    /// up), ready for BPF_BTF_LOAD; null when the object has no BTF.
    /// </summary>
    public byte[]? BtfData { get; init; }

    /// <summary>The object's .BTF.ext, or null.</summary>
    public BtfExt? BtfExt { get; init; }

    /// <summary>The highest ISA version any program needs.</summary>
    public IsaVersion IsaVersion => Programs.Count == 0 ? IsaVersion.V1 : Programs.Max(p => p.IsaVersion);

    /// <summary>Finds a program by name, or by section name when no program has that name.</summary>
    public ProgramSpec? FindProgram(string nameOrSection) =>
        Programs.FirstOrDefault(p => p.Name == nameOrSection) ?? Programs.FirstOrDefault(p => p.SectionName == nameOrSection);
}
