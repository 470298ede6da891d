using System.Globalization;
using System.Text;
using BpfSharp.Btf;
using BpfSharp.Isa;
using BpfSharp.Kernel;
using BpfSharp.Loader;
using BpfSharp.Verifier;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// Asks the running kernel which reads it accepts through each socket pointer type: a program gets such a pointer
/// (sched_cls: <c>skb-&gt;sk</c> is a <c>sock_common</c>, <c>bpf_sk_fullsock</c> of it a <c>sock</c>,
/// <c>bpf_tcp_sock</c> a <c>tcp_sock</c>; xdp: a lookup in an XSKMAP an <c>xdp_sock</c>), checks it against NULL and
/// loads <c>r0 = *(uN *)(rX +off)</c> for every offset up to the struct's size + 8 and sizes 1/2/4/8. The matrix is
/// folded into the UAPI struct's fields (from the kernel's BTF) like the context tables.
/// </summary>
public static class SockAccessProbe
{
    /// <summary>
    /// How a probe program gets a pointer of <paramref name="Type"/>: the program kind, the instructions up to a
    /// non-NULL pointer in <paramref name="Register"/>, and the map they use (if any).
    /// </summary>
    public sealed record Source(RegType Type, string StructName, HelperProbeProgram Program, string How, string Prologue, string Register,
        MapType? Map = null)
    {
        /// <inheritdoc/>
        public override string ToString() => $"{Type} ({How})";
    }

    // skb->sk (offset 168 of __sk_buff) NULL-checked: a sock_common.
    private const string SkbSk = "r1 = *(u64 *)(r1 +168)\nif r1 != 0 goto +2\nr0 = 0\nexit\n";

    /// <summary>The pointer types and how the probe gets each.</summary>
    public static IReadOnlyList<Source> Sources { get; } =
    [
        new(RegType.Socket, "bpf_sock", new(ProgramType.SchedCls), "sched_cls: bpf_sk_fullsock(skb->sk)",
            SkbSk + "call 95\nif r0 != 0 goto +2\nr0 = 0\nexit\n", "r0"),
        new(RegType.SockCommon, "bpf_sock", new(ProgramType.SchedCls), "sched_cls: skb->sk", SkbSk, "r1"),
        new(RegType.TcpSock, "bpf_tcp_sock", new(ProgramType.SchedCls), "sched_cls: bpf_tcp_sock(skb->sk)",
            SkbSk + "call 96\nif r0 != 0 goto +2\nr0 = 0\nexit\n", "r0"),
        new(RegType.XdpSock, "bpf_xdp_sock", new(ProgramType.Xdp), "xdp: bpf_map_lookup_elem(xskmap, &0)",
            "r1 = map[m] ll\nr2 = 0\n*(u32 *)(r10 -4) = r2\nr2 = r10\nr2 += -4\ncall 1\nif r0 != 0 goto +2\nr0 = 0\nexit\n", "r0",
            MapType.Xskmap),
    ];

    /// <summary>How far to probe: the struct's size (from the kernel's BTF) plus 8.</summary>
    public static int ProbeLimit(Source source) => StructSize(source.StructName) + 8;

    /// <summary>The size of a UAPI struct in the kernel's BTF.</summary>
    public static int StructSize(string structName)
    {
        var btf = VmlinuxBtf.Value ?? throw new InvalidOperationException("no kernel BTF");
        if (!btf.TryFind(structName, BtfKind.Struct, out uint id)) throw new InvalidOperationException($"no struct {structName} in the kernel's BTF");
        return (int)btf.SizeOf(id);
    }

    /// <summary>
    /// The accept/reject matrix [offset, size index, write] of reads through <paramref name="source"/>'s pointer;
    /// writes are never tried (the verifier refuses them before looking at the offset) and stay false.
    /// </summary>
    public static bool[,,] Matrix(Source source, int limit)
    {
        using var map = CreateMap(source);
        var m = new bool[limit, 4, 2];
        for (int off = 0; off < limit; off++)
            for (int s = 0; s < 4; s++)
                m[off, s, 0] = Accepts(source, map, off, ContextAccessProbe.Sizes[s]);
        return m;
    }

