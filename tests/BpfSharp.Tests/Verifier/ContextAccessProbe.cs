using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using BpfSharp.Btf;
using BpfSharp.Kernel;
using BpfSharp.Loader;
using BpfSharp.Verifier;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// Asks the running kernel which context accesses a program type accepts: for every offset and size 1/2/4/8 it
/// loads <c>r0 = *(uN *)(r1 +off)</c> and <c>*(uN *)(r1 +off) = r2</c> (r2 = 0) and records accept or reject; a
/// level-2 log of a read tells what the load yields (<c>R0_w=pkt(r=0)</c>, <c>pkt_end()</c>, …). Fields come from
/// the UAPI context struct in the kernel's BTF; the generator folds the probed matrix into them and checks that the
/// folded table answers every probed access exactly as the kernel did.
/// </summary>
public static partial class ContextAccessProbe
{
    /// <summary>Access sizes in the order of <see cref="ContextField.Reads"/>.</summary>
    public static readonly int[] Sizes = [1, 2, 4, 8];

    /// <summary>The UAPI context struct of a program type, or null for untyped contexts.</summary>
    public static string? StructName(ProgramType type) => type switch
    {
        ProgramType.SocketFilter or ProgramType.SchedCls or ProgramType.SchedAct or ProgramType.CgroupSkb or ProgramType.LwtIn
            or ProgramType.LwtOut or ProgramType.LwtXmit or ProgramType.LwtSeg6local or ProgramType.SkSkb or ProgramType.FlowDissector => "__sk_buff",
        ProgramType.Kprobe => "pt_regs",
        ProgramType.PerfEvent => "bpf_perf_event_data",
        ProgramType.Xdp => "xdp_md",
        ProgramType.CgroupSock => "bpf_sock",
        ProgramType.SockOps => "bpf_sock_ops",
        ProgramType.CgroupDevice => "bpf_cgroup_dev_ctx",
        ProgramType.SkMsg => "sk_msg_md",
        ProgramType.CgroupSockAddr => "bpf_sock_addr",
        ProgramType.SkReuseport => "sk_reuseport_md",
        ProgramType.CgroupSysctl => "bpf_sysctl",
        ProgramType.CgroupSockopt => "bpf_sockopt",
        ProgramType.SkLookup => "bpf_sk_lookup",
        ProgramType.Netfilter => "bpf_nf_ctx",
        _ => null,
    };

    /// <summary>
    /// The fields of an untyped context where one range does not describe it: a writable raw tracepoint's first
    /// argument is the tracepoint's buffer (read as a pointer, 8 bytes only), the other arguments are u64 as for
    /// raw tracepoints. Null where the accepted extent is one field.
    /// </summary>
    public static List<Member>? UntypedMembers(ProgramType type) => type switch
    {
        ProgramType.RawTracepointWritable => [new Member("tp_buffer", 0, 8, 8), new Member("args", 8, 11 * 8, 8)],
        _ => null,
    };

    /// <summary>How far to probe: the struct's size plus 8, or a bound for untyped contexts.</summary>
    public static int ProbeLimit(ProgramType type) => StructName(type) is { } name && VmlinuxBtf.Value is { } btf && btf.TryFind(name, BtfKind.Struct, out uint id)
        ? (int)btf.SizeOf(id) + 8
        : type switch
        {
            ProgramType.Tracepoint => 8192 + 8,
            ProgramType.Syscall => 512,
            _ => 12 * 8 + 8,
        };

    /// <summary>Whether the kernel accepts one access.</summary>
    public static bool Accepts(HelperProbeProgram program, int offset, int size, bool write)
    {
        var r = program.Load(Text(program, offset, size, write));
        return r.Succeeded;
    }

    /// <summary>The verifier's name for what a read of <paramref name="size"/> bytes at <paramref name="offset"/> yields.</summary>
    public static string ReadType(HelperProbeProgram program, int offset, int size)
    {
        var r = program.Load(Text(program, offset, size, false), logLevel: ProgramLoadRequest.LogBasic | ProgramLoadRequest.LogVerbose);
        var m = R0Type().Match(r.Log);
        return m.Success ? m.Groups[1].Value : "?";
    }

