using BpfSharp.Kernel;
using BpfSharp.Loader;
using BpfSharp.Tests.TestSupport;
using Xunit.Abstractions;

namespace BpfSharp.Tests.Loader;

/// <summary>The map size rules BpfSharp judges offline, and proof that they are the running kernel's.</summary>
public class MapCreationRulesTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(MapType.Array, 8u, 4u, 1u, "the key size must be 4 (it is 8)")]
    [InlineData(MapType.Array, 4u, 0u, 1u, "the value size must be non-zero (it is 0)")]
    [InlineData(MapType.Hash, 4u, 4u, 0u, "max_entries must not be zero")]
    [InlineData(MapType.PerfEventArray, 4u, 84u, 2u, "the value size must be 4 (it is 84)")]
    [InlineData(MapType.Ringbuf, 0u, 0u, 5000u, "max_entries must be a power of two multiple of the page size (it is 5000)")]
    public void A_map_the_kernel_refuses_is_named_with_the_reason(MapType type, uint key, uint value, uint max, string why) =>
        Assert.Equal(why, MapCreationRules.WhyRefused(type, key, value, max));

    [Theory]
    [InlineData(MapType.Array, 4u, 84u, 1u)]
    [InlineData(MapType.Hash, 100u, 1u, 4096u)]
    [InlineData(MapType.Ringbuf, 0u, 0u, 8192u)]
    [InlineData(MapType.LpmTrie, 0u, 0u, 0u)]
    public void Accepted_or_unjudged_maps_have_no_reason(MapType type, uint key, uint value, uint max) =>
        Assert.Null(MapCreationRules.WhyRefused(type, key, value, max));

    [KernelFact]
    public void The_rules_are_the_running_kernels()
    {
        uint[] keys = [0, 1, 4, 8, 16];
        uint[] values = [0, 1, 4, 8, 16, 84];
        var differences = new List<string>();
        int checkedCount = 0;
        using var inner = KernelMap.Create(MapType.Array, 4, 4, 1);
        foreach (var type in Enum.GetValues<MapType>().Where(MapCreationRules.Covers))
        {
            uint[] maxes = type is MapType.Ringbuf or MapType.UserRingbuf ? [0, 4096, 8192, 12288] : [0, 1, 4096];
            foreach (var key in keys)
            foreach (var value in values)
            foreach (var max in maxes)
            {
                bool kernel;
                try
                {
                    using var map = KernelMap.Create(type, key, value, max, 0, "rules",
                        type is MapType.ArrayOfMaps or MapType.HashOfMaps ? inner.Fd : null);
                    kernel = true;
                }
                catch (KernelException)
                {
                    kernel = false;
                }
                checkedCount++;
                string? ours = MapCreationRules.WhyRefused(type, key, value, max);
                if (kernel != (ours is null))
                    differences.Add($"{KernelNames.Of(type)} key {key} value {value} max {max}: kernel {(kernel ? "creates it" : "refuses it")}, BpfSharp says {ours ?? "fine"}");
            }
        }
        output.WriteLine($"{checkedCount} map shapes compared");
        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }
}
