using BpfSharp.Isa;
using BpfSharp.Kernel;
using BpfSharp.Loader;
using BpfSharp.Runtime;
using BpfSharp.Runtime.Packets;

namespace BpfSharp.Benchmarks;

/// <summary>
/// One program the runtime benchmarks run, ready in both engines: the userspace interpreter (one call of
/// <see cref="Run"/> is one run) and, when bpf() is permitted, the same program loaded into the kernel for
/// BPF_PROG_TEST_RUN on the same input (<see cref="KernelNanosecondsPerRun"/>).
/// </summary>
/// <remarks>
/// Workloads: <c>loop</c>, a socket filter looping <see cref="LoopIterations"/> times over ALU work and stack loads
/// and stores (the interpreter's dispatch loop with nothing else around it), and packet programs run through
/// <see cref="ProgramRunner"/> the way a test run runs them (the ctx built around the packet each run):
/// <c>xdp_counter</c> (samples/), <c>xdp1</c>, <c>xdp_tx_iptunnel</c> and <c>tcbpf1</c> (a sched_cls program)
/// from the Linux samples, all on one fixed generated IPv4/TCP frame. (OVS's parser is not among them: it calls
/// bpf_skb_get_tunnel_key, which the runtime does not implement.)
/// </remarks>
public sealed class RuntimeWorkload : IDisposable
{
    /// <summary>Iterations of the loop program.</summary>
    public const int LoopIterations = 10_000;

    /// <summary>
    /// The loop program: each iteration reads two stack slots, mixes in the counter with add/xor/mul/shift, writes
    /// both slots back (13 instructions). Bounded by a constant, so the kernel's verifier walks it to the end
    /// (about 130,000 instructions processed, under its 1M limit). Returns the low 32 bits of the second slot.
    /// </summary>
    public static readonly string LoopProgram = $"""
        r1 = 0
        *(u64 *)(r10 -8) = r1
        *(u64 *)(r10 -16) = r1
        r6 = 0
        r7 = 0x12345
        loop:
        r2 = *(u64 *)(r10 -8)
        r3 = *(u32 *)(r10 -16)
        r2 += r6
        r2 ^= r7
        r2 *= 31
        r7 = r2
        r7 >>= 7
        w3 += w7
        *(u64 *)(r10 -8) = r2
        *(u32 *)(r10 -16) = r3
        r6 += 1
        if r6 < {LoopIterations} goto loop
        r0 = *(u32 *)(r10 -16)
        exit
        """;

    /// <summary>Workload names, in the order benchmarks list them.</summary>
    public static readonly string[] Names = ["loop", "xdp_counter", "xdp1", "xdp_tx_iptunnel", "tcbpf1"];

    private readonly Func<(ulong ReturnValue, long Instructions)> _run;
    private readonly BpfFileDescriptor? _kernelProgram;
    private readonly IDisposable? _kernelObject;

    private RuntimeWorkload(string name, string description, byte[] packet, Func<(ulong, long)> run,
        BpfFileDescriptor? kernelProgram, IDisposable? kernelObject, string? kernelProblem)
    {
        Name = name;
        Description = description;
        Packet = packet;
        _run = run;
        _kernelProgram = kernelProgram;
        _kernelObject = kernelObject;
        KernelProblem = kernelProblem;
        (ReturnValue, Instructions) = run();
    }

    /// <summary>The workload's name (one of <see cref="Names"/>).</summary>
    public string Name { get; }

    /// <summary>What runs: the program, its type and where it comes from.</summary>
    public string Description { get; }

    /// <summary>The input of every run (the kernel's data_in).</summary>
    public byte[] Packet { get; }

    /// <summary>r0 of a run in the interpreter (the workloads are deterministic).</summary>
    public ulong ReturnValue { get; }

    /// <summary>Instructions one run executes in the interpreter.</summary>
    public long Instructions { get; }

    /// <summary>Why the kernel side is missing (bpf() not permitted, program refused), or null when it is loaded.</summary>
    public string? KernelProblem { get; }

    /// <summary>The fixed frame packet programs run on: the first IPv4/TCP frame of seed 5's systematic set.</summary>
    public static byte[] FixedPacket() =>
        new PacketGenerator(5).EveryKind().First(p => p.Label.StartsWith("ipv4/tcp", StringComparison.Ordinal) && p.WellFormed).Frame;

