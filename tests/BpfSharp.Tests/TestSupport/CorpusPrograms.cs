using BpfSharp.Loader;

namespace BpfSharp.Tests.TestSupport;

/// <summary>
/// The programs of the corpus objects, folder by folder, loaded the way a user would load them with the CLI:
/// OVS's datapath.o names its sections after actions and the targeted samples of build/ name theirs "test",
/// so they are given a type as <c>stat --prog-type sched_cls</c> and <c>--prog-type xdp</c> would.
/// </summary>
internal static class CorpusPrograms
{
    /// <summary>Folders of valid objects whose programs are compared with the kernel.</summary>
    public static readonly string[] Folders = ["build", "cilium-examples", "linux", "new_linux", "ovs", "prototype-kernel", "suricata"];

    /// <summary>Program type given on the command line for a folder, as a user would.</summary>
    public static ProgramType? TypeOverride(string folder) => folder switch
    {
        "ovs" => ProgramType.SchedCls,
        "build" => ProgramType.Xdp,
        _ => null,
    };

    /// <summary>Every (corpus-relative path, object, program) of <paramref name="folder"/>, in a stable order.</summary>
    public static IEnumerable<(string Path, ObjectSpec Object, ProgramSpec Program)> In(string folder)
    {
        string dir = System.IO.Path.Combine(TestCorpus.Directory!, folder);
        if (!Directory.Exists(dir)) yield break;
        var options = TypeOverride(folder) is { } type ? new LoadOptions { ProgramType = type } : null;
        foreach (var file in Directory.EnumerateFiles(dir, "*.o", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var obj = ObjectLoader.LoadFile(file, options);
            string relative = System.IO.Path.GetRelativePath(TestCorpus.Directory!, file).Replace('\\', '/');
            foreach (var program in obj.Programs) yield return (relative, obj, program);
        }
    }
}
