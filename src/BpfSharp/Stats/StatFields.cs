using BpfSharp.Loader;

namespace BpfSharp.Stats;

/// <summary>
/// The table of veristat's statistics (names, aliases, titles, kinds, defaults) and the parser of its <c>-e</c> and
/// <c>-s</c> lists.
/// </summary>
/// <remarks>
/// The <c>-e</c>/<c>-s</c> syntax is veristat's: a comma-separated list (empty items skipped) of stat names or aliases,
/// each optionally wrapped in <c>|...|</c> (absolute value), suffixed by a comparison variant (<c>_a</c>, <c>_b</c>,
/// <c>_diff</c>, <c>_pct</c>) and then by a direction character: <c>^</c> ascending, or one of <c>v V . ! _</c>
/// descending. veristat has no <c>all</c> keyword and no <c>+</c>/<c>-</c> prefixes; an empty list means "the default
/// fields". BpfSharp also accepts <c>:asc</c> and <c>:desc</c> as the direction.
/// </remarks>
public static class StatFields
{
    // Index = enum value. Names, titles, default directions and the two default sets are veristat's.
    private static readonly StatFieldInfo[] Table =
    [
        new(StatField.FileName, "File", StatKind.Text, ["file_name", "filename", "file"],
            r => StatValue.FromText(r.FileBaseName), ascending: true, defaultTable: true),
        new(StatField.ProgramName, "Program", StatKind.Text, ["prog_name", "progname", "prog"],
            r => StatValue.FromText(r.ProgramName), ascending: true, defaultTable: true),
        new(StatField.Verdict, "Verdict", StatKind.Verdict, ["verdict"],
            r => StatValue.FromVerdict(r.Result.Verdict), ascending: true, defaultTable: true),
        new(StatField.Duration, "Duration (us)", StatKind.Number, ["duration", "dur"],
            r => StatValue.FromNumber(r.Duration), defaultTable: true, measurement: true),
        new(StatField.TotalInstructions, "Insns", StatKind.Number, ["total_insns", "insns"],
            r => StatValue.FromNumber(r.Result.TotalInstructions), defaultTable: true),
        new(StatField.TotalStates, "States", StatKind.Number, ["total_states", "states"],
            r => StatValue.FromNumber(r.Result.TotalStates), defaultTable: true),
        new(StatField.PeakStates, "Peak states", StatKind.Number, ["peak_states"],
            r => StatValue.FromNumber(r.Result.PeakStates)),
        new(StatField.MaxStatesPerInstruction, "Max states per insn", StatKind.Number, ["max_states_per_insn"],
            r => StatValue.FromNumber(r.Result.MaxStatesPerInstruction)),
        new(StatField.MarkRead, "Max mark read length", StatKind.Number, ["max_mark_read_len", "mark_read"],
            r => StatValue.FromNumber(r.Result.MarkRead)),
        new(StatField.ProgramSize, "Program size", StatKind.Number, ["prog_size"],
            r => StatValue.FromNumber(r.Result.ProgramSize), defaultTable: true),
        new(StatField.JitedSize, "Jited size", StatKind.Number, ["prog_size_jited"],
            r => StatValue.FromNumber(r.JitedSize), defaultTable: true),
        new(StatField.ProgramType, "Program type", StatKind.Text, ["prog_type"],
            r => StatValue.FromText(r.ProgramType),
            textToNumber: t => KernelNames.TryParse(t, out Loader.ProgramType type) ? (uint)type : null),
        new(StatField.AttachType, "Attach type", StatKind.Text, ["attach_type"],
            r => StatValue.FromText(r.AttachType),
            textToNumber: t => KernelNames.TryParse(t, out Loader.AttachType type) ? (uint)type : null),
        new(StatField.StackDepth, "Stack depth", StatKind.Number, ["stack_depth", "stack"],
            r => StatValue.FromNumber(r.Result.StackDepth)),
        new(StatField.MemoryPeak, "Peak memory (MiB)", StatKind.Number, ["mem_peak"],
            r => StatValue.FromNumber(r.MemoryPeakMiB), measurement: true, missingNumber: -1),
        new(StatField.ManagedAllocated, "Allocated (KiB)", StatKind.Number, ["mem_alloc"],
            r => StatValue.FromNumber(r.Result.ManagedAllocatedBytes / 1024), measurement: true, defaultCsv: false),
        new(StatField.RetainedPeak, "Retained (KiB)", StatKind.Number, ["mem_retained"],
            r => StatValue.FromNumber(r.Result.RetainedPeakBytes / 1024), measurement: true, defaultCsv: false),
    ];

