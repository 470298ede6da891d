using BpfSharp.Loader;
using BpfSharp.Tests.TestSupport;
using BpfSharp.Verifier;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// The state pool and the per-thread tables are shared by every verification on a thread, like a slab cache:
/// they must change what a verification allocates, never what it decides or logs.
/// </summary>
public class StatePoolTests
{
    private static string Fingerprint(VerifierOutcome o) =>
        $"{o.Result.Verdict} {o.Result.Message} {o.Result.TotalInstructions} {o.Result.TotalStates} {o.Result.PeakStates} {o.Result.MaxStatesPerInstruction}\n" +
        System.Text.RegularExpressions.Regex.Replace(o.Result.Log, @"verification time \d+ usec", "");

    private static VerifierOutcome Verify(VerifierFixture f, bool pool) =>
        BpfVerifier.Verify(f.Instructions, f.ProgramType,
            f.Maps.Select(m => new MapSpec { Name = m.Name, Type = m.Type, KeySize = m.KeySize, ValueSize = m.ValueSize, MaxEntries = m.MaxEntries, SectionName = "maps" }).ToArray(),
            new VerifierOptions { LogLevel = 2, PoolStates = pool });

    [Fact]
    public void A_verification_does_not_depend_on_what_the_thread_verified_before()
    {
        var generator = new RandomVerifierPrograms(VerifierFuzzTests.Seed);
        var programs = Enumerable.Range(0, 200).Select(generator.Next).ToArray();
        var forward = programs.Select(p => Fingerprint(Verify(p, pool: true))).ToArray();
        var backward = programs.Reverse().Select(p => Fingerprint(Verify(p, pool: true))).Reverse().ToArray();
        var unpooled = programs.Select(p => Fingerprint(Verify(p, pool: false))).ToArray();
        for (int i = 0; i < programs.Length; i++)
        {
            Assert.True(forward[i] == backward[i], $"{programs[i].Name}: result depends on the verification order\n{VerifierFuzzTests.Text(programs[i])}");
            Assert.True(forward[i] == unpooled[i], $"{programs[i].Name}: result depends on pooling\n{VerifierFuzzTests.Text(programs[i])}");
        }
    }

    [Fact]
    public void A_warm_pool_hands_out_freed_states_again()
    {
        var obj = ObjectLoader.LoadFile(TestObjects.InRepository("samples/verifier_state_stress.o"));
        var program = obj.Programs[0];
        BpfVerifier.Verify(obj, program);
        var warm = BpfVerifier.Verify(obj, program);
        Assert.Equal(749, warm.Result.TotalStates);
        Assert.True(warm.StatesReused > 0, "no state came from the pool");
        Assert.True(warm.StatesCreated < warm.StatesReused, $"warm pool still created {warm.StatesCreated} states, reused {warm.StatesReused}");
        var plain = BpfVerifier.Verify(obj, program, new VerifierOptions { PoolStates = false });
        Assert.Equal(0, plain.StatesReused);
        Assert.True(plain.ManagedBytesAllocated > warm.ManagedBytesAllocated,
            $"pooled verification allocated {warm.ManagedBytesAllocated} bytes, plain {plain.ManagedBytesAllocated}");
    }
}
