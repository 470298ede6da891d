using BpfSharp.Tests.TestSupport;

namespace BpfSharp.Tests.Verifier;

/// <summary>Rewrites src/BpfSharp/Verifier/HelperPrototypes.Availability.cs from the running kernel's answers.</summary>
public class HelperAvailabilityGenerator
{
    [RegenerateFact]
    public void Regenerate_the_helper_availability_table()
    {
        var rows = new List<(HelperProbeProgram, HelperAvailabilityProbe.Answer[])>();
        var skipped = new List<string>();
        foreach (var program in HelperProbeProgram.All)
        {
            if (program.WhyNotLoadable() is { } why) { skipped.Add($"{program} ({why})"); continue; }
            rows.Add((program, HelperAvailabilityProbe.Probe(program)));
        }
        string path = Path.Combine(TestObjects.RepositoryRoot, "src/BpfSharp/Verifier/HelperPrototypes.Availability.cs");
        File.WriteAllText(path, HelperAvailabilityProbe.Generate(rows, skipped));
    }
}
