using System.Diagnostics;
using BpfSharp.Binary;
using BpfSharp.Btf;
using Xunit.Abstractions;

namespace BpfSharp.Tests.Btf;

/// <summary>The running kernel's own BTF: large (100k+ types) and uses every modern kind.</summary>
public class BtfKernelTests(ITestOutputHelper output)
{
    [KernelBtfFact]
    public void RunningKernelBtfParses()
    {
        byte[] data = File.ReadAllBytes(KernelBtfFactAttribute.Path);
        var clock = Stopwatch.StartNew();
        var spec = BtfSpec.Parse(data, new FormatLocation(KernelBtfFactAttribute.Path, ".BTF"));
        var parse = clock.Elapsed;

        var kinds = new Dictionary<BtfKind, int>();
        for (uint id = 0; id < spec.Count; id++)
        {
            var kind = spec.KindOf(id);
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
        }
        output.WriteLine($"{spec.Count} types, parsed in {parse.TotalMilliseconds:F0} ms; {string.Join(", ", kinds.OrderBy(k => k.Key).Select(k => $"{k.Key}={k.Value}"))}");
        Assert.True(spec.Count > 10_000);
        Assert.True(kinds.GetValueOrDefault(BtfKind.Struct) > 1000);
        Assert.True(kinds.GetValueOrDefault(BtfKind.Func) > 1000);

        Assert.True(spec.TryFind("task_struct", BtfKind.Struct, out uint task));
        Assert.True(spec.SizeOf(task) > 1000);
        Assert.Contains(spec.Members(task), m => m.Name == "pid");
        Assert.True(spec.TryFind("__sk_buff", BtfKind.Struct, out uint skb));
        Assert.Equal("struct __sk_buff", spec.Format(skb));
        Assert.True(spec.TryFind("bpf_map_type", BtfKind.Enum, out uint mapType));
        Assert.Contains(spec.EnumValues(mapType), v => v.Name == "BPF_MAP_TYPE_HASH" && v.Value == 1);
        Assert.True(spec.TryFind("u32", BtfKind.Typedef, out uint u32));
        Assert.Equal(4u, spec.SizeOf(u32));

        clock.Restart();
        BtfMutationTests.Exercise(spec, "vmlinux");
        output.WriteLine($"all queries over every type: {clock.Elapsed.TotalMilliseconds:F0} ms");
    }
}
