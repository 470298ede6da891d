using BpfSharp.Loader;
using BpfSharp.Stats;
using BpfSharp.Tests.TestSupport;
using BpfSharp.Verifier;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// Every verifier fixture run through BpfSharp's own verifier: the same verdict, error line and (where pinned)
/// statistics that the kernel gives (<see cref="KernelFixtureTests"/> proves the fixtures against the kernel).
/// </summary>
public class BpfVerifierFixtureTests
{
    public static TheoryData<string> Fixtures() => new(VerifierFixtures.Names());

    internal static VerifierOutcome Run(VerifierFixture fixture, int logLevel = 1)
    {
        var maps = fixture.Maps.Select(m => new MapSpec
        {
            Name = m.Name,
            Type = m.Type,
            KeySize = m.KeySize,
            ValueSize = m.ValueSize,
            MaxEntries = m.MaxEntries,
            Flags = m.Flags,
            SectionName = "maps",
        }).ToArray();
        return BpfVerifier.Verify(fixture.Instructions, fixture.ProgramType, maps,
            new VerifierOptions { LogLevel = logLevel }, fixture.AttachType, fixture.License);
    }

    /// <summary>
    /// Fixtures whose answer depends on the kernel's own BTF (vmlinux): BpfSharp verifies without a kernel and
    /// reports them unsupported, with this reason, rather than guessing.
    /// </summary>
    private static readonly Dictionary<string, string> NeedKernelBtf = new()
    {
        ["pointers/map_ptr_read_btf"] = "kernel's BTF",
        ["pointers/map_ptr_read_past_struct"] = "kernel's BTF",
        ["pointers/map_ptr_write_denied"] = "kernel's BTF",
        ["helpers/kfunc_unknown_btf_id"] = "kernel functions (kfuncs)",
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void BpfSharp_agrees_with_the_fixture(string name)
    {
        var fixture = VerifierFixtures.Load(name);
        var outcome = Run(fixture);
        var result = outcome.Result;
        if (NeedKernelBtf.TryGetValue(name, out var reason))
        {
            Assert.Equal(Verdict.Unsupported, result.Verdict);
            Assert.Contains(reason, result.Message);
            return;
        }
        Assert.True(result.Verdict != Verdict.Unsupported, $"{name}: unsupported: {result.Message}");
        string verdict = result.Verdict == Verdict.Success ? "accepted it" : $"rejected it with \"{result.Message}\"";
        Assert.True((result.Verdict == Verdict.Success) == fixture.ExpectAccept,
            $"{name}: expected {(fixture.ExpectAccept ? "accept" : "reject")}, BpfSharp {verdict}\n{Tail(result.Log)}");
        if (!fixture.ExpectAccept) Assert.Equal(fixture.Error, result.Message);
        if (fixture.Insns is { } insns) Assert.Equal(insns, result.TotalInstructions);
        if (fixture.States is { } states) Assert.Equal(states, result.TotalStates);
    }

    private static string Tail(string log)
    {
        var lines = log.Split('\n');
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 25)));
    }
}
