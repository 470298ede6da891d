using BpfSharp.Loader;
using BpfSharp.Tests.TestSupport;
using BpfSharp.Verifier;

namespace BpfSharp.Tests.Verifier;

/// <summary>Rewrites src/BpfSharp/Verifier/ContextTables.Data.cs from the running kernel's answers.</summary>
public class ContextTablesGenerator
{
    [RegenerateFact]
    public void Regenerate_the_context_tables()
    {
        var layouts = new List<ContextLayout>();
        var notes = new List<string>();
        var failures = new List<string>();
        foreach (var program in HelperProbeProgram.All)
        {
            if (program.WhyNotLoadable() is { } why) { notes.Add($"Not loadable there, so no row: {program} ({why})"); continue; }
            int limit = ContextAccessProbe.ProbeLimit(program.Type);
            var matrix = ContextAccessProbe.Matrix(program, limit);
            string? structName = ContextAccessProbe.StructName(program.Type);
            var members = structName is null ? ContextAccessProbe.UntypedMembers(program.Type) : ContextAccessProbe.Members(structName);
            int extent = 0, start = limit;
            for (int off = 0; off < limit; off++)
                for (int s = 0; s < 4; s++)
                    if (matrix[off, s, 0] || matrix[off, s, 1])
                    {
                        extent = Math.Max(extent, off + ContextAccessProbe.Sizes[s]);
                        start = Math.Min(start, off);
                    }
            // Tracing contexts are the target's arguments, one u64 slot each.
            if (program.Type is ProgramType.Tracing or ProgramType.Lsm)
                members = Enumerable.Range(0, (extent + 7) / 8).Select(i => new ContextAccessProbe.Member($"arg{i}", i * 8, 8, 8)).ToList();
            // The syscall context is as large as the caller's buffer: the kernel takes any aligned offset below U16_MAX.
            int size = program.Type == ProgramType.Syscall ? ushort.MaxValue + 1 : structName is null ? extent : limit - 8;
            var fields = ContextAccessProbe.Fold(program, matrix, limit, members, start, program.Type == ProgramType.Syscall ? ushort.MaxValue : extent);
            string name = structName ?? program.Type switch
            {
                ProgramType.Tracepoint => "tracepoint record (u64 common header, then fields)",
                ProgramType.RawTracepoint => "bpf_raw_tracepoint_args (u64 args[])",
                ProgramType.RawTracepointWritable => "bpf_raw_tracepoint_args (u64 args[]; args[0] is the tracepoint's writable buffer)",
                ProgramType.Syscall => "syscall program buffer",
                _ => $"u64 arguments of {program.Target}",
            };
            if (program.Type == ProgramType.Syscall) fields = [fields.Single() with { Size = size - fields[0].Offset, ElementSize = 0 }];
            var layout = new ContextLayout(program.Type, program.Attach, name, size, fields);
            var mismatches = ContextAccessProbe.Mismatches(layout, matrix, limit);
            if (mismatches.Count > 0) failures.Add($"{program}: {string.Join("; ", mismatches.Take(12))}");
            layouts.Add(layout);
        }
        notes.Add("Syscall: probed to offset 512 (and near 32767 by the tests); beyond, the kernel's rule (any aligned offset below 65535) is taken.");
        notes.Add("Tracing and LSM rows describe their attach targets (tp_btf sched_switch, iter task, lsm file_open); other targets have other arguments.");
        string path = Path.Combine(TestObjects.RepositoryRoot, "src/BpfSharp/Verifier/ContextTables.Data.cs");
        File.WriteAllText(path, ContextAccessProbe.Generate(layouts, notes));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
