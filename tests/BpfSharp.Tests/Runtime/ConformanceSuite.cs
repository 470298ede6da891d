namespace BpfSharp.Tests.Runtime;

/// <summary>
/// Locates the eBPF conformance tests: <c>../shared/conformance/tests</c> next to the repository root (the
/// directory holding BpfSharp.slnx), as <see cref="TestSupport.TestCorpus"/> finds the corpus.
/// </summary>
internal static class ConformanceSuite
{
    private static readonly Lazy<string?> Root = new(Find);

    /// <summary>The tests directory, or null when absent.</summary>
    public static string? Directory => Root.Value;

    /// <summary>Why conformance tests are skipped, or null when the suite is present.</summary>
    public static string? SkipReason => Directory is null
        ? "conformance suite not found (expected ../shared/conformance/tests next to the repository root); conformance tests skipped"
        : null;

    /// <summary>File names of every test, sorted (empty when the suite is absent).</summary>
    public static IReadOnlyList<string> Files => Directory is null
        ? []
        : System.IO.Directory.EnumerateFiles(Directory, "*.data").Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal).ToList();

    /// <summary>The test names as theory data; one placeholder row when the suite is absent (the theory is skipped).</summary>
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var f in Files) data.Add(f);
        if (Files.Count == 0) data.Add("(suite absent)");
        return data;
    }

    public static string PathOf(string name) => Path.Combine(Directory!, name);

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BpfSharp.slnx")))
            {
                string tests = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "conformance", "tests"));
                return System.IO.Directory.Exists(tests) ? tests : null;
            }
        }
        return null;
    }
}