    /// <summary>The value kind of a verifier register type name.</summary>
    public static (ContextValueKind Kind, string? KernelType) Kind(string regType)
    {
        string name = regType.Split('(')[0];
        if (name.Length == 0 || char.IsDigit(name[0]) || name[0] == '-' || name.StartsWith("scalar", StringComparison.Ordinal))
            return (ContextValueKind.Scalar, null);
        var kind = name switch
        {
            "pkt" => ContextValueKind.PacketStart,
            "pkt_end" => ContextValueKind.PacketEnd,
            "pkt_meta" => ContextValueKind.PacketMeta,
            "sock_common_or_null" => ContextValueKind.SockCommonOrNull,
            "sock_or_null" => ContextValueKind.SocketOrNull,
            "sock" => ContextValueKind.Socket,
            "flow_keys" => ContextValueKind.FlowKeys,
            "tp_buffer" => ContextValueKind.TracepointBuffer,
            _ when name.Contains("_or_null_", StringComparison.Ordinal) => ContextValueKind.BtfPointerOrNull,
            _ when name.Contains("ptr_", StringComparison.Ordinal) => ContextValueKind.BtfPointer,
            _ => ContextValueKind.Other,
        };
        return (kind, name);
    }

    private static string Text(HelperProbeProgram program, int offset, int size, bool write)
    {
        string width = size switch { 1 => "u8", 2 => "u16", 4 => "u32", _ => "u64" };
        string access = write ? $"r2 = 0\n*({width} *)(r1 +{offset}) = r2" : $"r0 = *({width} *)(r1 +{offset})";
        return $"{access}\nr0 = {program.ExitValue}\nexit";
    }

    // The register state after the load: on the instruction's line, or on the next state line for BTF-typed contexts.
    [GeneratedRegex(@"^0: \([0-9a-f]{2}\) r0 = \*\(u\d+ \*\)\(r1 \+\d+\)[\s\S]*?R0(?:_w)?=(\S+)", RegexOptions.Multiline)]
    private static partial Regex R0Type();

    /// <summary>The accept/reject matrix: [offset, size index, write].</summary>
    public static bool[,,] Matrix(HelperProbeProgram program, int limit)
    {
        var m = new bool[limit, 4, 2];
        for (int off = 0; off < limit; off++)
            for (int s = 0; s < 4; s++)
                for (int w = 0; w < 2; w++)
                    m[off, s, w] = Accepts(program, off, Sizes[s], w == 1);
        return m;
    }

    /// <summary>One member range of the context struct: name, offset, size and element size.</summary>
    public sealed record Member(string Name, int Offset, int Size, int ElementSize);

    /// <summary>The members of the context struct, anonymous unions merged into one range named after their members.</summary>
    public static List<Member> Members(string structName)
    {
        var btf = VmlinuxBtf.Value ?? throw new InvalidOperationException("no kernel BTF");
        if (!btf.TryFind(structName, BtfKind.Struct, out uint id)) throw new InvalidOperationException($"no struct {structName} in the kernel's BTF");
        var list = new List<Member>();
        Flatten(btf, id, 0, "", list);
        return list;
    }

    private static void Flatten(BtfSpec btf, uint id, int baseOffset, string prefix, List<Member> list)
    {
        foreach (var m in btf.Members(id))
        {
            int off = baseOffset + (int)(m.BitOffset / 8);
            uint t = btf.SkipModifiers(m.Type);
            var kind = btf.KindOf(t);
            if (m.Name.Length == 0 && kind == BtfKind.Union)
            {
                var names = btf.Members(t).Select(u => u.Name.Length > 0 ? u.Name : "anon").ToArray();
                int element = btf.Members(t).Select(u => ElementSize(btf, btf.SkipModifiers(u.Type))).Max();
                list.Add(new Member(prefix + string.Join('/', names), off, (int)btf.SizeOf(t), element));
            }
            else if (kind is BtfKind.Struct or BtfKind.Union)
            {
                Flatten(btf, t, off, m.Name.Length == 0 ? prefix : prefix + m.Name + ".", list);
            }
            else
            {
                int size = (int)btf.SizeOf(t);
                if (size > 0) list.Add(new Member(prefix + m.Name, off, size, ElementSize(btf, t)));
            }
        }
    }

    private static int ElementSize(BtfSpec btf, uint t)
    {
        while (btf.KindOf(t) == BtfKind.Array) t = btf.SkipModifiers(btf.ArrayInfo(t).ElementType);
        return btf.KindOf(t) is BtfKind.Struct or BtfKind.Union ? 0 : (int)btf.SizeOf(t);
    }

