using BpfSharp.Loader;
using BpfSharp.Tests.TestSupport;
using BpfSharp.Verifier;

namespace BpfSharp.Tests.Verifier;

/// <summary>Re-probes every context offset, size and direction and compares the kernel's answers with the tables.</summary>
public class ContextTablesKernelTests
{
    public static TheoryData<string> Programs()
    {
        var data = new TheoryData<string>();
        foreach (var p in HelperProbeProgram.All) data.Add(p.ToString());
        return data;
    }

    [KernelTheory]
    [MemberData(nameof(Programs))]
    public void The_kernel_agrees_with_the_context_table(string name)
    {
        var program = HelperProbeProgram.All.Single(p => p.ToString() == name);
        if (program.WhyNotLoadable() is not null)
        {
            Assert.DoesNotContain(ContextTables.Layouts, l => l.Type == program.Type && l.Attach == program.Attach);
            return;
        }
        var layout = ContextTables.Layouts.Single(l => l.Type == program.Type && l.Attach == program.Attach);
        int limit = ContextAccessProbe.ProbeLimit(program.Type);
        var mismatches = ContextAccessProbe.Mismatches(layout, ContextAccessProbe.Matrix(program, limit), limit);
        if (program.Type == ProgramType.Syscall)
        {
            // Far offsets: the largest a load's 16-bit offset reaches.
            foreach (int off in new[] { 32760, 32764, 32766, 32767 })
                foreach (int size in ContextAccessProbe.Sizes)
                    foreach (bool write in new[] { false, true })
                        if (ContextAccessProbe.Accepts(program, off, size, write) != ContextTables.Check(program.Type, program.Attach, off, size, write).Allowed)
                            mismatches.Add($"{(write ? "write" : "read")} off={off} size={size}");
        }
        Assert.True(mismatches.Count == 0, $"{name}: {string.Join("; ", mismatches.Take(20))}");
        // What a read yields, at the start of every readable field.
        foreach (var field in layout.Fields)
        {
            int size = new[] { 8, 4, 2, 1 }.FirstOrDefault(s => field.Allows(field.Offset, s, false));
            if (size == 0) continue;
            var kind = ContextAccessProbe.Kind(ContextAccessProbe.ReadType(program, field.Offset, size));
            Assert.Equal((field.Value, field.KernelType), kind);
        }
    }
}
