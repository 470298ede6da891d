using BpfSharp.Isa;
using BpfSharp.Kernel;

namespace BpfSharp.Tests.TestSupport;

/// <summary>What the running kernel's verifier said about a fixture.</summary>
/// <param name="Accepted">True when the program loaded.</param>
/// <param name="Errno">errno of a failed load (0 on success).</param>
/// <param name="Error">The error line (<see cref="VerifierLogParser.ErrorMessage"/>) of a rejected program.</param>
/// <param name="Insns">"processed N insns".</param>
/// <param name="States">"total_states".</param>
/// <param name="Log">The whole log, for diagnostics.</param>
public sealed record KernelFixtureResult(bool Accepted, int Errno, string? Error, long? Insns, long? States, string Log)
{
    /// <summary>The end of the log, short enough for an assertion message.</summary>
    public string LogTail => Log.Length <= 2000 ? Log : "..." + Log[^2000..];
}

/// <summary>
/// Loads a <see cref="VerifierFixture"/> into the running kernel: creates its maps, turns the map references by
/// index into references by file descriptor (as libbpf does), and loads at log level 1|4 to get both the error
/// line and the statistics.
/// </summary>
public static class KernelFixtureRunner
{
    /// <summary>The initial log buffer (the loader grows it when the kernel needs more).</summary>
    public const int LogSize = 16 << 20;

    /// <summary>Verifies <paramref name="fixture"/> with the kernel.</summary>
    /// <exception cref="KernelException">A map of the fixture could not be created.</exception>
    public static KernelFixtureResult Run(VerifierFixture fixture)
    {
        var maps = new List<KernelMap>();
        try
        {
            foreach (var m in fixture.Maps)
                maps.Add(KernelMap.Create(m.Type, m.KeySize, m.ValueSize, m.MaxEntries, m.Flags, m.Name));
            var request = new ProgramLoadRequest
            {
                Type = fixture.ProgramType,
                ExpectedAttachType = fixture.AttachType,
                License = fixture.License,
                Instructions = WithMapFds(fixture.Instructions, maps),
                LogLevel = ProgramLoadRequest.LogBasic | ProgramLoadRequest.LogStats,
                LogSize = LogSize,
                Name = "fixture",
            };
            var result = KernelProgram.Load(request);
            using (result.Program)
            {
                var stats = VerifierLogParser.Parse(result.Log);
                return new KernelFixtureResult(result.Succeeded, result.Errno,
                    result.Succeeded ? null : VerifierLogParser.ErrorMessage(result.Log),
                    stats.ProcessedInstructions, stats.TotalStates, result.Log);
            }
        }
        finally
        {
            foreach (var map in maps) map.Dispose();
        }
    }

    /// <summary>
    /// Rewrites ld_imm64 map references by index (src 5 and 6) into references by descriptor (src 1 and 2). An index
    /// no map has is left alone, so fixtures can show what the kernel says about it.
    /// </summary>
    public static Instruction[] WithMapFds(Instruction[] program, IReadOnlyList<KernelMap> maps)
    {
        var result = (Instruction[])program.Clone();
        for (int i = 0; i < result.Length; i++)
        {
            var insn = result[i];
            if (!insn.IsLoadImm64) continue;
            if (insn.Src is PseudoSource.MapIdx or PseudoSource.MapIdxValue && (uint)insn.Immediate < (uint)maps.Count)
            {
                byte src = insn.Src == PseudoSource.MapIdx ? PseudoSource.MapFd : PseudoSource.MapValue;
                result[i] = insn.WithSrc(src).WithImmediate(maps[insn.Immediate].Fd.Value);
            }
            i++; // the second slot is data
        }
        return result;
    }
}
