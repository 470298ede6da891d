using BpfSharp.Btf;
using BpfSharp.Elf;

namespace BpfSharp.Loader;

/// <summary>
/// Reads BTF-defined maps: each variable of the <c>.maps</c> DATASEC is a struct whose members encode the
/// definition in their types (libbpf's <c>__uint(name, N)</c> is a pointer to an array of N elements,
/// <c>__type(key, T)</c> a pointer to T, <c>__array(values, struct inner)</c> a flexible array of pointers to the
/// inner map's definition).
/// </summary>
internal static class BtfMapReader
{
    public const string SectionName = ".maps";

    public static void Read(ElfFile elf, BtfSpec btf, List<MapSpec> maps, Dictionary<(int Section, ulong Offset), int> bySymbol)
    {
        var section = elf.FindSection(SectionName);
        if (section is null || !btf.TryFind(SectionName, BtfKind.Datasec, out uint datasec)) return;

        // In an object file the DATASEC's offsets are not filled in yet (libbpf fixes them up from the symbol
        // table before loading), so each map's place in the section comes from its ELF symbol.
        var symbols = elf.Symbols.Where(s => s.SectionIndex == section.Index && s.Type == ElfSymbolType.Object)
            .GroupBy(s => s.Name).ToDictionary(g => g.Key, g => g.First());
        var byOffset = new Dictionary<ulong, (MapSpec Map, uint ValuesOffset)>();
        foreach (var v in btf.DatasecVars(datasec))
        {
            if (btf.KindOf(v.Type) != BtfKind.Var)
                throw Error(elf, $"DATASEC entry type {v.Type} is a {btf.KindOf(v.Type)}, not a variable", v.Offset);
            string name = btf.NameOf(v.Type);
            ulong offset = symbols.TryGetValue(name, out var sym) ? sym.Value : v.Offset;
            var (map, valuesOffset) = ParseDefinition(elf, btf, btf.TypeOf(v.Type), name, (uint)Math.Min(offset, uint.MaxValue));
            bySymbol[(section.Index, offset)] = maps.Count;
            byOffset[offset] = (map, valuesOffset);
            maps.Add(map);
        }
        ReadInitialSlots(elf, section, byOffset);
    }

    // libbpf's .values = { [i] = &prog_or_map } become R_BPF_64_ABS64 relocations inside the values array.
    private static void ReadInitialSlots(ElfFile elf, ElfSection section, Dictionary<ulong, (MapSpec Map, uint ValuesOffset)> byOffset)
    {
        var starts = byOffset.Where(e => e.Value.ValuesOffset != uint.MaxValue)
            .Select(e => (Start: e.Key + e.Value.ValuesOffset, e.Value.Map)).OrderBy(e => e.Start).ToArray();
        var slots = new Dictionary<MapSpec, List<MapSlot>>();
        foreach (var rel in elf.RelocationsFor(section.Index))
        {
            // The values array is the last member, so the owner is the closest array starting at or before the entry.
            int owner = Array.FindLastIndex(starts, e => e.Start <= rel.Offset);
            if (owner < 0 || (rel.Offset - starts[owner].Start) % 8 != 0) continue;
            var map = starts[owner].Map;
            if (!slots.TryGetValue(map, out var list)) slots[map] = list = [];
            list.Add(new MapSlot((uint)((rel.Offset - starts[owner].Start) / 8), elf.Symbols[rel.SymbolIndex].Name));
        }
        foreach (var (map, list) in slots) map.InitialSlots = list.OrderBy(s => s.Index).ToArray();
    }

