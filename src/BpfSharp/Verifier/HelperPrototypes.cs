using System.Collections.Frozen;
using BpfSharp.Loader;

namespace BpfSharp.Verifier;

/// <summary>
/// The kernel's helper prototypes (<c>struct bpf_func_proto</c>) for helper ids 1..211 of Linux 6.18, which of them
/// each program type gets, and which helper ids each program type may call on the reference kernel.
/// </summary>
/// <remarks>
/// Prototypes come from the kernel sources (see the header of <c>HelperPrototypes.Data.cs</c>). Availability is
/// what Linux 6.18.44 answered, as root, on the machine the table was generated on (see
/// <c>HelperPrototypes.Availability.cs</c>): it includes that kernel's configuration and lockdown, so e.g.
/// bpf_override_return (no CONFIG_BPF_KPROBE_OVERRIDE) and bpf_probe_write_user (lockdown) are unavailable there.
/// </remarks>
public static partial class HelperPrototypes
{
    // Built on first use: static initializers of a partial class run in an order across files that nothing fixes.
    private static HelperPrototype?[]? canonical;
    private static FrozenDictionary<string, HelperPrototype>? byKernelName;

    private static HelperPrototype?[] Canonical => canonical ??= BuildCanonical();

    private static FrozenDictionary<string, HelperPrototype> ByKernelName =>
        byKernelName ??= AllPrototypes.ToFrozenDictionary(p => p.KernelName, StringComparer.Ordinal);

    /// <summary>The highest helper id Linux 6.18 knows (the list is frozen; new functionality comes as kfuncs).</summary>
    public const int MaxId = 211;

    /// <summary>Every prototype of every helper id, variants included.</summary>
    public static IReadOnlyList<HelperPrototype> All => AllPrototypes;

    /// <summary>
    /// The prototype of helper <paramref name="id"/>: the kernel's <c>bpf_&lt;name&gt;_proto</c>, or the variant most
    /// program types use. Null for id 0 and ids the kernel does not have.
    /// </summary>
    public static HelperPrototype? Get(int id) => (uint)id < (uint)Canonical.Length ? Canonical[id] : null;

    /// <summary>
    /// The prototype the kernel gives a program of <paramref name="type"/> (and <paramref name="attach"/>) for helper
    /// <paramref name="id"/>, e.g. <c>bpf_get_stackid_proto_pe</c> for perf_event programs. This does not say whether
    /// the type may call it: see <see cref="IsAvailable"/>.
    /// </summary>
    public static HelperPrototype? Get(ProgramType type, AttachType? attach, int id)
    {
        HelperPrototype? found = null;
        foreach (var v in VariantTable)
        {
            if (v.Type != type || v.Id != id) continue;
            if (v.Attach.Length == 0) found ??= ByKernelName[v.Prototype];
            else if (attach is { } a && Array.IndexOf(v.Attach, a) >= 0) return ByKernelName[v.Prototype];
        }
        return found ?? Get(id);
    }

    /// <summary>All prototypes of helper <paramref name="id"/>, the one <see cref="Get(int)"/> returns first.</summary>
    public static IReadOnlyList<HelperPrototype> Variants(int id) => AllPrototypes.Where(p => p.Id == id).ToArray();

    /// <summary>The prototype with the kernel's object name, e.g. <c>bpf_skb_event_output_proto</c>; null if unknown.</summary>
    public static HelperPrototype? ByName(string kernelName) => ByKernelName.GetValueOrDefault(kernelName);

    /// <summary>
    /// True when a program of <paramref name="type"/> with expected attach type <paramref name="attach"/> may call
    /// helper <paramref name="id"/> (its arguments still have to pass). Helpers that only sleepable programs may
    /// call, or whose <c>allowed</c> callback refused the generator's program, count as not available: see
    /// <see cref="Availability"/> for the finer answer.
    /// </summary>
    public static bool IsAvailable(ProgramType type, AttachType? attach, int id) =>
        Availability(type, attach, id) == HelperAvailability.Available;

    /// <summary>
    /// What the reference kernel answered to a call of helper <paramref name="id"/> from a program of
    /// <paramref name="type"/>/<paramref name="attach"/>. An attach type the table has no row for falls back to the
    /// type's row without attach type, then to the type's first row; a type with no row at all is unavailable.
    /// </summary>
    public static HelperAvailability Availability(ProgramType type, AttachType? attach, int id)
    {
        if (id <= 0 || id > MaxId) return HelperAvailability.Unavailable;
        var row = FindAvailabilityRow(type, attach);
        if (row is null) return HelperAvailability.Unavailable;
        return (HelperAvailability)((row.Value.Bits[id / 32] >> (id % 32 * 2)) & 3);
    }

    /// <summary>The (type, attach type) pairs the availability table was probed with.</summary>
    public static IEnumerable<(ProgramType Type, AttachType? Attach)> ProbedVariants =>
        AvailabilityRows.Select(r => (r.Type, r.Attach));

    private static (ProgramType Type, AttachType? Attach, ulong[] Bits)? FindAvailabilityRow(ProgramType type, AttachType? attach)
    {
        (ProgramType, AttachType?, ulong[])? untyped = null, first = null;
        foreach (var row in AvailabilityRows)
        {
            if (row.Type != type) continue;
            first ??= row;
            if (row.Attach == attach) return row;
            if (row.Attach is null) untyped ??= row;
        }
        return untyped ?? first;
    }

    private static HelperArgument A(ArgumentKind kind, HelperTypeFlags flags = HelperTypeFlags.None, int Size = 0, string? BtfType = null) =>
        kind == ArgumentKind.DontCare ? HelperArgument.DontCare : new(kind, flags, Size, BtfType);

    private static HelperArgument[] Args(params HelperArgument[] used)
    {
        var all = new HelperArgument[5];
        for (int i = 0; i < all.Length; i++) all[i] = i < used.Length ? used[i] : HelperArgument.DontCare;
        return all;
    }

    private static HelperPrototype?[] BuildCanonical()
    {
        var table = new HelperPrototype?[MaxId + 1];
        foreach (var p in AllPrototypes) table[p.Id] ??= p;
        return table;
    }
}
