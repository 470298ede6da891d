namespace BpfSharp.Benchmarks;

/// <summary>Where the benchmarks find the repository's samples and the shared corpus beside it.</summary>
internal static class Paths
{
    /// <summary>The directory holding BpfSharp.slnx, found by walking up from the binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BpfSharp.slnx"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