    /// <summary>Prepares workload <paramref name="name"/>; the kernel side is loaded unless <paramref name="kernel"/> is false.</summary>
    public static RuntimeWorkload Create(string name, bool kernel = true)
    {
        byte[] packet = FixedPacket();
        if (name == "loop")
        {
            var instructions = Assembler.Assemble(LoopProgram);
            var interpreter = new Interpreter();
            var program = new RuntimeProgram(instructions, null, "loop");
            BpfFileDescriptor? fd = null;
            string? problem = KernelUnavailable(kernel);
            if (problem is null)
            {
                var load = KernelProgram.Load(new ProgramLoadRequest
                {
                    Type = ProgramType.SocketFilter, Instructions = instructions, Name = "bench_loop", LogLevel = ProgramLoadRequest.LogBasic,
                });
                fd = load.Program;
                if (fd is null) problem = $"the kernel refused the loop: {Errno.Describe(load.Errno)} {load.Log.Trim().Split('\n').LastOrDefault()}";
            }
            return new RuntimeWorkload(name, $"socket_filter, {LoopIterations}-iteration loop (assembly)", packet, () =>
            {
                var r = interpreter.Run(program);
                for (int i = 1; i < RunsPerCall; i++) r = interpreter.Run(program);
                return (r.ReturnValue, r.Instructions);
            }, fd, null, problem);
        }

        string root = Paths.RepositoryRoot();
        string corpus = Path.Combine(root, "..", "shared", "corpus");
        (string file, string? programName, ProgramType? type) = name switch
        {
            "xdp_counter" => (Path.Combine(root, "samples", "xdp_counter.o"), "xdp_count", (ProgramType?)null),
            "xdp1" => (Path.Combine(corpus, "linux", "xdp1_kern.o"), (string?)null, (ProgramType?)null),
            "xdp_tx_iptunnel" => (Path.Combine(corpus, "linux", "xdp_tx_iptunnel_kern.o"), null, null),
            "tcbpf1" => (Path.Combine(corpus, "linux", "tcbpf1_kern.o"), null, null),
            // Any other object: "file.o" or "file.o:program" (its first program, or the one named).
            _ when name.Contains(".o", StringComparison.Ordinal) => ObjectWorkload(name),
            _ => throw new ArgumentException($"unknown workload {name}; known: {string.Join(", ", Names)}, or file.o[:program]", nameof(name)),
        };
        if (!File.Exists(file)) throw new FileNotFoundException($"workload {name} needs {file}", file);
        var obj = ObjectLoader.LoadFile(file, type is { } t ? new LoadOptions { ProgramType = t } : null);
        var spec = programName is null ? obj.Programs[0] : obj.Programs.First(p => p.Name == programName);
        var runner = ProgramRunner.Create(obj, spec);
        KernelObject? kernelObject = null;
        BpfFileDescriptor? kernelFd = null;
        string? kernelProblem = KernelUnavailable(kernel);
        if (kernelProblem is null)
        {
            kernelObject = KernelObject.Create(obj);
            var load = kernelObject.Load(spec);
            kernelFd = load.Program;
            if (kernelFd is null) kernelProblem = $"the kernel refused {spec.Name}: {Errno.Describe(load.Errno)}";
        }
        return new RuntimeWorkload(name, $"{spec.Type} {spec.Name} ({spec.Instructions.Length} insns, {Path.GetFileName(file)})", packet, () =>
        {
            var r = runner.Run(packet, default, RunsPerCall);
            if (r.Error is not null) throw new InvalidOperationException($"{name}: {r.Error}");
            return (r.ReturnValue, r.Instructions);
        }, kernelFd, kernelObject, kernelProblem);
    }

    private static (string, string?, ProgramType?) ObjectWorkload(string name)
    {
        int colon = name.LastIndexOf(':');
        return colon > 0 && name[(colon + 1)..].Length > 0 && !name[(colon + 1)..].Contains('/')
            ? (name[..colon], name[(colon + 1)..], null)
            : (name, null, null);
    }

    /// <summary>
    /// Interpreter runs one <see cref="Run"/> call makes. Like the kernel's repeat, a packet program's ctx and packet
    /// are built once per call and the program run this many times on them, so the setup does not weigh on the time
    /// per run; benchmarks divide by it (OperationsPerInvoke).
    /// </summary>
    public const int RunsPerCall = 32;

    /// <summary>Runs the program <see cref="RunsPerCall"/> times in the interpreter; returns r0 (so the runs cannot be optimized away).</summary>
    public ulong Run() => _run().ReturnValue;

    /// <summary>
    /// The kernel's mean time of one run over <paramref name="repeat"/> runs of one BPF_PROG_TEST_RUN (it times the
    /// program runs only, not the syscall), with its return value; null when the kernel side is missing.
    /// </summary>
    public (double Nanoseconds, uint ReturnValue)? KernelNanosecondsPerRun(uint repeat = 100_000)
    {
        if (_kernelProgram is null) return null;
        var result = KernelProgram.TestRun(_kernelProgram, new TestRunRequest { Data = Packet, Repeat = repeat, DataOutSlack = 4096 });
        return (result.DurationNanoseconds, result.ReturnValue);
    }

    /// <summary>Whether the kernel JIT is on (/proc/sys/net/core/bpf_jit_enable), as text for reports.</summary>
    public static string JitState()
    {
        try
        {
            string value = File.ReadAllText("/proc/sys/net/core/bpf_jit_enable").Trim();
            return value == "0" ? "JIT off (bpf_jit_enable=0: the kernel interprets)" : $"JIT on (bpf_jit_enable={value})";
        }
        catch (IOException e)
        {
            return $"JIT state unknown ({e.Message})";
        }
    }

    private static string? KernelUnavailable(bool wanted)
    {
        if (!wanted) return "kernel side not requested";
        var availability = KernelProbe.Availability;
        return availability.IsPermitted ? null : $"bpf() not permitted: {availability.Reason}";
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _kernelProgram?.Dispose();
        _kernelObject?.Dispose();
    }
}
