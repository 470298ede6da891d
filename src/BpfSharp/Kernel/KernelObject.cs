using BpfSharp.Isa;
using BpfSharp.Loader;
using BpfSharp.Stats;

namespace BpfSharp.Kernel;

/// <summary>
/// An object's kernel resources, created the way libbpf would create them — and also for what libbpf 1.x
/// refuses (legacy and iproute2 map definitions): its BTF when it has one, every map (map-in-map with its inner
/// map; .data filled, .rodata filled and frozen), then programs loaded one at a time as veristat does. A map
/// the kernel refuses, an unresolved reference or an unknown program type makes the programs concerned
/// <see cref="Verdict.NotVerified"/> with the reason, never a verifier rejection.
/// </summary>
public sealed class KernelObject : IDisposable
{
    private readonly ObjectSpec _spec;
    private readonly KernelMap?[] _maps;
    private readonly string?[] _mapErrors;
    private readonly BpfFileDescriptor? _btf;

    private KernelObject(ObjectSpec spec, BpfFileDescriptor? btf, string? btfError, KernelMap?[] maps, string?[] mapErrors)
    {
        _spec = spec;
        _btf = btf;
        BtfError = btfError;
        _maps = maps;
        _mapErrors = mapErrors;
    }

    /// <summary>Why the object's BTF could not be loaded (programs then load without it, as libbpf does), or null.</summary>
    public string? BtfError { get; }

    /// <summary>The created maps, in the spec's order (null where creation failed).</summary>
    public IReadOnlyList<KernelMap?> Maps => _maps;

    /// <summary>Why each map could not be created (null where it was).</summary>
    public IReadOnlyList<string?> MapErrors => _mapErrors;

    /// <summary>Creates the object's BTF and maps in the kernel.</summary>
    public static KernelObject Create(ObjectSpec spec)
    {
        BpfFileDescriptor? btf = null;
        string? btfError = null;
        if (spec.BtfData is { } data)
        {
            try
            {
                btf = KernelBtf.Load(data);
            }
            catch (KernelException e)
            {
                btfError = e.Message;
            }
        }
        var maps = new KernelMap?[spec.Maps.Count];
        var errors = new string?[spec.Maps.Count];
        // Maps of maps need their inner map's descriptor, so they come second.
        foreach (bool outerPass in new[] { false, true })
        {
            for (int i = 0; i < spec.Maps.Count; i++)
            {
                var map = spec.Maps[i];
                if (IsMapOfMaps(map.Type) != outerPass) continue;
                try
                {
                    maps[i] = CreateMap(spec, map, maps, btf);
                }
                catch (Exception e) when (e is KernelException or InvalidOperationException)
                {
                    errors[i] = e.Message;
                }
            }
        }
        var created = new KernelObject(spec, btf, btfError, maps, errors);
        created.FillInitialSlots();
        return created;
    }

    /// <summary>
    /// Verifies one program the way veristat does: a load at log level 4 for the statistics (repeated when
    /// asked), and for a rejected program a load at level 1 for the message. The program is unloaded again.
    /// </summary>
    public KernelVerification Verify(ProgramSpec program, VerifyOptions? options = null)
    {
        options ??= new VerifyOptions();
        if (Prepare(program) is { } notVerified) return new KernelVerification(notVerified, []);
        var request = Request(program, ProgramLoadRequest.LogStats | options.LogLevel);

        var durations = new List<long>();
        ProgramLoadResult first = null!;
        long? memory = null;
        for (int run = 0; run < Math.Max(1, options.Repeat); run++)
        {
            ProgramLoadResult result;
            if (run == 0 && options.Memory is { } accounting)
            {
                ProgramLoadResult? measured = null;
                memory = accounting.Measure(() => measured = KernelProgram.Load(request));
                result = measured!;
            }
            else
            {
                result = KernelProgram.Load(request);
            }
            if (run == 0) first = result;
            else result.Program?.Dispose();
            if (VerifierLogParser.Parse(result.Log).VerificationTimeMicroseconds is { } time) durations.Add(time);
        }
        using (first.Program)
        {
            long? jited = first.Program is { } fd ? KernelProgram.Info(fd).JitedLength : null;
            return new KernelVerification(Describe(program, request, first, memory, options), durations, jited);
        }
    }

