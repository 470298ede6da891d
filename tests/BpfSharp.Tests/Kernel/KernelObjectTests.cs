using BpfSharp.Kernel;
using BpfSharp.Loader;
using BpfSharp.Stats;
using BpfSharp.Tests.TestSupport;

namespace BpfSharp.Tests.Kernel;

/// <summary>Whole objects created in the running kernel and their programs verified one at a time, as veristat does.</summary>
public class KernelObjectTests
{
    private static ObjectSpec Spec(string relative, LoadOptions? options = null) => ObjectLoader.LoadFile(TestObjects.InRepository(relative), options);

    [KernelFact]
    public void Objects_with_BTF_maps_global_data_and_subprograms_verify()
    {
        var spec = Spec("tests/objects/linking.o");
        using var obj = KernelObject.Create(spec);
        Assert.Null(obj.BtfError);
        Assert.All(obj.MapErrors, Assert.Null);
        foreach (var program in spec.Programs)
        {
            var r = obj.Verify(program).Result;
            Assert.True(r.Verdict == Verdict.Success, $"{program.Name}: {r.Verdict} {r.Message}");
            Assert.True(r.TotalInstructions > 0);
            Assert.Equal(program.LinkedInstructionCount, r.ProgramSize);
        }
        // .rodata is filled, then frozen: user space can no longer write it.
        int rodata = spec.Maps.ToList().FindIndex(m => m.Name == ".rodata");
        var value = new byte[4];
        Assert.True(obj.Maps[rodata]!.TryLookup(new byte[4], value));
        Assert.Equal(7u, BitConverter.ToUInt32(value));
        Assert.Throws<KernelException>(() => obj.Maps[rodata]!.Update(new byte[4], value));
    }

    [KernelFact]
    public void Legacy_map_sections_load_although_libbpf_1_refuses_them()
    {
        var spec = Spec("tests/objects/legacy_maps.o");
        using var obj = KernelObject.Create(spec);
        var r = obj.Verify(spec.Programs[0]).Result;
        Assert.Equal(Verdict.Success, r.Verdict);
        Assert.Equal(22, r.TotalInstructions);
    }

    [KernelFact]
    public void The_seed_stress_program_costs_what_the_thread_reports()
    {
        var spec = Spec("samples/verifier_state_stress.o");
        using var obj = KernelObject.Create(spec);
        var v = obj.Verify(spec.Programs[0], new VerifyOptions { Repeat = 3 });
        Assert.Equal(Verdict.Success, v.Result.Verdict);
        Assert.InRange(v.Result.TotalInstructions!.Value, 9477 * 95 / 100, 9477 * 105 / 100);
        Assert.InRange(v.Result.TotalStates!.Value, 749 * 90 / 100, 749 * 110 / 100);
        Assert.Equal(3, v.Durations.Count);
    }

    [KernelFact]
    public void A_rejected_program_has_the_message_and_the_statistics()
    {
        // The XDP program loaded as a socket filter: xdp_md's data and data_end are skb->len and skb->pkt_type
        // there, plain numbers, so the subprogram's packet read dereferences a scalar.
        var spec = Spec("samples/xdp_counter.o", new LoadOptions { ProgramType = ProgramType.SocketFilter });
        using var obj = KernelObject.Create(spec);
        var r = obj.Verify(spec.FindProgram("xdp_count")!).Result;
        Assert.Equal(Verdict.Failure, r.Verdict);
        Assert.Equal("R1 invalid mem access 'scalar'", r.Message);
        Assert.Contains("R1 invalid mem access 'scalar'", r.Log);
        Assert.NotNull(r.TotalInstructions);
        Assert.Equal(Errno.EACCES, r.Errno);
    }

    [KernelFact]
    public void Programs_that_cannot_reach_the_verifier_say_why()
    {
        var spec = Spec("tests/objects/linking.o");
        using var obj = KernelObject.Create(spec);
        var unknown = new ProgramSpec { Name = "t", SectionName = "mystery", Type = ProgramType.Unspec, Instructions = spec.Programs[0].Instructions, Maps = spec.Maps };
        var r = obj.Verify(unknown).Result;
        Assert.Equal(Verdict.NotVerified, r.Verdict);
        Assert.Equal("program type unknown for section 'mystery' (use --prog-type)", r.Message);

        var unresolved = new ProgramSpec { Name = "u", SectionName = "xdp", Type = ProgramType.Xdp, Instructions = spec.Programs[0].Instructions, Problems = ["instruction 3: call to undefined external function 'nope'"] };
        Assert.Equal("instruction 3: call to undefined external function 'nope'", obj.Verify(unresolved).Result.Message);
    }

    [KernelFact]
    public void A_map_the_kernel_refuses_makes_its_users_not_verified()
    {
        var spec = Spec("tests/objects/legacy_maps.o");
        spec.Maps[0].KeySize = 8; // arrays need 4-byte keys
        using var obj = KernelObject.Create(spec);
        Assert.NotNull(obj.MapErrors[0]);
        var r = obj.Verify(spec.Programs[0]).Result;
        Assert.Equal(Verdict.NotVerified, r.Verdict);
        Assert.StartsWith("map 'counters' could not be created: bpf(BPF_MAP_CREATE) failed: EINVAL", r.Message);
    }

    [MemoryCgroupFact]
    public void Kernel_memory_is_measured_where_a_memory_cgroup_is_available()
    {
        using var memory = MemoryAccounting.TryCreate(out string reason)!;
        var spec = Spec("samples/verifier_state_stress.o");
        using var obj = KernelObject.Create(spec);
        var r = obj.Verify(spec.Programs[0], new VerifyOptions { Memory = memory }).Result;
        // Hundreds of states of a few hundred bytes each: well above a page, well below a gigabyte.
        Assert.InRange(r.MemoryPeakBytes!.Value, 64 * 1024, 1L << 30);
    }
}
