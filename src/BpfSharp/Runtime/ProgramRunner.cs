using System.Buffers.Binary;
using BpfSharp.Loader;
using BpfSharp.Runtime.Context;
using BpfSharp.Runtime.Maps;

namespace BpfSharp.Runtime;

/// <summary>
/// Runs a program of an object in the userspace runtime the way BPF_PROG_TEST_RUN runs it in the kernel: the
/// object's maps created once (kept across runs, like the kernel's), the context the kernel would build around the
/// input packet (<see cref="ContextImage"/>), the packet mapped as one region, and the packet returned as data_out.
/// </summary>
public sealed class ProgramRunner
{
    private readonly Dictionary<MapSpec, BpfMap?> _maps = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, RuntimeProgram> _programs = new(StringComparer.Ordinal);
    private readonly ObjectSpec _object;
    private readonly MapCreateOptions _mapOptions;
    private readonly RunEnvironment _environment = new();

    private readonly bool _fillProgramArrays;

    private ProgramRunner(ObjectSpec obj, ProgramSpec program, InterpreterOptions? options, MapCreateOptions? mapOptions, bool fillProgramArrays)
    {
        _object = obj;
        _fillProgramArrays = fillProgramArrays;
        _mapOptions = mapOptions ?? MapCreateOptions.Default;
        Spec = program;
        Interpreter = new Interpreter(options);
        Interpreter.Execution.Environment = _environment;
        Program = ProgramFor(program);
    }

