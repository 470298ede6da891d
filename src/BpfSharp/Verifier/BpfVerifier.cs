using System.Diagnostics;
using System.Globalization;
using System.Text;
using BpfSharp.Isa;
using BpfSharp.Kernel;
using BpfSharp.Loader;
using BpfSharp.Stats;

namespace BpfSharp.Verifier;

/// <summary>
/// BpfSharp's verifier: decides offline, without a kernel, what the Linux 6.18 verifier decides about a program
/// loaded by a privileged (root) loader, explains it in the kernel's words and reports what it cost.
/// </summary>
public static class BpfVerifier
{
    /// <summary>Verify one program of a loaded object.</summary>
    public static VerifierOutcome Verify(ObjectSpec obj, ProgramSpec program, VerifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(program);
        if (program.Type == ProgramType.Unspec)
            return VerifierOutcome.Skipped(program, Verdict.NotVerified, $"program type unknown for section '{program.SectionName}' (use --prog-type)");
        if (program.Problems.Count > 0)
            return VerifierOutcome.Skipped(program, Verdict.NotVerified, string.Join("; ", program.Problems));
        // Like the loader, only the maps the program's instructions reference can keep it from the verifier.
        var referenced = ReferencedMaps(program);
        if (referenced.FirstOrDefault(m => m.Type == MapType.Unspec) is { } untyped)
            return VerifierOutcome.Skipped(program, Verdict.NotVerified, $"map '{untyped.Name}' has no type (the kernel refuses to create it)");
        if (RefusedMap(referenced) is { } refused)
            return VerifierOutcome.Skipped(program, Verdict.NotVerified, refused);
        return Run(VerifierProgram.From(obj, program), options ?? new VerifierOptions());
    }

    private static List<MapSpec> ReferencedMaps(ProgramSpec program)
    {
        var maps = new List<MapSpec>();
        var insns = program.Instructions;
        for (int i = 0; i + 1 < insns.Length; i++)
        {
            if (!insns[i].IsLoadImm64) continue;
            if (insns[i].Src is PseudoSource.MapIdx or PseudoSource.MapIdxValue && (uint)insns[i].Immediate < (uint)program.Maps.Count
                && !maps.Contains(program.Maps[insns[i].Immediate]))
                maps.Add(program.Maps[insns[i].Immediate]);
            i++;
        }
        return maps;
    }

    /// <summary>A map the kernel would refuse to create (so the program never reaches its verifier), with why.</summary>
    private static string? RefusedMap(IEnumerable<MapSpec> maps)
    {
        foreach (var m in maps)
        {
            foreach (var map in m.InnerMap is { } inner ? new[] { m, inner } : [m])
            {
                // The sizes the loader passes, after the fix-ups it makes like libbpf.
                uint key = map.KeySize, value = map.ValueSize, max = map.MaxEntries;
                if (map.Type is MapType.Ringbuf or MapType.UserRingbuf) key = value = 0;
                if (map.Type == MapType.PerfEventArray && max == 0) max = 1;
                if (MapCreationRules.WhyRefused(map.Type, key, value, max) is { } why)
                    return $"map '{map.Name}' ({KernelNames.Of(map.Type)}, key {key}, value {value}, max {max}) would be refused by the kernel: {why}";
            }
        }
        return null;
    }

    /// <summary>Program types whose context is typed by the kernel's BTF of the attach target.</summary>
    private static bool NeedsAttachBtf(ProgramType type) =>
        type is ProgramType.Tracing or ProgramType.Lsm or ProgramType.StructOps or ProgramType.Ext;

    /// <summary>Verify raw instructions (maps referenced by index into <paramref name="maps"/>).</summary>
    public static VerifierOutcome Verify(Instruction[] instructions, ProgramType type, IReadOnlyList<MapSpec>? maps = null,
        VerifierOptions? options = null, AttachType? expectedAttachType = null, string license = "GPL")
    {
        ArgumentNullException.ThrowIfNull(instructions);
        var program = new VerifierProgram
        {
            Instructions = instructions,
            Type = type,
            ExpectedAttachType = expectedAttachType,
            MapTable = VerifierMap.TableFor(maps ?? []),
            GplCompatible = VerifierProgram.IsGplCompatible(license),
        };
        return Run(program, options ?? new VerifierOptions());
    }