    /// <summary>The map <paramref name="source"/>'s prologue uses, or null; the caller disposes it.</summary>
    public static KernelMap? CreateMap(Source source)
    {
        var map = source.Map is { } type ? KernelMap.Create(type, 4, 4, 1, 0, "sockprobe") : null;
        // The prologue must load: otherwise every probe would fail for another reason than the access.
        var baseline = Load(source, map, "r0 = 0\nexit");
        if (!baseline.Succeeded)
        {
            map?.Dispose();
            throw new InvalidOperationException($"{source}: the probe's prologue does not load: {VerifierLogParser.ErrorMessage(baseline.Log)}");
        }
        return map;
    }

    /// <summary>Whether the kernel accepts a <paramref name="size"/>-byte read at <paramref name="offset"/> (which may be negative).</summary>
    public static bool Accepts(Source source, KernelMap? map, int offset, int size)
    {
        string width = size switch { 1 => "u8", 2 => "u16", 4 => "u32", _ => "u64" };
        string at = offset < 0 ? $"-{-offset}" : $"+{offset}";
        return Load(source, map, $"r0 = *({width} *)({source.Register} {at})\nr0 = 0\nexit").Succeeded;
    }

    /// <summary>The kernel's answer to the prologue followed by <paramref name="body"/>.</summary>
    public static ProgramLoadResult Load(Source source, KernelMap? map, string body)
    {
        var insns = Assembler.Assemble(source.Prologue + body, new MapSymbols(map is null ? [] : ["m"]));
        for (int i = 0; i < insns.Length; i++)
            if (map is not null && insns[i].Opcode == 0x18 && insns[i].Src == PseudoSource.MapIdx)
                insns[i] = new Instruction(insns[i].Opcode, insns[i].Dst, PseudoSource.MapFd, insns[i].Offset, (int)map.Fd.DangerousGetHandle());
        return source.Program.Load(insns);
    }

    /// <summary>The fields of <paramref name="source"/>'s struct folded from its matrix.</summary>
    public static List<ContextField> Fold(Source source, bool[,,] matrix, int limit) =>
        ContextAccessProbe.Fold(source.ToString(), matrix, limit, ContextAccessProbe.Members(source.StructName), 0, limit, readKind: null);

    /// <summary>The C# source of <c>SockFields.Data.cs</c>.</summary>
    internal static string Generate(IReadOnlyList<(Source Source, SockLayout Layout)> layouts)
    {
        string release = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        var sb = new StringBuilder();
        sb.Append("// <auto-generated>\n");
        sb.Append($"// Generated on Linux {release} (as root) by the kernel probe in tests/BpfSharp.Tests/Verifier/SockAccessProbe.cs: a program\n");
        sb.Append("// gets a pointer of each type, checks it against NULL and reads r0 = *(uN *)(rX +off) for every offset from 0 to the\n");
        sb.Append("// struct's size + 8 and sizes 1/2/4/8; the answers are folded into the UAPI struct's fields (from the kernel's BTF).\n");
        sb.Append("// Regenerate as root with\n");
        sb.Append("//   BPFSHARP_REGENERATE=1 dotnet test tests/BpfSharp.Tests --filter FullyQualifiedName~SockFieldsGenerator\n");
        foreach (var (source, _) in layouts) sb.Append($"// {source.Type}: {source.How}\n");
        sb.Append("// Reads: placements for sizes 1, 2, 4, 8: A aligned anywhere in the field, E aligned inside its first element\n");
        sb.Append("// (FieldSize bytes), S at its start only, - never. Writes: never (\"R%d cannot write into %s\" comes first).\n");
        sb.Append("// </auto-generated>\n");
        sb.Append("namespace BpfSharp.Verifier;\n\n");
        sb.Append("internal static partial class SockFields\n{\n");
        sb.Append("    /// <summary>The kernel release the socket field tables were generated on.</summary>\n");
        sb.Append($"    public const string KernelRelease = \"{release}\";\n\n");
        sb.Append("    private static readonly SockLayout[] AllLayouts =\n    [\n");
        foreach (var (_, l) in layouts)
        {
            sb.Append($"        new(RegType.{l.Type}, \"{l.StructName}\", {l.Size},\n        [\n");
            foreach (var f in l.Fields)
            {
                sb.Append($"            new(\"{f.Name}\", {f.Offset}, {f.Size}, \"{f.Reads}\", \"{f.Writes}\"");
                if (f.ElementSize != 0) sb.Append(CultureInfo.InvariantCulture, $", ContextValueKind.Scalar, null, {f.ElementSize}");
                sb.Append("),\n");
            }
            sb.Append("        ]),\n");
        }
        sb.Append("    ];\n}\n");
        return sb.ToString();
    }
}
