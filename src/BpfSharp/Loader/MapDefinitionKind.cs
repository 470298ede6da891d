namespace BpfSharp.Loader;

/// <summary>Where a map's definition came from.</summary>
public enum MapDefinitionKind : byte
{
    /// <summary>A struct bpf_map_def (or iproute2 bpf_elf_map) in a legacy <c>maps</c> section.</summary>
    Legacy,
    /// <summary>A BTF-described definition in the <c>.maps</c> section.</summary>
    Btf,
    /// <summary>A global data section (.data, .rodata*, .bss) turned into a one-element array.</summary>
    GlobalData,
    /// <summary>An inner map template of a map-in-map definition.</summary>
    InnerTemplate,
}
