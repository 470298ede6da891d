using BpfSharp.Tests.TestSupport;
using BpfSharp.Verifier;

namespace BpfSharp.Tests.Verifier;

/// <summary>Rewrites src/BpfSharp/Verifier/SockFields.Data.cs from the running kernel's answers.</summary>
public class SockFieldsGenerator
{
    [RegenerateFact]
    public void Regenerate_the_socket_field_tables()
    {
        var layouts = new List<(SockAccessProbe.Source, SockLayout)>();
        var failures = new List<string>();
        foreach (var source in SockAccessProbe.Sources)
        {
            int limit = SockAccessProbe.ProbeLimit(source);
            var matrix = SockAccessProbe.Matrix(source, limit);
            var fields = SockAccessProbe.Fold(source, matrix, limit);
            var mismatches = ContextAccessProbe.Mismatches(fields, matrix, limit);
            if (mismatches.Count > 0) failures.Add($"{source}: {string.Join("; ", mismatches.Take(12))}");
            layouts.Add((source, new SockLayout(source.Type, source.StructName, limit - 8, fields)));
        }
        string path = Path.Combine(TestObjects.RepositoryRoot, "src/BpfSharp/Verifier/SockFields.Data.cs");
        File.WriteAllText(path, SockAccessProbe.Generate(layouts));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