    /// <summary>
    /// Folds a probed matrix into fields: each member (or, without a struct, the accepted extent) becomes one field
    /// when a single placement per size describes it, else it is split into smaller chunks until one does.
    /// </summary>
    public static List<ContextField> Fold(HelperProbeProgram program, bool[,,] m, int limit, List<Member>? members, int extentStart, int extentEnd) =>
        Fold(program.ToString(), m, limit, members, extentStart, extentEnd, (off, size) => Kind(ReadType(program, off, size)));

    /// <summary>
    /// Folds a probed matrix into fields as above; <paramref name="readKind"/> tells what a read of (offset, size)
    /// yields, null where every read yields a scalar (socket pointers' fields).
    /// </summary>
    public static List<ContextField> Fold(string what, bool[,,] m, int limit, List<Member>? members, int extentStart, int extentEnd,
        Func<int, int, (ContextValueKind, string?)>? readKind)
    {
        var ranges = members ?? [new Member("ctx", extentStart, extentEnd - extentStart, 0)];
        var fields = new List<ContextField>();
        for (int i = 0; i < ranges.Count; i++)
        {
            var member = ranges[i];
            if (member.Offset >= limit) continue;
            // An accepted access that starts in the member and runs into the padding after it (a 4-byte load of
            // bpf_sock's 2-byte dst_port) makes the padding part of the field.
            int next = i + 1 < ranges.Count ? ranges[i + 1].Offset : limit;
            int end = member.Offset + member.Size;
            for (int off = member.Offset; off < Math.Min(end, limit); off++)
                for (int s = 0; s < 4; s++)
                    for (int w = 0; w < 2; w++)
                        if (m[off, s, w] && off + Sizes[s] > end && off + Sizes[s] <= next) end = off + Sizes[s];
            int element = member.ElementSize == 0 ? member.Size : member.ElementSize;
            Fold(what, readKind, m, member.Name, member.Offset, Math.Min(end, limit) - member.Offset, element, fields);
        }
        return fields;
    }

    private static void Fold(string what, Func<int, int, (ContextValueKind, string?)>? readKind, bool[,,] m, string name, int offset, int size,
        int element, List<ContextField> fields)
    {
        var reads = new char[4];
        var writes = new char[4];
        bool ok = true;
        for (int s = 0; s < 4 && ok; s++)
            for (int w = 0; w < 2 && ok; w++)
            {
                char? c = Placement(m, offset, size, element, Sizes[s], w);
                if (c is null) ok = false;
                else (w == 0 ? reads : writes)[s] = c.Value;
            }
        if (!ok)
        {
            int chunk = size >= 16 ? 8 : size / 2;
            if (chunk == 0) throw new InvalidOperationException($"{what}: cannot fold {name} at {offset}");
            for (int o = 0; o < size; o += chunk)
                Fold(what, readKind, m, $"{name}+{o}", offset + o, Math.Min(chunk, size - o), Math.Min(element == 0 ? chunk : element, chunk), fields);
            return;
        }
        string r = new(reads), wr = new(writes);
        if (r == "----" && wr == "----") return;
        var value = (ContextValueKind.Scalar, (string?)null);
        // The widest read the field accepts, at its start if there is one there.
        var read = Enumerable.Range(0, 4).Reverse().SelectMany(s => Enumerable.Range(offset, size).Select(o => (o, s)))
            .Where(x => x.o + Sizes[x.s] <= offset + size && m[x.o, x.s, 0])
            .OrderBy(x => x.o != offset).Select(x => ((int, int)?)x).FirstOrDefault();
        if (read is { } at && readKind is not null) value = readKind(at.Item1, Sizes[at.Item2]);
        fields.Add(new ContextField(name, offset, size, r, wr, value.Item1, value.Item2, element == size || element == 0 ? 0 : element));
    }

    // The placement that describes the accepted accesses of one size inside [offset, offset + size), or null.
    private static char? Placement(bool[,,] m, int offset, int size, int element, int access, int w)
    {
        int s = Array.IndexOf(Sizes, access);
        var accepted = new List<int>();
        var aligned = new List<int>();
        var head = new List<int>();
        for (int o = offset; o + access <= offset + size; o++)
        {
            if (m[o, s, w]) accepted.Add(o);
            if (o % access == 0) aligned.Add(o);
            if (o % access == 0 && element > 0 && o + access <= offset + element) head.Add(o);
        }
        if (accepted.Count == 0) return '-';
        if (accepted.SequenceEqual(aligned)) return 'A';
        if (accepted.Count == 1 && accepted[0] == offset) return 'S';
        if (accepted.SequenceEqual(head)) return 'E';
        return accepted.SequenceEqual(aligned.Where(o => o != offset)) ? 'T' : null;
    }

