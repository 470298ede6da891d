using BpfSharp.Binary;

namespace BpfSharp.Btf;

/// <summary>
/// The parsed .BTF.ext section: per ELF code section, the function, source line and CO-RE relocation records
/// that go with that section's instructions. Strings and type ids in it refer to the object's <see cref="BtfSpec"/>.
/// </summary>
public sealed class BtfExt
{
    internal BtfExt(IReadOnlyDictionary<string, IReadOnlyList<BtfFuncInfo>> funcInfos,
        IReadOnlyDictionary<string, IReadOnlyList<BtfLineInfo>> lineInfos,
        IReadOnlyDictionary<string, IReadOnlyList<BtfCoreRelocation>> coreRelocations)
    {
        FuncInfos = funcInfos;
        LineInfos = lineInfos;
        CoreRelocations = coreRelocations;
    }

    /// <summary>Function records by ELF section name, in file order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<BtfFuncInfo>> FuncInfos { get; }

    /// <summary>Line records by ELF section name, in file order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<BtfLineInfo>> LineInfos { get; }

    /// <summary>CO-RE relocations by ELF section name, in file order; empty when the header has no CO-RE part.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<BtfCoreRelocation>> CoreRelocations { get; }

    /// <summary>
    /// Parses and validates a .BTF.ext blob against the object's BTF. Instruction byte offsets become instruction
    /// indexes; records larger than the fields known here are accepted and their extra bytes skipped.
    /// </summary>
    /// <param name="data">The .BTF.ext bytes.</param>
    /// <param name="btf">The object's parsed .BTF, which holds the strings and types the records name.</param>
    /// <param name="location">Where the bytes come from, normally <c>new FormatLocation(fileName, ".BTF.ext")</c>.</param>
    /// <exception cref="BpfFormatException">The blob is malformed or names strings or types the BTF lacks.</exception>
    public static BtfExt Parse(ReadOnlySpan<byte> data, BtfSpec btf, FormatLocation location)
    {
        ArgumentNullException.ThrowIfNull(btf);
        return BtfExtReader.Read(data, btf, location);
    }
}
