using BpfSharp.Btf;
using BpfSharp.Elf;

namespace BpfSharp.Loader;

/// <summary>Turns global data sections (.data*, .rodata*, .bss*) into single-element array maps, as libbpf does.</summary>
internal static class GlobalDataMaps
{
    /// <summary>True for the sections libbpf turns into maps.</summary>
    public static bool IsGlobalData(string name) =>
        IsFamily(name, ".data") || IsFamily(name, ".rodata") || IsFamily(name, ".bss");

    private static bool IsFamily(string name, string family) =>
        name == family || name.StartsWith(family + ".", StringComparison.Ordinal);

    public static Dictionary<int, int> Read(ElfFile elf, BtfSpec? btf, List<MapSpec> maps)
    {
        var bySection = new Dictionary<int, int>();
        foreach (var section in elf.Sections)
        {
            if (!IsGlobalData(section.Name) || section.Size == 0 || section.IsExecutable) continue;
            if (section.Type is not (ElfSectionType.ProgBits or ElfSectionType.NoBits)) continue;
            if (section.Size > uint.MaxValue)
                throw new BpfFormatException($"global data section of {section.Size} bytes is larger than a map value can be", elf.FileName, section.Name);
            bool readOnly = IsFamily(section.Name, ".rodata");
            uint datasec = 0;
            bool mmapable = false;
            if (btf is not null && btf.TryFind(section.Name, BtfKind.Datasec, out uint id))
            {
                datasec = id;
                // libbpf makes the map mmapable when the section holds at least one non-static variable.
                mmapable = btf.DatasecVars(id).Any(v => btf.KindOf(v.Type) == BtfKind.Var && btf.VarLinkage(v.Type) != BtfVarLinkage.Static);
            }
            bySection[section.Index] = maps.Count;
            maps.Add(new MapSpec
            {
                Name = section.Name,
                Type = MapType.Array,
                KeySize = 4,
                ValueSize = (uint)section.Size,
                MaxEntries = 1,
                Flags = (readOnly ? MapSpec.FlagReadOnlyProgram : 0) | (mmapable ? MapSpec.FlagMmapable : 0),
                SectionName = section.Name,
                Kind = MapDefinitionKind.GlobalData,
                Contents = section.Type == ElfSectionType.NoBits ? null : section.Data.ToArray(),
                Freeze = readOnly,
                BtfValueTypeId = datasec,
            });
        }
        return bySection;
    }
}
