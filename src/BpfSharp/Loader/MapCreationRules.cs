
namespace BpfSharp.Loader;

/// <summary>
/// The sizes the kernel accepts when it creates a map, per map type, for the types whose rules are plain size
/// checks (checked against Linux 6.18 by MapCreationRulesKernelTests). Lets BpfSharp say offline that an object
/// will not load because the kernel refuses one of its maps, before any verification. Types not in the table
/// are not judged.
/// </summary>
public static class MapCreationRules
{
    private readonly record struct Rule(MapSizeRule Key, MapSizeRule Value, bool MaxEntriesPowerOfTwoPages = false);

    private static readonly Dictionary<MapType, Rule> Rules = new()
    {
        [MapType.Hash] = new(MapSizeRule.NonZero, MapSizeRule.NonZero),
        [MapType.PercpuHash] = new(MapSizeRule.NonZero, MapSizeRule.NonZero),
        [MapType.LruHash] = new(MapSizeRule.NonZero, MapSizeRule.NonZero),
        [MapType.LruPercpuHash] = new(MapSizeRule.NonZero, MapSizeRule.NonZero),
        [MapType.Array] = new(MapSizeRule.Four, MapSizeRule.NonZero),
        [MapType.PercpuArray] = new(MapSizeRule.Four, MapSizeRule.NonZero),
        [MapType.ProgArray] = new(MapSizeRule.Four, MapSizeRule.Four),
        [MapType.PerfEventArray] = new(MapSizeRule.Four, MapSizeRule.Four),
        [MapType.CgroupArray] = new(MapSizeRule.Four, MapSizeRule.Four),
        [MapType.ArrayOfMaps] = new(MapSizeRule.Four, MapSizeRule.Four),
        [MapType.HashOfMaps] = new(MapSizeRule.NonZero, MapSizeRule.Four),
        [MapType.StackTrace] = new(MapSizeRule.Four, MapSizeRule.MultipleOfEight),
        [MapType.Devmap] = new(MapSizeRule.Four, MapSizeRule.FourOrEight),
        [MapType.DevmapHash] = new(MapSizeRule.Four, MapSizeRule.FourOrEight),
        [MapType.Sockmap] = new(MapSizeRule.Four, MapSizeRule.FourOrEight),
        [MapType.Sockhash] = new(MapSizeRule.NonZero, MapSizeRule.FourOrEight),
        [MapType.ReuseportSockarray] = new(MapSizeRule.Four, MapSizeRule.FourOrEight),
        [MapType.Xskmap] = new(MapSizeRule.Four, MapSizeRule.Four),
        [MapType.Queue] = new(MapSizeRule.Zero, MapSizeRule.NonZero),
        [MapType.Stack] = new(MapSizeRule.Zero, MapSizeRule.NonZero),
        [MapType.BloomFilter] = new(MapSizeRule.Zero, MapSizeRule.NonZero),
        [MapType.Ringbuf] = new(MapSizeRule.Zero, MapSizeRule.Zero, MaxEntriesPowerOfTwoPages: true),
        [MapType.UserRingbuf] = new(MapSizeRule.Zero, MapSizeRule.Zero, MaxEntriesPowerOfTwoPages: true),
    };

    /// <summary>Whether the kernel's creation rules for <paramref name="type"/> are in the table.</summary>
    public static bool Covers(MapType type) => Rules.ContainsKey(type);

    /// <summary>
    /// Why the kernel refuses to create a map of these sizes, or null when it accepts them (or the type's rules
    /// are not in the table). Sizes are the ones the loader passes (after its fix-ups, e.g. ring buffers without
    /// key and value).
    /// </summary>
    public static string? WhyRefused(MapType type, uint keySize, uint valueSize, uint maxEntries)
    {
        if (!Rules.TryGetValue(type, out var rule)) return null;
        if (maxEntries == 0) return "max_entries must not be zero";
        if (Check(rule.Key, keySize) is { } key) return $"the key size must be {key} (it is {keySize})";
        if (Check(rule.Value, valueSize) is { } value) return $"the value size must be {value} (it is {valueSize})";
        if (rule.MaxEntriesPowerOfTwoPages && (maxEntries % 4096 != 0 || (maxEntries & (maxEntries - 1)) != 0))
            return $"max_entries must be a power of two multiple of the page size (it is {maxEntries})";
        return null;
    }

    private static string? Check(MapSizeRule rule, uint size) => rule switch
    {
        MapSizeRule.Zero when size != 0 => "0",
        MapSizeRule.NonZero when size == 0 => "non-zero",
        MapSizeRule.Four when size != 4 => "4",
        MapSizeRule.FourOrEight when size is not (4 or 8) => "4 or 8",
        MapSizeRule.MultipleOfEight when size == 0 || size % 8 != 0 => "a non-zero multiple of 8",
        _ => null,
    };
}
