using BpfSharp.Isa;
using BpfSharp.Loader;
using BpfSharp.Runtime;
using BpfSharp.Runtime.Maps;

namespace BpfSharp.Tests.Runtime.Maps;

public class RedirectTargetMapTests
{
    private const string RedirectThroughSlot0 = "r1 = map[tx] ll\nr2 = 0\nr3 = 2\ncall bpf_redirect_map\nexit";

    private static ProgramRunner Runner(out RedirectTargetMap map)
    {
        var mapSpec = Specs.Of(MapType.Devmap, 4, 4, 4, name: "tx");
        var program = new ProgramSpec
        {
            Name = "prog", SectionName = "xdp", Type = ProgramType.Xdp, Maps = [mapSpec],
            Instructions = Assembler.Assemble(RedirectThroughSlot0, new MapSymbols(["tx"])),
        };
        var runner = ProgramRunner.Create(new ObjectSpec { Programs = [program], Maps = [mapSpec] }, program);
        map = (RedirectTargetMap)runner.Maps["tx"];
        return runner;
    }

    private static readonly byte[] Frame = [.. new byte[12], 0x08, 0x06, .. new byte[28]];

    [Fact]
    public void An_empty_slot_gives_the_fallback_action_in_the_flags()
    {
        var result = Runner(out _).Run(Frame);
        Assert.Equal(2UL, result.ReturnValue); // XDP_PASS from flags
        Assert.Null(result.Redirect);
    }

    [Fact]
    public void A_filled_slot_redirects_and_the_target_is_recorded()
    {
        var runner = Runner(out var map);
        Assert.Equal(0, map.Set(0, 3));
        var result = runner.Run(Frame);
        Assert.Equal(4UL, result.ReturnValue); // XDP_REDIRECT
        Assert.Equal("map tx[0] -> ifindex 3", result.Redirect);
        Assert.Equal(MapErrno.E2BIG, map.Set(4, 1));
    }
}