    private static (MapSpec Map, uint ValuesOffset) ParseDefinition(ElfFile elf, BtfSpec btf, uint typeId, string name, uint offset)
    {
        uint def = btf.SkipModifiers(typeId);
        if (btf.KindOf(def) != BtfKind.Struct)
            throw Error(elf, $"map '{name}': definition is a {btf.KindOf(def)}, not a struct", offset);
        var map = new MapSpec { Name = name, Type = MapType.Unspec, SectionName = SectionName, Kind = MapDefinitionKind.Btf };
        uint valuesOffset = uint.MaxValue;
        foreach (var m in btf.Members(def))
        {
            switch (m.Name)
            {
                case "type": map.Type = (MapType)IntField(elf, btf, m, name, offset); break;
                case "max_entries": map.MaxEntries = IntField(elf, btf, m, name, offset); break;
                case "map_flags": map.Flags = IntField(elf, btf, m, name, offset); break;
                case "numa_node": map.NumaNode = IntField(elf, btf, m, name, offset); break;
                case "map_extra": map.MapExtra = IntField(elf, btf, m, name, offset); break;
                case "key_size": map.KeySize = IntField(elf, btf, m, name, offset); break;
                case "value_size": map.ValueSize = IntField(elf, btf, m, name, offset); break;
                case "pinning":
                    uint pin = IntField(elf, btf, m, name, offset);
                    map.Pinning = pin switch
                    {
                        0 => MapPinning.None,
                        1 => MapPinning.ByName,
                        _ => throw Error(elf, $"map '{name}': invalid pinning value {pin}", offset),
                    };
                    break;
                case "key":
                    map.BtfKeyTypeId = PointerTarget(elf, btf, m, name, offset);
                    map.KeySize = SizeOf(elf, btf, map.BtfKeyTypeId, m, name, offset);
                    break;
                case "value":
                    map.BtfValueTypeId = PointerTarget(elf, btf, m, name, offset);
                    map.ValueSize = SizeOf(elf, btf, map.BtfValueTypeId, m, name, offset);
                    break;
                case "values":
                    valuesOffset = m.BitOffset / 8;
                    map.InnerMap = InnerDefinition(elf, btf, m, name, offset);
                    break;
            }
        }
        // Maps of maps hold 4-byte map fds, prog arrays 4-byte prog fds: libbpf fills in the value size.
        if (map.InnerMap is not null || map.Type == MapType.ProgArray)
        {
            if (map.ValueSize == 0) map.ValueSize = 4;
            if (map.KeySize == 0 && map.Type is MapType.ArrayOfMaps or MapType.ProgArray) map.KeySize = 4;
        }
        return (map, valuesOffset);
    }

    private static MapSpec? InnerDefinition(ElfFile elf, BtfSpec btf, BtfMember member, string outer, uint offset)
    {
        uint array = btf.SkipModifiers(member.Type);
        if (btf.KindOf(array) != BtfKind.Array)
            throw Error(elf, $"map '{outer}': 'values' is a {btf.KindOf(array)}, not an array", offset);
        uint pointer = btf.SkipModifiers(btf.ArrayInfo(array).ElementType);
        if (btf.KindOf(pointer) != BtfKind.Ptr)
            throw Error(elf, $"map '{outer}': 'values' elements are not pointers", offset);
        uint target = btf.SkipModifiers(btf.TypeOf(pointer));
        // A prog array's values point at function prototypes; only a struct describes an inner map.
        if (btf.KindOf(target) != BtfKind.Struct) return null;
        var (inner, _) = ParseDefinition(elf, btf, target, outer + ".inner", offset);
        inner.Kind = MapDefinitionKind.InnerTemplate;
        return inner;
    }

    // __uint(name, N) is "int (*name)[N]": the number is the array length.
    private static uint IntField(ElfFile elf, BtfSpec btf, BtfMember member, string map, uint offset)
    {
        uint pointer = btf.SkipModifiers(member.Type);
        if (btf.KindOf(pointer) != BtfKind.Ptr)
            throw Error(elf, $"map '{map}': field '{member.Name}' is a {btf.KindOf(pointer)}, not a pointer to an array", offset);
        uint array = btf.SkipModifiers(btf.TypeOf(pointer));
        if (btf.KindOf(array) != BtfKind.Array)
            throw Error(elf, $"map '{map}': field '{member.Name}' points to a {btf.KindOf(array)}, not an array", offset);
        return btf.ArrayInfo(array).Length;
    }

    private static uint SizeOf(ElfFile elf, BtfSpec btf, uint type, BtfMember member, string map, uint offset) =>
        btf.TrySizeOf(type, out uint size)
            ? size
            : throw Error(elf, $"map '{map}': the type of '{member.Name}' ({btf.Format(type)}) has no size", offset);

    private static uint PointerTarget(ElfFile elf, BtfSpec btf, BtfMember member, string map, uint offset)
    {
        uint pointer = btf.SkipModifiers(member.Type);
        if (btf.KindOf(pointer) != BtfKind.Ptr)
            throw Error(elf, $"map '{map}': field '{member.Name}' is a {btf.KindOf(pointer)}, not a pointer", offset);
        return btf.TypeOf(pointer);
    }

    private static BpfFormatException Error(ElfFile elf, string reason, uint offset) =>
        new(reason, elf.FileName, SectionName, offset);
}