    internal static VerifierOutcome Run(VerifierProgram program, VerifierOptions options)
    {
        if (NeedsAttachBtf(program.Type))
        {
            return new VerifierOutcome
            {
                Result = new VerificationResult
                {
                    Verdict = Verdict.Unsupported,
                    Message = $"{KernelNames.Of(program.Type)} programs take typed arguments from the kernel's BTF of their attach target; BpfSharp does not model BTF-typed contexts yet",
                    ProgramSize = program.Instructions.Length,
                },
            };
        }
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        var v = new Verification(program, options);
        int errno;
        string? unsupported = null;
        try
        {
            errno = v.Run();
        }
        catch (VerifierUnsupported e)
        {
            errno = 0;
            unsupported = e.Message;
        }
        sw.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        long micros = (long)sw.Elapsed.TotalMicroseconds;

        if (unsupported is not null)
        {
            return new VerifierOutcome
            {
                Result = new VerificationResult
                {
                    Verdict = Verdict.Unsupported,
                    Message = unsupported,
                    ProgramSize = program.Instructions.Length,
                },
                ManagedBytesAllocated = allocated,
            };
        }

        var log = v.Log;
        var depths = v.StackDepths;
        if (log.Enabled)
        {
            var sb = log.Builder;
            sb.Append("verification time ").Append(micros.ToString(CultureInfo.InvariantCulture)).Append(" usec\n");
            sb.Append("stack depth ").Append(string.Join("+", depths)).Append('\n');
            sb.Append(CultureInfo.InvariantCulture,
                $"processed {v.InsnProcessed} insns (limit {Verification.ComplexityLimitInsns}) max_states_per_insn {v.MaxStatesPerInsn} total_states {v.TotalStates} peak_states {v.PeakStates} mark_read 0\n");
        }
        string? message = errno != 0 ? VerifierLogParser.ErrorMessage(v.ErrorText) : null;
        var result = new VerificationResult
        {
            Verdict = errno == 0 ? Verdict.Success : Verdict.Failure,
            Message = message,
            Log = log.Enabled ? log.ToString() : "",
            Errno = errno == 0 ? null : errno,
            DurationMicroseconds = micros,
            TotalInstructions = v.InsnProcessed,
            TotalStates = v.TotalStates,
            PeakStates = v.PeakStates,
            MaxStatesPerInstruction = v.MaxStatesPerInsn,
            MarkRead = 0,
            StackDepths = depths,
            ProgramSize = program.Instructions.Length,
            ManagedAllocatedBytes = allocated,
            RetainedPeakBytes = v.Pool.PeakRetainedBytes,
        };
        return new VerifierOutcome
        {
            Result = result,
            ManagedBytesAllocated = allocated,
            PeakRetainedBytes = v.Pool.PeakRetainedBytes,
            StatesCreated = v.Pool.StatesCreated,
            StatesReused = v.Pool.StatesReused,
        };
    }
}

/// <summary>What BpfSharp's verifier produced for one program, with its own cost figures.</summary>
public sealed class VerifierOutcome
{
    /// <summary>Verdict, message, log and the kernel-compatible statistics.</summary>
    public required VerificationResult Result { get; init; }

    /// <summary>Managed bytes allocated during the verification (GC.GetAllocatedBytesForCurrentThread).</summary>
    public long ManagedBytesAllocated { get; init; }

    /// <summary>Peak of the bytes held by live verifier states (checkpoints and pending branches), estimated from their arrays.</summary>
    public long PeakRetainedBytes { get; init; }

    /// <summary>Verifier states allocated afresh.</summary>
    public long StatesCreated { get; init; }

    /// <summary>Verifier states taken from the pool instead of allocated.</summary>
    public long StatesReused { get; init; }

    internal static VerifierOutcome Skipped(ProgramSpec program, Verdict verdict, string reason) => new()
    {
        Result = new VerificationResult { Verdict = verdict, Message = reason, ProgramSize = program.Instructions.Length },
    };
}
