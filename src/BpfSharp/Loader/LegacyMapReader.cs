using BpfSharp.Binary;
using BpfSharp.Elf;

namespace BpfSharp.Loader;

/// <summary>
/// Reads map definitions from legacy <c>maps</c> sections (and PREVAIL-style <c>maps/NAME</c> sections): one
/// fixed-size struct per symbol. libbpf 1.x refuses these; old samples, iproute2 and Suricata objects use them.
/// </summary>
/// <remarks>
/// The definition size is the section size over the number of symbols, as libbpf 0.x computed it. The layouts
/// in use: 20 bytes (libbpf's bpf_map_def), 28 bytes (samples/bpf's bpf_map_def with inner_map_idx and
/// numa_node, or iproute2's old bpf_elf_map with id and pinning) and 36 bytes (iproute2's bpf_elf_map with
/// inner_id and inner_idx). The two 28-byte layouts differ only in their last two words; numa_node means
/// nothing unless BPF_F_NUMA_NODE is set, so without that flag the last word is read as iproute2's pinning.
/// </remarks>
internal static class LegacyMapReader
{
    private const int MinimumDefinition = 16;

    public static void Read(ElfFile elf, List<MapSpec> maps, Dictionary<(int Section, ulong Offset), int> bySymbol)
    {
        var pending = new List<(MapSpec Map, uint[] Fields)>();
        foreach (var section in elf.Sections)
        {
            if (section.Name != "maps" && !section.Name.StartsWith("maps/", StringComparison.Ordinal)) continue;
            var symbols = elf.Symbols
                .Where(s => s.SectionIndex == section.Index && s.Type is ElfSymbolType.Object or ElfSymbolType.NoType && s.Name.Length > 0)
                .OrderBy(s => s.Value)
                .ToList();
            if (symbols.Count == 0) continue;
            ulong size = (ulong)section.Data.Length;
            if (size % (ulong)symbols.Count != 0)
                throw new BpfFormatException($"cannot tell the map definition size: {symbols.Count} maps in {size} bytes", elf.FileName, section.Name);
            int defSize = (int)(size / (ulong)symbols.Count);
            if (defSize < MinimumDefinition || defSize % 4 != 0)
                throw new BpfFormatException($"map definition size {defSize} is not a known struct bpf_map_def layout", elf.FileName, section.Name);

            var location = new FormatLocation(elf.FileName, section.Name);
            foreach (var sym in symbols)
            {
                if (sym.Value > size || (ulong)defSize > size - sym.Value)
                    throw location.Error($"map '{sym.Name}' definition at 0x{sym.Value:x} extends past the end of the section", (long)Math.Min(sym.Value, size));
                var r = new SpanReader(section.Data.Span.Slice((int)sym.Value, defSize), location.Advance((long)sym.Value));
                var fields = new uint[defSize / 4];
                for (int i = 0; i < fields.Length; i++) fields[i] = r.ReadUInt32();
                var map = new MapSpec
                {
                    Name = sym.Name,
                    Type = (MapType)fields[0],
                    KeySize = fields[1],
                    ValueSize = fields[2],
                    MaxEntries = fields[3],
                    Flags = fields.Length > 4 ? fields[4] : 0,
                    SectionName = section.Name,
                    Kind = MapDefinitionKind.Legacy,
                };
                bySymbol[(section.Index, sym.Value)] = maps.Count;
                maps.Add(map);
                pending.Add((map, fields));
            }
        }
        ResolveExtraFields(pending, elf.FileName);
    }

    private static void ResolveExtraFields(List<(MapSpec Map, uint[] Fields)> legacy, string? fileName)
    {
        foreach (var (map, f) in legacy)
        {
            bool mapInMap = map.Type is MapType.ArrayOfMaps or MapType.HashOfMaps;
            // The kernel stores map fds in maps of maps; old loaders passed 4 whatever the definition said.
            if (mapInMap && map.ValueSize == 0) map.ValueSize = 4;
            if (f.Length == 7)
            {
                if (mapInMap) map.InnerMap = InnerByIndex(legacy, f[5], map, fileName);
                if ((map.Flags & MapSpec.FlagNumaNode) != 0) map.NumaNode = f[6];
                else map.Pinning = Iproute2Pinning(f[6]);
            }
            else if (f.Length >= 9)
            {
                map.Pinning = Iproute2Pinning(f[6]);
                if (mapInMap && f[7] != 0)
                {
                    var inner = legacy.FirstOrDefault(m => m.Fields[5] == f[7] && m.Map != map).Map
                        ?? throw new BpfFormatException($"map '{map.Name}' names inner map id {f[7]}, which no map has", fileName, map.SectionName);
                    map.InnerMap = inner;
                }
            }
        }
    }

    private static MapSpec InnerByIndex(List<(MapSpec Map, uint[] Fields)> legacy, uint index, MapSpec outer, string? fileName)
    {
        if (index >= (uint)legacy.Count || legacy[(int)index].Map == outer)
            throw new BpfFormatException($"map '{outer.Name}' names inner map #{index}, which does not exist", fileName, outer.SectionName);
        return legacy[(int)index].Map;
    }

    // iproute2: PIN_NONE 0, PIN_OBJECT_NS 1, PIN_GLOBAL_NS 2; other values are custom pinning ids we do not model.
    private static MapPinning Iproute2Pinning(uint value) => value switch
    {
        1 => MapPinning.ObjectNamespace,
        2 => MapPinning.GlobalNamespace,
        _ => MapPinning.None,
    };
}
