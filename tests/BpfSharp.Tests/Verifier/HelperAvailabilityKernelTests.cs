using BpfSharp.Tests.TestSupport;
using BpfSharp.Verifier;

namespace BpfSharp.Tests.Verifier;

/// <summary>Re-probes the running kernel and compares its answers with the committed helper tables.</summary>
public class HelperAvailabilityKernelTests
{
    public static TheoryData<string> Programs()
    {
        var data = new TheoryData<string>();
        foreach (var p in HelperProbeProgram.All) data.Add(p.ToString());
        return data;
    }

    private static HelperProbeProgram Program(string name) => HelperProbeProgram.All.Single(p => p.ToString() == name);

    [KernelTheory]
    [MemberData(nameof(Programs))]
    public void The_kernel_agrees_with_the_availability_table(string name)
    {
        var program = Program(name);
        if (program.WhyNotLoadable() is { } why)
        {
            // Such rows are missing from the table, which then answers with the type's other rows.
            Assert.DoesNotContain((program.Type, program.Attach), HelperPrototypes.ProbedVariants);
            Assert.NotNull(why);
            return;
        }
        var differences = new List<string>();
        foreach (var answer in HelperAvailabilityProbe.Probe(program))
        {
            var table = HelperPrototypes.Availability(program.Type, program.Attach, answer.Id);
            if (table != answer.Availability)
                differences.Add($"helper {answer.Id}: table {table}, kernel {answer.Availability} ({answer.Message})");
            // The GPL check comes before everything but availability, so it shows the prototype's gpl_only.
            var prototype = HelperPrototypes.Get(program.Type, program.Attach, answer.Id);
            if (answer.Availability != HelperAvailability.Unavailable && prototype!.GplOnly != answer.GplOnly)
                differences.Add($"helper {answer.Id} ({prototype.KernelName}): gpl_only {prototype.GplOnly}, kernel {answer.GplOnly}");
        }
        Assert.True(differences.Count == 0, $"{name}:\n{string.Join('\n', differences)}");
    }
}