    /// <summary>The probed accesses a layout answers differently from the kernel, as text.</summary>
    public static List<string> Mismatches(ContextLayout layout, bool[,,] m, int limit) => Mismatches(layout.Fields, m, limit);

    /// <summary>The probed accesses a list of fields answers differently from the kernel, as text.</summary>
    public static List<string> Mismatches(IReadOnlyList<ContextField> fields, bool[,,] m, int limit)
    {
        var list = new List<string>();
        for (int off = 0; off < limit; off++)
            for (int s = 0; s < 4; s++)
                for (int w = 0; w < 2; w++)
                {
                    var field = fields.FirstOrDefault(f => off >= f.Offset && off < f.End);
                    bool table = field is not null && field.Allows(off, Sizes[s], w == 1);
                    if (table != m[off, s, w]) list.Add($"{(w == 1 ? "write" : "read")} off={off} size={Sizes[s]}: kernel {(m[off, s, w] ? "accepts" : "rejects")}");
                }
        return list;
    }

    /// <summary>The C# source of <c>ContextTables.Data.cs</c>.</summary>
    public static string Generate(IReadOnlyList<ContextLayout> layouts, IReadOnlyList<string> notes)
    {
        string release = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        var sb = new StringBuilder();
        sb.Append("// <auto-generated>\n");
        sb.Append($"// Generated on Linux {release} (as root) by the kernel probe in tests/BpfSharp.Tests/Verifier/ContextAccessProbe.cs: every\n");
        sb.Append("// offset from 0 to the context size + 8, sizes 1/2/4/8, read (r0 = *(uN *)(r1 +off)) and write (*(uN *)(r1 +off) = r2),\n");
        sb.Append("// folded into the UAPI struct's fields (from the kernel's BTF); a read's value kind is what a level-2 log shows for R0.\n");
        sb.Append("// Regenerate as root with\n");
        sb.Append("//   BPFSHARP_REGENERATE=1 dotnet test tests/BpfSharp.Tests --filter FullyQualifiedName~ContextTablesGenerator\n");
        foreach (var n in notes) sb.Append($"// {n}\n");
        sb.Append("// Reads/Writes: placements for sizes 1, 2, 4, 8: A aligned anywhere in the field, E aligned inside its first\n// element (FieldSize bytes), S at its start only, T aligned anywhere but its start, - never.\n");
        sb.Append("// </auto-generated>\n");
        sb.Append("using BpfSharp.Loader;\nusing V = BpfSharp.Verifier.ContextValueKind;\n\nnamespace BpfSharp.Verifier;\n\n");
        sb.Append("public static partial class ContextTables\n{\n");
        sb.Append("    /// <summary>The kernel release the context tables were generated on.</summary>\n");
        sb.Append($"    public const string KernelRelease = \"{release}\";\n\n");
        sb.Append("    private static readonly ContextLayout[] AllLayouts =\n    [\n");
        foreach (var l in layouts)
        {
            string attach = l.Attach is { } a ? $"AttachType.{a}" : "null";
            sb.Append($"        new(ProgramType.{l.Type}, {attach}, \"{l.StructName}\", {l.Size},\n        [\n");
            foreach (var f in l.Fields)
            {
                sb.Append($"            new(\"{f.Name}\", {f.Offset}, {f.Size}, \"{f.Reads}\", \"{f.Writes}\"");
                if (f.Value != ContextValueKind.Scalar || f.ElementSize != 0) sb.Append($", V.{f.Value}");
                if (f.KernelType is not null || f.ElementSize != 0) sb.Append(f.KernelType is null ? ", null" : $", \"{f.KernelType}\"");
                if (f.ElementSize != 0) sb.Append(CultureInfo.InvariantCulture, $", {f.ElementSize}");
                sb.Append("),\n");
            }
            sb.Append("        ]),\n");
        }
        sb.Append("    ];\n}\n");
        return sb.ToString();
    }
}
