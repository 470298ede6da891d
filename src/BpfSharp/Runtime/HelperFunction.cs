namespace BpfSharp.Runtime;

/// <summary>One entry of a <see cref="HelperTable"/>: the kernel's helper id, its name and the implementation.</summary>
/// <param name="Id">The helper id (the immediate of <c>call</c>).</param>
/// <param name="Name">The kernel's name (<c>bpf_map_lookup_elem</c>).</param>
/// <param name="Implementation">The code.</param>
public sealed record HelperFunction(int Id, string Name, HelperImplementation Implementation);