    /// <summary>
    /// Prepares <paramref name="program"/> of <paramref name="obj"/>: creates the maps it and its tail-call targets use.
    /// With <paramref name="fillProgramArrays"/> false, prog arrays stay empty (as when only this program is loaded into
    /// the kernel, like veristat and BPF_PROG_TEST_RUN comparisons do), so tail calls fall through.
    /// </summary>
    public static ProgramRunner Create(ObjectSpec obj, ProgramSpec program, InterpreterOptions? options = null, MapCreateOptions? mapOptions = null,
        bool fillProgramArrays = true)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(program);
        return new ProgramRunner(obj, program, options, mapOptions, fillProgramArrays);
    }

    /// <summary>The program's specification.</summary>
    public ProgramSpec Spec { get; }

    /// <summary>The program as the interpreter runs it (its profile and run statistics).</summary>
    public RuntimeProgram Program { get; }

    /// <summary>The interpreter.</summary>
    public Interpreter Interpreter { get; }

    /// <summary>The runtime maps by name (maps the runtime cannot emulate are missing; see <see cref="MapProblems"/>).</summary>
    public IReadOnlyDictionary<string, BpfMap> Maps => _maps.Where(m => m.Value is not null).ToDictionary(m => m.Key.Name, m => m.Value!);

    /// <summary>Maps that could not be created, with the reason (a program using one stops with a runtime error).</summary>
    public IReadOnlyList<string> MapProblems { get; private set; } = [];

    private RuntimeProgram ProgramFor(ProgramSpec spec)
    {
        if (_programs.TryGetValue(spec.Name, out var existing)) return existing;
        var program = RuntimeProgram.FromSpec(spec, spec.Maps.Select(MapFor).ToArray());
        _programs[spec.Name] = program;
        return program;
    }

    private BpfMap? MapFor(MapSpec spec)
    {
        if (_maps.TryGetValue(spec, out var existing)) return existing;
        _maps[spec] = null; // a prog array naming its own program must not recurse forever
        try
        {
            var create = spec.Type == MapType.ProgArray && !_fillProgramArrays && spec.InitialSlots.Count > 0 ? WithoutSlots(spec) : spec;
            var map = BpfMapFactory.Create(create, _mapOptions, ResolveSlot);
            _maps[spec] = map;
            return map;
        }
        catch (MapCreateException e)
        {
            MapProblems = [.. MapProblems, $"map '{spec.Name}': {e.Reason}"];
            return null;
        }
    }

    private static MapSpec WithoutSlots(MapSpec spec) => new()
    {
        Name = spec.Name, Type = spec.Type, KeySize = spec.KeySize, ValueSize = spec.ValueSize, MaxEntries = spec.MaxEntries,
        Flags = spec.Flags, NumaNode = spec.NumaNode, MapExtra = spec.MapExtra, SectionName = spec.SectionName, Kind = spec.Kind,
    };

    private object? ResolveSlot(string name)
    {
        if (_object.Programs.FirstOrDefault(p => p.Name == name) is { } program) return ProgramFor(program);
        if (_object.Maps.FirstOrDefault(m => m.Name == name) is { } map) return MapFor(map);
        return null;
    }

    /// <summary>
    /// Runs the program on <paramref name="data"/> (and <paramref name="context"/>, the ctx_in bytes; empty for none)
    /// with the context its program type gets from a test run. Packet program types only. Like the kernel's repeat,
    /// <paramref name="repeat"/> runs reuse the same context and packet (each run sees what the previous one left);
    /// the result is the last run's, with the mean time per run.
    /// </summary>
    public ProgramRunResult Run(ReadOnlySpan<byte> data, ReadOnlySpan<byte> context = default, int repeat = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repeat, 1);
        var built = ContextImage.Build(Spec.Type, data, context);
        if (built.Image is not { } image)
            return Refused(built.Errno, built.Unsupported ? "unsupported: " + built.Reason : built.Reason ?? "input refused");
        var layout = image.Layout;
        bool xdp = Spec.Type == ProgramType.Xdp;
        var packet = new PacketBuffer(image.Buffer, image.MetaOffset, image.DataOffset, image.DataEndOffset,
            reservedHead: xdp ? layout.Headroom - layout.UsableHeadroom : image.MetaOffset,
            linearLimit: xdp ? Math.Min(image.Buffer.Length, layout.Headroom + layout.LinearCapacity) : image.DataEndOffset,
            Spec.Type);
        if (!xdp)
        {
            // skb->protocol as the ctx shows it (network order); a tc program starts at the MAC header, a socket filter at the network header.
            var protocol = layout.Fields.First(f => f.Name == "protocol");
            packet.Skb = new SkbState(layout, image.Context, BinaryPrimitives.ReverseEndianness(BinaryPrimitives.ReadUInt16LittleEndian(image.Context.AsSpan(protocol.Offset))),
                networkOffset: 14 - layout.HiddenLinkHeader);
        }
        var memory = Interpreter.Memory;
        memory.Clear();
        _environment.Packet = packet;
        packet.Attach(memory);
        var pointers = image.Pointers.Select(p => new ContextPointerField(p.Offset, p.Size, PointerValue(packet, p))).ToArray();
        ulong ctx = memory.Map(MemorySlice.Of(image.Context), MemoryRegionKind.Context, layout.StructName, writable: true, pointers);
        var outcome = Execute(ctx, 0);
        long total = outcome.ElapsedNanoseconds;
        for (int i = 1; i < repeat && outcome.Succeeded; i++)
        {
            outcome = Execute(ctx, 0);
            total += outcome.ElapsedNanoseconds;
        }
        return outcome with { Data = OutputFrame(image, packet), Context = image.Context, ElapsedNanoseconds = total / repeat };
    }

    /// <summary>Runs the program with r1 = a writable copy of <paramref name="input"/> and r2 = its length (the conformance suite's convention).</summary>
    public ProgramRunResult RunRaw(ReadOnlySpan<byte> input)
    {
        var memory = Interpreter.Memory;
        memory.Clear();
        _environment.Packet = null;
        var bytes = input.ToArray();
        ulong r1 = bytes.Length == 0 ? 0 : memory.Map(MemorySlice.Of(bytes), MemoryRegionKind.Input, "input", writable: true);
        return Execute(r1, (ulong)bytes.Length) with { Data = bytes };
    }

    private ProgramRunResult Execute(ulong r1, ulong r2)
    {
        try
        {
            var r = Interpreter.Run(Program, r1, r2);
            return new ProgramRunResult(r.ReturnValue, null, null, r.Trace, r.Instructions, r.ElapsedNanoseconds, _environment.Redirect, 0, null);
        }
        catch (BpfRuntimeException e)
        {
            return new ProgramRunResult(0, null, null, Interpreter.Execution.Trace.ToArray(), 0, 0, _environment.Redirect, 0, e.Message);
        }
    }

    private static ProgramRunResult Refused(int errno, string reason) => new(0, null, null, [], 0, 0, null, errno, reason);

    private static Func<AddressSpace, ulong> PointerValue(PacketBuffer packet, ContextPointer pointer) => pointer.Kind switch
    {
        ContextPointerKind.PacketData => _ => packet.DataAddress,
        ContextPointerKind.PacketEnd => _ => packet.DataEndAddress,
        ContextPointerKind.PacketMeta => _ => packet.MetaAddress,
        _ => _ => throw new BpfRuntimeException(-1, $"ctx field {pointer.Name} ({pointer.Kind}) points at kernel state the runtime does not model"),
    };

    // What data_out holds after a test run (see TestRunContextLayout.OutputFrame).
    private static byte[] OutputFrame(ContextImage image, PacketBuffer packet)
    {
        var layout = image.Layout;
        if (layout.Type == ProgramType.Xdp)
            return [.. packet.Buffer.AsSpan(packet.MetaOffset, packet.DataEndOffset - packet.MetaOffset), .. image.Fragments];
        int start = packet.DataOffset - layout.HiddenLinkHeader;
        var frame = packet.Buffer.AsSpan(start, packet.DataEndOffset - start).ToArray();
        frame.AsSpan(0, layout.HiddenLinkHeader).Clear();
        return frame;
    }
}
