using BpfSharp.Isa;
using BpfSharp.Loader;
using BpfSharp.Stats;
using BpfSharp.Verifier;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// A map the kernel would refuse to create keeps a program from the verifier only when the program references it,
/// as with the loader (a refused map that another program of the object uses does not matter).
/// </summary>
public class RefusedMapTests
{
    private static readonly MapSpec Refused = new() { Name = "rb", Type = MapType.Ringbuf, MaxEntries = 8, SectionName = ".maps" };
    private static readonly MapSpec Fine = new() { Name = "arr", Type = MapType.Array, KeySize = 4, ValueSize = 8, MaxEntries = 1, SectionName = ".maps" };

    private static VerificationResult Verify(string text)
    {
        var program = new ProgramSpec
        {
            Name = "prog", SectionName = "socket", Type = ProgramType.SocketFilter, Maps = [Refused, Fine], License = "GPL",
            Instructions = Assembler.Assemble(text, new MapSymbols(["rb", "arr"])),
        };
        return BpfVerifier.Verify(new ObjectSpec { Programs = [program], Maps = [Refused, Fine] }, program).Result;
    }

    [Fact]
    public void An_unreferenced_refused_map_does_not_stop_verification()
    {
        var r = Verify("r1 = map[arr] ll\nr0 = 0\nexit");
        Assert.Equal(Verdict.Success, r.Verdict);
    }

    [Fact]
    public void A_referenced_refused_map_means_not_verified_with_the_reason()
    {
        var r = Verify("r1 = map[rb] ll\nr0 = 0\nexit");
        Assert.Equal(Verdict.NotVerified, r.Verdict);
        Assert.Contains("map 'rb'", r.Message);
        Assert.Contains("would be refused by the kernel", r.Message);
    }
}
