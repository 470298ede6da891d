namespace BpfSharp.Loader;

/// <summary>Options for <see cref="ObjectLoader"/>.</summary>
public sealed class LoadOptions
{
    /// <summary>
    /// Program type for every program, for objects whose section names say nothing (old cilium objects use
    /// <c>2/7</c> and <c>from-netdev</c>); overrides the section name.
    /// </summary>
    public ProgramType? ProgramType { get; init; }

    /// <summary>Expected attach type to use with <see cref="ProgramType"/>.</summary>
    public AttachType? AttachType { get; init; }

    /// <summary>Per-program types, keyed by program name or section name; they win over <see cref="ProgramType"/>.</summary>
    public IReadOnlyDictionary<string, ProgramType> ProgramTypes { get; init; } = new Dictionary<string, ProgramType>();
}
