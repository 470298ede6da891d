namespace BpfSharp.Tests.TestSupport;

/// <summary>
/// Locates the shared corpus of compiled BPF objects: <c>../shared/corpus</c> next to the repository root (the
/// directory holding BpfSharp.slnx, found by walking up from the test binaries).
/// </summary>
internal static class TestCorpus
{
    private static readonly Lazy<string?> Root = new(FindCorpus);

    /// <summary>The corpus directory, or null when it is not present.</summary>
    public static string? Directory => Root.Value;

    /// <summary>Why corpus tests are skipped, or null when the corpus is present.</summary>
    public static string? SkipReason => Directory is null
        ? "BPF object corpus not found (expected ../shared/corpus next to the repository root); corpus tests skipped"
        : null;

    /// <summary>Corpus-relative paths of the objects that carry a .BTF section, sorted.</summary>
    public static IReadOnlyList<string> ObjectsWithBtf => BtfObjects.Value;

    private static readonly Lazy<IReadOnlyList<string>> BtfObjects = new(() =>
        Directory is null
            ? []
            : System.IO.Directory.EnumerateFiles(Directory, "*.o", SearchOption.AllDirectories)
                .Where(path => TestObjects.Section(path, ".BTF") is not null)
                .Select(path => Path.GetRelativePath(Directory, path).Replace('\\', '/'))
                .Order(StringComparer.Ordinal)
                .ToList());

    public static string PathOf(string relative) => Path.Combine(Directory!, relative);

    private static string? FindCorpus()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BpfSharp.slnx")))
            {
                string corpus = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "corpus"));
                return System.IO.Directory.Exists(corpus) ? corpus : null;
            }
        }
        return null;
    }
}
