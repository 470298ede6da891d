using BpfSharp.Loader;

namespace BpfSharp.Runtime.Maps;

/// <summary>
/// Whether a map may be stored in an array or hash of maps: like the kernel's meta check, it must have the inner
/// template's type, key and value sizes and flags, and its max_entries unless the template has BPF_F_INNER_MAP.
/// </summary>
public static class InnerMapCompatibility
{
    /// <summary>Why <paramref name="candidate"/> does not fit <paramref name="template"/>, or null when it does.</summary>
    public static string? WhyIncompatible(MapSpec template, BpfMap candidate)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(candidate);
        if (candidate.Type != template.Type) return $"type {KernelNames.Of(candidate.Type)} is not the inner map's {KernelNames.Of(template.Type)}";
        if (candidate.KeySize != template.KeySize) return $"key size {candidate.KeySize} is not the inner map's {template.KeySize}";
        if (candidate.ValueSize != template.ValueSize) return $"value size {candidate.ValueSize} is not the inner map's {template.ValueSize}";
        if (candidate.Flags != template.Flags) return $"flags 0x{candidate.Flags:x} are not the inner map's 0x{template.Flags:x}";
        if (candidate.MaxEntries != template.MaxEntries && (template.Flags & MapFlags.InnerMap) == 0)
            return $"max_entries {candidate.MaxEntries} is not the inner map's {template.MaxEntries} (and BPF_F_INNER_MAP is not set)";
        return null;
    }
}
