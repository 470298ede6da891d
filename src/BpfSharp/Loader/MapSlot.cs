namespace BpfSharp.Loader;

/// <summary>
/// An initial entry of a prog array or map-in-map declared in the object (libbpf's <c>.values = { [3] = &amp;prog }</c>).
/// </summary>
/// <param name="Index">The key (array index) of the entry.</param>
/// <param name="Target">The name of the program or map the entry holds.</param>
public readonly record struct MapSlot(uint Index, string Target);
