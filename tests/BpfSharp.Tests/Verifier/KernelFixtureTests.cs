using BpfSharp.Tests.TestSupport;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// Every verifier fixture loaded into the running kernel: the fixtures are the behaviour specification of
/// BpfSharp's verifier, so each must say exactly what Linux's verifier says (verdict, error line, and the walk's
/// statistics where pinned).
/// </summary>
public class KernelFixtureTests
{
    public static TheoryData<string> Fixtures() => new(VerifierFixtures.Names());

    [KernelTheory]
    [MemberData(nameof(Fixtures))]
    public void The_kernel_verifier_agrees_with_the_fixture(string name)
    {
        var fixture = VerifierFixtures.Load(name);
        var result = KernelFixtureRunner.Run(fixture);
        string verdict = result.Accepted ? "accepted it" : $"rejected it with \"{result.Error}\"";
        Assert.True(result.Accepted == fixture.ExpectAccept,
            $"{name}: expected {(fixture.ExpectAccept ? "accept" : "reject")}, the kernel {verdict}\n{result.LogTail}");
        if (!fixture.ExpectAccept) Assert.Equal(fixture.Error, result.Error);
        if (fixture.Insns is { } insns) Assert.Equal(insns, result.Insns);
        if (fixture.States is { } states) Assert.Equal(states, result.States);
    }
}