    private static readonly (string Suffix, StatVariant Variant)[] VariantSuffixes =
    [
        ("_a", StatVariant.A), ("_b", StatVariant.B), ("_diff", StatVariant.Diff), ("_pct", StatVariant.Pct),
    ];

    // veristat's direction characters; ":asc"/":desc" are BpfSharp's spelling of the same.
    private static readonly (string Suffix, bool Ascending)[] DirectionSuffixes =
    [
        (":asc", true), (":desc", false),
        ("^", true), ("v", false), ("V", false), (".", false), ("!", false), ("_", false),
    ];

    /// <summary>Every stat, in <see cref="StatField"/> order (veristat's default CSV order).</summary>
    public static IReadOnlyList<StatFieldInfo> All => Table;

    /// <summary>veristat's default table columns: file, program, verdict, duration, insns, states, program size, jited size.</summary>
    public static IReadOnlyList<StatField> DefaultTable { get; } =
        Table.Where(f => f.InDefaultTable).Select(f => f.Field).ToArray();

    /// <summary>veristat's default CSV columns: every stat.</summary>
    public static IReadOnlyList<StatField> DefaultCsv { get; } =
        Table.Where(f => f.InDefaultCsv).Select(f => f.Field).ToArray();

    /// <summary>The descriptor of <paramref name="field"/>.</summary>
    public static StatFieldInfo Get(StatField field) =>
        (uint)field < (uint)Table.Length ? Table[(int)field] : throw new ArgumentOutOfRangeException(nameof(field), field, "Not a stat.");

    /// <summary>Looks up a stat by its name or alias, exactly (case-sensitive, no variant or direction suffix).</summary>
    public static bool TryParse(string? name, out StatField field)
    {
        foreach (var info in Table)
        {
            if (info.Names.Contains(name))
            {
                field = info.Field;
                return true;
            }
        }
        field = default;
        return false;
    }

    /// <summary>
    /// Parses a <c>-e</c> list into the fields to show, in order (duplicates kept, as veristat does). Direction and
    /// variant suffixes are accepted and ignored, as veristat does. An empty result means "use the defaults".
    /// </summary>
    /// <exception cref="StatsUsageException">An item is not a stat name.</exception>
    public static IReadOnlyList<StatField> ParseEmit(string spec) => ParseSpecs(spec).Select(s => s.Field).ToArray();

    /// <summary>
    /// Parses a <c>-s</c> list into sort keys. A key without a direction takes the stat's
    /// <see cref="StatFieldInfo.AscendingByDefault"/>; without a variant, <see cref="StatVariant.B"/>.
    /// </summary>
    /// <exception cref="StatsUsageException">An item is not a stat name.</exception>
    public static IReadOnlyList<StatSpec> ParseSort(string spec) => ParseSpecs(spec);

    /// <summary>The suffix that selects <paramref name="variant"/> (<c>_a</c>, <c>_b</c>, <c>_diff</c>, <c>_pct</c>).</summary>
    public static string VariantSuffix(StatVariant variant) => VariantSuffixes.First(v => v.Variant == variant).Suffix;

    private static StatSpec[] ParseSpecs(string spec)
    {
        var specs = new List<StatSpec>();
        foreach (var item in spec.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            string name = item;
            bool? ascending = null;
            foreach (var (suffix, isAscending) in DirectionSuffixes)
            {
                // A lone direction character is a name, not a direction (veristat needs at least two characters).
                if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.Ordinal))
                {
                    name = name[..^suffix.Length];
                    ascending = isAscending;
                    break;
                }
            }
            if (!TryParseStat(name, out var field, out var variant, out bool absolute))
            {
                throw new StatsUsageException($"Unrecognized stat name '{item}'", item);
            }
            specs.Add(new StatSpec(field, ascending ?? Get(field).AscendingByDefault, variant, absolute));
        }
        return specs.ToArray();
    }

    /// <summary>Parses <c>[|]name[_variant][|]</c>: a stat name or alias with optional variant and absolute bars.</summary>
    internal static bool TryParseStat(string name, out StatField field, out StatVariant variant, out bool absolute)
    {
        absolute = name.Length > 2 && name[0] == '|' && name[^1] == '|';
        if (absolute) name = name[1..^1];
        variant = StatVariant.B;
        if (TryParse(name, out field)) return true;
        foreach (var (suffix, suffixVariant) in VariantSuffixes)
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && TryParse(name[..^suffix.Length], out field))
            {
                variant = suffixVariant;
                return true;
            }
        }
        return false;
    }
}
