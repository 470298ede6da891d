using BpfSharp.Isa;
using BpfSharp.Kernel;
using BpfSharp.Loader;
using BpfSharp.Runtime.Packets;

namespace BpfSharp.Tests.TestSupport;

/// <summary>
/// The kernel half of the runtime's differential test: corpus programs of the types BPF_PROG_TEST_RUN takes
/// (socket_filter, sched_cls, xdp; OVS as sched_cls and build/ as xdp, as <see cref="CorpusPrograms"/> types them)
/// loaded once each, with generated packets run through them one after another.
/// <para>
/// Maps: every program gets its object's maps freshly created (<c>.data</c>/<c>.rodata</c> filled as libbpf
/// would), and its packets then run in order, so map state carries from packet to packet as it would in the
/// interpreter given the same initial maps and the same packet order; <see cref="TestRunCandidate.UsesMaps"/> says
/// where that matters. With <c>freshMapsPerPacket</c> the object is re-created and the program reloaded before each
/// packet (slow: a load per packet), for programs whose comparison needs the initial state every time.
/// </para>
/// <para>
/// Not qualifying: programs the kernel refuses to load (the reason is kept), and programs of other types. Tail calls
/// go to empty prog arrays (no program is placed in them), so bpf_tail_call falls through in the kernel; the
/// interpreter must do the same (its prog arrays empty too).
/// </para>
/// </summary>
internal static class KernelTestRunOracle
{
    private const int HelperTailCall = 12;

    /// <summary>Program types a test run is compared for.</summary>
    public static readonly ProgramType[] Types = [ProgramType.SocketFilter, ProgramType.SchedCls, ProgramType.Xdp];

    /// <summary>Every corpus program of a test-run type, in corpus order.</summary>
    public static IEnumerable<TestRunCandidate> Candidates()
    {
        foreach (string folder in CorpusPrograms.Folders)
            foreach (var (path, obj, program) in CorpusPrograms.In(folder))
                if (Types.Contains(program.Type))
                    yield return new TestRunCandidate(path, obj, program, UsesMaps(program), CallsHelper(program, HelperTailCall));
    }

    /// <summary>
    /// Loads the program of each candidate of one object and runs <paramref name="packets"/> through it; for each
    /// program either its runs or why it could not be loaded.
    /// </summary>
    public static IEnumerable<(TestRunCandidate Candidate, IReadOnlyList<KernelTestRun>? Runs, string? Refused)> Run(
        IEnumerable<TestRunCandidate> candidates, IReadOnlyList<GeneratedPacket> packets, bool freshMapsPerPacket = false)
    {
        foreach (var group in candidates.GroupBy(c => c.Path))
        {
            foreach (var candidate in group)
            {
                if (!freshMapsPerPacket)
                {
                    using var kernel = KernelObject.Create(candidate.Object);
                    var load = kernel.Load(candidate.Program);
                    if (load.Program is not { } fd)
                    {
                        yield return (candidate, null, Refusal(kernel, candidate, load));
                        continue;
                    }
                    using (fd) yield return (candidate, packets.Select(p => RunOne(fd, p)).ToList(), null);
                    continue;
                }
                var runs = new List<KernelTestRun>();
                string? refused = null;
                foreach (var packet in packets)
                {
                    using var kernel = KernelObject.Create(candidate.Object);
                    var load = kernel.Load(candidate.Program);
                    if (load.Program is not { } fd)
                    {
                        refused = Refusal(kernel, candidate, load);
                        break;
                    }
                    using (fd) runs.Add(RunOne(fd, packet));
                }
                yield return (candidate, refused is null ? runs : null, refused);
            }
        }
    }

    private static KernelTestRun RunOne(BpfFileDescriptor program, GeneratedPacket packet)
    {
        try
        {
            var result = KernelProgram.TestRun(program, new TestRunRequest { Data = packet.Frame, DataOutSlack = 4096 });
            return new KernelTestRun(packet.Label, packet.Frame, result.ReturnValue, result.Data, result.DurationNanoseconds, 0);
        }
        catch (KernelException e)
        {
            return new KernelTestRun(packet.Label, packet.Frame, 0, [], 0, e.ErrorNumber);
        }
    }

    // Loads without a log are cheap; a refused program is loaded again at log level 1 for the verifier's message.
    private static string Refusal(KernelObject kernel, TestRunCandidate candidate, ProgramLoadResult load)
    {
        var detailed = load.Log.Length > 0 ? load : kernel.Load(candidate.Program, ProgramLoadRequest.LogBasic);
        detailed.Program?.Dispose();
        string? message = VerifierLogParser.ErrorMessage(detailed.Log) ?? detailed.Log.Trim().Split('\n').LastOrDefault();
        return $"{Errno.Describe(load.Errno)}{(string.IsNullOrEmpty(message) ? "" : ": " + message)}";
    }

    private static bool UsesMaps(ProgramSpec program)
    {
        foreach (var insn in program.Instructions)
            if (insn.IsLoadImm64 && insn.Src is PseudoSource.MapIdx or PseudoSource.MapIdxValue) return true;
        return false;
    }

    private static bool CallsHelper(ProgramSpec program, int helper)
    {
        foreach (var insn in program.Instructions)
            if (insn.Opcode == 0x85 && insn.Src == 0 && insn.Immediate == helper) return true;
        return false;
    }
}
