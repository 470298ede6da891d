using BpfSharp.Tests.TestSupport;
using BpfSharp.Verifier;

namespace BpfSharp.Tests.Verifier;

/// <summary>Re-probes every read through each socket pointer type and compares the kernel's answers with the tables.</summary>
public class SockFieldsKernelTests
{
    public static TheoryData<string> Sources()
    {
        var data = new TheoryData<string>();
        foreach (var s in SockAccessProbe.Sources) data.Add(s.Type.ToString());
        return data;
    }

    [KernelTheory]
    [MemberData(nameof(Sources))]
    public void The_kernel_agrees_with_the_socket_field_table(string type)
    {
        var source = SockAccessProbe.Sources.Single(s => s.Type.ToString() == type);
        var layout = SockFields.Layout(source.Type);
        Assert.NotNull(layout);
        int limit = SockAccessProbe.ProbeLimit(source);
        Assert.Equal(limit - 8, layout.Size);
        var matrix = SockAccessProbe.Matrix(source, limit);
        var mismatches = ContextAccessProbe.Mismatches(layout.Fields, matrix, limit);
        // The engine's entry point answers as the kernel, also before the struct and far past it.
        using var map = SockAccessProbe.CreateMap(source);
        foreach (int off in Enumerable.Range(-8, 8).Concat(Enumerable.Range(limit, 64)))
            foreach (int size in ContextAccessProbe.Sizes)
            {
                bool kernel = SockAccessProbe.Accepts(source, map, off, size);
                if (SockFields.IsValidRead(source.Type, off, size) != kernel)
                    mismatches.Add($"read off={off} size={size}: kernel {(kernel ? "accepts" : "rejects")}");
            }
        for (int off = 0; off < limit; off++)
            for (int s = 0; s < 4; s++)
                if (SockFields.IsValidRead(source.Type, off, ContextAccessProbe.Sizes[s]) != matrix[off, s, 0])
                    mismatches.Add($"IsValidRead off={off} size={ContextAccessProbe.Sizes[s]}: kernel {(matrix[off, s, 0] ? "accepts" : "rejects")}");
        Assert.True(mismatches.Count == 0, $"{source}: {string.Join("; ", mismatches.Take(20))}");
    }

    [Fact]
    public void Every_socket_pointer_type_has_a_probed_table()
    {
        Assert.Equal(
            SockAccessProbe.Sources.Select(s => s.Type).Order(),
            SockFields.Layouts.Select(l => l.Type).Order());
        Assert.False(SockFields.IsValidRead(RegType.MapValue, 0, 4));
    }
}
