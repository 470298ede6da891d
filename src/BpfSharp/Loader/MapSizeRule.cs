namespace BpfSharp.Loader;

/// <summary>What the kernel accepts for a key or value size when it creates a map of some type.</summary>
public enum MapSizeRule : byte
{
    /// <summary>Not checked here (the kernel may still have rules BpfSharp does not model).</summary>
    Any,
    /// <summary>Must be zero.</summary>
    Zero,
    /// <summary>Must not be zero.</summary>
    NonZero,
    /// <summary>Exactly four bytes (an index or a file descriptor).</summary>
    Four,
    /// <summary>Four or eight bytes (an fd, or an fd with extra data).</summary>
    FourOrEight,
    /// <summary>A non-zero multiple of eight (stack trace slots).</summary>
    MultipleOfEight,
}