    /// <summary>Loads a program and keeps it loaded (for test runs); the caller disposes the descriptor.</summary>
    public ProgramLoadResult Load(ProgramSpec program, uint logLevel = 0)
    {
        if (Prepare(program) is { } notVerified)
            return new ProgramLoadResult(null, Errno.EINVAL, notVerified.Message ?? "");
        return KernelProgram.Load(Request(program, logLevel));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var map in _maps) map?.Dispose();
        _btf?.Dispose();
    }

    private VerificationResult Describe(ProgramSpec program, ProgramLoadRequest request, ProgramLoadResult result, long? memory, VerifyOptions options)
    {
        var stats = VerifierLogParser.Parse(result.Log);
        if (!stats.ReachedVerifier)
        {
            // Refused before the verifier ran (bad attach type, license, program type): not a verifier verdict.
            string log = result.Log.Trim();
            return NotVerified(program, $"{Errno.Describe(result.Errno)}{(log.Length > 0 ? ": " + log.Split('\n')[^1] : "")}", result.Errno);
        }
        string? message = null;
        string fullLog = result.Log;
        if (!result.Succeeded)
        {
            message = VerifierLogParser.ErrorMessage(result.Log);
            if (options.LogLevel == 0)
            {
                // The statistics-only log has no error message: ask again at level 1.
                var detailed = KernelProgram.Load(Request(program, ProgramLoadRequest.LogBasic | ProgramLoadRequest.LogStats));
                detailed.Program?.Dispose();
                message = VerifierLogParser.ErrorMessage(detailed.Log) ?? message;
                fullLog = detailed.Log;
            }
        }
        return new VerificationResult
        {
            Verdict = result.Succeeded ? Verdict.Success : Verdict.Failure,
            Message = message,
            Log = fullLog,
            Errno = result.Succeeded ? null : result.Errno,
            DurationMicroseconds = stats.VerificationTimeMicroseconds,
            TotalInstructions = stats.ProcessedInstructions,
            TotalStates = stats.TotalStates,
            PeakStates = stats.PeakStates,
            MaxStatesPerInstruction = stats.MaxStatesPerInstruction,
            MarkRead = stats.MarkRead,
            StackDepths = stats.StackDepths,
            ProgramSize = request.Instructions.Length,
            MemoryPeakBytes = memory,
        };
    }

    // Reasons a program cannot reach the verifier, found before asking the kernel.
    private VerificationResult? Prepare(ProgramSpec program)
    {
        if (program.Type == ProgramType.Unspec)
            return NotVerified(program, $"program type unknown for section '{program.SectionName}' (use --prog-type)", null);
        if (program.Problems.Count > 0)
            return NotVerified(program, string.Join("; ", program.Problems), null);
        foreach (int index in ReferencedMaps(program))
        {
            if (index >= _maps.Length) return NotVerified(program, $"reference to map #{index}, which the object does not define", null);
            if (_maps[index] is null) return NotVerified(program, $"map '{_spec.Maps[index].Name}' could not be created: {_mapErrors[index]}", null);
        }
        if (program.Section.NeedsAttachTarget && program.ExpectedAttachType is { } attach && !program.TypeOverridden)
        {
            if (program.Section.Extras is not { Length: > 0 } target)
                return NotVerified(program, $"section '{program.SectionName}' names no attach target", null);
            if (VmlinuxBtf.FindAttachTarget(attach, target) is null)
                return NotVerified(program, $"attach target '{target}' not found in the kernel's BTF ({VmlinuxBtf.Path})", null);
        }
        return null;
    }

    private ProgramLoadRequest Request(ProgramSpec program, uint logLevel)
    {
        uint flags = 0;
        if (program.Section.IsSleepable) flags |= ProgramLoadRequest.FlagSleepable;
        if ((program.Section.Flags & SectionFlags.XdpFrags) != 0) flags |= ProgramLoadRequest.FlagXdpHasFrags;
        uint attachBtfId = 0;
        if (program.Section.NeedsAttachTarget && program.ExpectedAttachType is { } attach && program.Section.Extras is { } target)
            attachBtfId = VmlinuxBtf.FindAttachTarget(attach, target) ?? 0;
        bool btf = _btf is not null;
        return new ProgramLoadRequest
        {
            Type = program.Type,
            ExpectedAttachType = program.ExpectedAttachType,
            Instructions = WithMapDescriptors(program.Instructions),
            License = program.License,
            KernelVersion = program.KernelVersion ?? 0,
            Name = program.Name,
            Flags = flags,
            LogLevel = logLevel,
            LogSize = (logLevel & (ProgramLoadRequest.LogBasic | ProgramLoadRequest.LogVerbose)) != 0 ? 16 << 20 : 1 << 16,
            AttachBtfId = attachBtfId,
            Btf = btf ? _btf : null,
            FuncInfos = btf ? program.FuncInfos.Select(f => (f.InstructionIndex, f.TypeId)).ToArray() : [],
            LineInfos = btf ? program.LineInfos.Select(l => (l.InstructionIndex, l.FileNameOffset, l.LineOffset, (l.LineNumber << 10) | l.Column)).ToArray() : [],
            CoreRelocations = btf ? program.CoreRelocations.Select(c => (c.InstructionIndex, c.TypeId, c.AccessStringOffset, (uint)c.Kind)).ToArray() : [],
        };
    }

    // Map indexes become the descriptors of the maps created here, as libbpf patches them.
    private Instruction[] WithMapDescriptors(Instruction[] instructions)
    {
        var result = (Instruction[])instructions.Clone();
        for (int i = 0; i + 1 < result.Length; i++)
        {
            var insn = result[i];
            if (!insn.IsLoadImm64) continue;
            if (insn.Src is PseudoSource.MapIdx or PseudoSource.MapIdxValue && (uint)insn.Immediate < (uint)_maps.Length && _maps[insn.Immediate] is { } map)
            {
                byte source = insn.Src == PseudoSource.MapIdx ? PseudoSource.MapFd : PseudoSource.MapValue;
                result[i] = insn.WithSrc(source).WithImmediate(map.Fd.Value);
            }
            i++;
        }
        return result;
    }

    private static IEnumerable<int> ReferencedMaps(ProgramSpec program)
    {
        var insns = program.Instructions;
        for (int i = 0; i + 1 < insns.Length; i++)
        {
            if (!insns[i].IsLoadImm64) continue;
            if (insns[i].Src is PseudoSource.MapIdx or PseudoSource.MapIdxValue) yield return insns[i].Immediate;
            i++;
        }
    }

    private static VerificationResult NotVerified(ProgramSpec program, string reason, int? errno) => new()
    {
        Verdict = Verdict.NotVerified,
        Message = reason,
        Errno = errno,
        ProgramSize = program.LinkedInstructionCount,
    };

    private static bool IsMapOfMaps(MapType type) => type is MapType.ArrayOfMaps or MapType.HashOfMaps;

    // Map types whose BTF the kernel does not take (libbpf clears the ids for them) or that need no key/value.
    private static bool TakesBtf(MapType type) => type is not (MapType.PerfEventArray or MapType.CgroupArray or MapType.StackTrace
        or MapType.ArrayOfMaps or MapType.HashOfMaps or MapType.Devmap or MapType.DevmapHash or MapType.Cpumap or MapType.Xskmap
        or MapType.Sockmap or MapType.Sockhash or MapType.Queue or MapType.Stack or MapType.Arena or MapType.Ringbuf or MapType.UserRingbuf);

    private static KernelMap CreateMap(ObjectSpec spec, MapSpec map, KernelMap?[] created, BpfFileDescriptor? btf)
    {
        uint keySize = map.KeySize, valueSize = map.ValueSize, maxEntries = map.MaxEntries;
        if (map.Type is MapType.Ringbuf or MapType.UserRingbuf) keySize = valueSize = 0;
        // libbpf sizes an unsized perf event array to the number of possible CPUs.
        if (map.Type == MapType.PerfEventArray && maxEntries == 0) maxEntries = (uint)PossibleCpus.Count;

        KernelMap? temporaryInner = null;
        BpfFileDescriptor? inner = null;
        if (map.InnerMap is { } innerSpec)
        {
            int index = IndexOf(spec, innerSpec);
            if (index >= 0)
            {
                inner = created[index]?.Fd ?? throw new InvalidOperationException($"inner map '{innerSpec.Name}' could not be created");
            }
            else
            {
                // A BTF inner map is a template: create one to describe the slots, then let it go.
                temporaryInner = CreateMap(spec, innerSpec, created, btf);
                inner = temporaryInner.Fd;
            }
        }
        try
        {
            string name = map.KernelName(spec.FileName);
            bool withBtf = btf is not null && TakesBtf(map.Type) && map.BtfValueTypeId != 0;
            KernelMap Make(bool useBtf) => KernelMap.Create(map.Type, keySize, valueSize, maxEntries, map.Flags, name, inner,
                map.NumaNode, map.MapExtra, useBtf ? btf : null, useBtf ? map.BtfKeyTypeId : 0, useBtf ? map.BtfValueTypeId : 0);
            KernelMap result;
            try
            {
                result = Make(withBtf);
            }
            catch (KernelException) when (withBtf)
            {
                // libbpf retries without BTF: older kernels and some map types refuse the type information.
                result = Make(false);
            }
            if (map.Contents is { } contents)
            {
                Span<byte> key = stackalloc byte[4];
                result.Update(key, contents);
            }
            if (map.Freeze) result.Freeze();
            return result;
        }
        finally
        {
            temporaryInner?.Dispose();
        }
    }

    private static int IndexOf(ObjectSpec spec, MapSpec map)
    {
        for (int i = 0; i < spec.Maps.Count; i++)
            if (ReferenceEquals(spec.Maps[i], map)) return i;
        return -1;
    }

    // libbpf fills maps of maps declared with initial values; prog arrays get their programs only when those
    // programs are loaded, which per-program verification does not need.
    private void FillInitialSlots()
    {
        Span<byte> key = stackalloc byte[4];
        Span<byte> value = stackalloc byte[4];
        for (int i = 0; i < _maps.Length; i++)
        {
            if (_maps[i] is not { } outer || !IsMapOfMaps(outer.Type)) continue;
            foreach (var slot in _spec.Maps[i].InitialSlots)
            {
                int target = -1;
                for (int j = 0; j < _spec.Maps.Count; j++)
                    if (_spec.Maps[j].Name == slot.Target) target = j;
                if (target < 0 || _maps[target] is not { } inner) continue;
                BitConverter.TryWriteBytes(key, slot.Index);
                BitConverter.TryWriteBytes(value, inner.Fd.Value);
                try
                {
                    outer.Update(key, value);
                }
                catch (KernelException e)
                {
                    _mapErrors[i] ??= $"initial value [{slot.Index}] = '{slot.Target}' refused: {e.Message}";
                }
            }
        }
    }
}
