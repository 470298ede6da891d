namespace BpfSharp.Isa;

/// <summary>A simple <see cref="IProgramSymbols"/> over an ordered list of map names (index = position).</summary>
public sealed class MapSymbols : IProgramSymbols
{
    private readonly IReadOnlyList<string> _names;
    private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);

    /// <summary>Creates symbols for maps named <paramref name="names"/>, in index order.</summary>
    public MapSymbols(IReadOnlyList<string> names)
    {
        _names = names;
        for (int i = 0; i < names.Count; i++) _byName.TryAdd(names[i], i);
    }

    /// <inheritdoc/>
    public string? MapName(int index) => (uint)index < (uint)_names.Count ? _names[index] : null;

    /// <inheritdoc/>
    public bool TryGetMapIndex(string name, out int index) => _byName.TryGetValue(name, out index);
}
