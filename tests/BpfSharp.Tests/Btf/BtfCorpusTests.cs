using BpfSharp.Binary;
using BpfSharp.Btf;
using BpfSharp.Tests.TestSupport;
using Xunit.Abstractions;

namespace BpfSharp.Tests.Btf;

/// <summary>
/// Parses the .BTF and .BTF.ext of real compiled objects from the shared corpus. Skipped, with the reason shown,
/// when the corpus is absent.
/// </summary>
public class BtfCorpusTests(ITestOutputHelper output)
{
    public static TheoryData<string> BtfObjects => [.. TestCorpus.ObjectsWithBtf];

    private static (BtfSpec Spec, BtfExt? Ext, string Path) Load(string relative)
    {
        string path = TestCorpus.PathOf(relative);
        var spec = BtfSpec.Parse(TestObjects.Section(path, ".BTF"), new FormatLocation(relative, ".BTF"));
        var extBytes = TestObjects.Section(path, ".BTF.ext");
        var ext = extBytes is null ? null : BtfExt.Parse(extBytes, spec, new FormatLocation(relative, ".BTF.ext"));
        return (spec, ext, path);
    }

    [CorpusFact]
    public void CorpusHasObjectsWithBtf()
    {
        // The corpus directory exists (otherwise this is skipped): it must actually hold BTF-carrying objects,
        // or every theory below would silently test nothing.
        Assert.True(TestCorpus.ObjectsWithBtf.Count >= 4, $"only {TestCorpus.ObjectsWithBtf.Count} objects with .BTF under {TestCorpus.Directory}");
        Assert.Contains("cilium-examples/xdp_bpf_bpfel.o", TestCorpus.ObjectsWithBtf);
        Assert.Contains("new_linux/sockex1_kern.o", TestCorpus.ObjectsWithBtf);
        Assert.Contains("build/twostackvars.o", TestCorpus.ObjectsWithBtf);
        Assert.Contains("build/map_in_map.o", TestCorpus.ObjectsWithBtf);
    }

    [CorpusTheory]
    [MemberData(nameof(BtfObjects))]
    public void ObjectParsesAndFuncInfoMatchesSymbols(string relative)
    {
        var (spec, ext, path) = Load(relative);
        Assert.True(spec.Count > 1);
        for (uint id = 0; id < spec.Count; id++)
        {
            Assert.False(string.IsNullOrEmpty(spec.Format(id)));
            if (spec.TrySizeOf(id, out uint size)) Assert.Equal(size, spec.SizeOf(id));
        }
        // Every datasec entry is a var or func and every func points at a prototype (checked by Parse; spot-check).
        for (uint id = 1; id < spec.Count; id++)
        {
            if (spec.KindOf(id) == BtfKind.Func) Assert.Equal(BtfKind.FuncProto, spec.KindOf(spec.TypeOf(id)));
            if (spec.KindOf(id) == BtfKind.Datasec)
                Assert.All(spec.DatasecVars(id), v => Assert.Contains(spec.KindOf(v.Type), new[] { BtfKind.Var, BtfKind.Func }));
        }

        Assert.NotNull(ext);
        var symbols = TestObjects.FunctionSymbols(path).ToHashSet();
        int funcs = 0;
        foreach (var (section, infos) in ext.FuncInfos)
        {
            foreach (var info in infos)
            {
                string name = spec.NameOf(info.TypeId);
                Assert.True(symbols.Contains((section, (ulong)info.InstructionIndex * 8, name)),
                    $"func_info {name} at {section}+{info.InstructionIndex} has no matching function symbol");
                funcs++;
            }
            Assert.True(ext.LineInfos.ContainsKey(section), $"no line info for {section}");
        }
        Assert.True(funcs > 0);
        // Every function symbol in a section with func_info is described.
        foreach (var (section, value, name) in symbols.Where(s => ext.FuncInfos.ContainsKey(s.Section)))
            Assert.Contains(ext.FuncInfos[section], f => (ulong)f.InstructionIndex * 8 == value && spec.NameOf(f.TypeId) == name);
        foreach (var lines in ext.LineInfos.Values)
        {
            Assert.All(lines, l => Assert.False(string.IsNullOrEmpty(l.FileName)));
            Assert.Equal(lines.OrderBy(l => l.InstructionIndex).Select(l => l.InstructionIndex), lines.Select(l => l.InstructionIndex));
        }
        foreach (var relocation in ext.CoreRelocations.Values.SelectMany(r => r))
        {
            if (relocation.Kind <= BtfCoreRelocationKind.FieldRShiftU64) AccessPath(spec, relocation);
        }
        int relocations = ext.CoreRelocations.Values.Sum(r => r.Count);
        output.WriteLine($"{relative}: {spec.Count} types, {funcs} funcs, {ext.LineInfos.Values.Sum(l => l.Count)} lines, {relocations} CO-RE relocations");
    }

    /// <summary>
    /// Follows a field relocation's access string (<c>0:1:2</c>: an array index on the root, then member or
    /// element indexes) through the local BTF and returns the member names passed, checking every index exists.
    /// </summary>
    private static List<string> AccessPath(BtfSpec spec, BtfCoreRelocation relocation)
    {
        var indexes = relocation.AccessString.Split(':').Select(uint.Parse).ToArray();
        var names = new List<string>();
        uint type = spec.SkipModifiers(relocation.TypeId);
        foreach (uint index in indexes.Skip(1))
        {
            switch (spec.KindOf(type))
            {
                case BtfKind.Struct or BtfKind.Union:
                    var members = spec.Members(type);
                    Assert.True(index < members.Count, $"{relocation}: member {index} of {spec.Format(type)}");
                    names.Add(members[(int)index].Name);
                    type = spec.SkipModifiers(members[(int)index].Type);
                    break;
                case BtfKind.Array:
                    var array = spec.ArrayInfo(type);
                    Assert.True(index < array.Length || array.Length == 0, $"{relocation}: element {index} of {spec.Format(type)}");
                    type = spec.SkipModifiers(array.ElementType);
                    break;
                default:
                    Assert.Fail($"{relocation}: cannot index {spec.Format(type)}");
                    break;
            }
        }
        return names;
    }

    [CorpusFact]
    public void TcpRttCoreRelocations()
    {
        var (spec, ext, _) = Load("cilium-examples/tcprtt_bpf_bpfel.o");
        var relocations = ext!.CoreRelocations["fentry/tcp_close"];
        Assert.Equal([1, 13, 15, 17, 20, 22], relocations.Select(r => r.InstructionIndex));
        Assert.All(relocations, r => Assert.Equal(BtfCoreRelocationKind.FieldByteOffset, r.Kind));
        Assert.Equal("struct sock", spec.Format(relocations[0].TypeId));
        Assert.Equal("struct tcp_sock", spec.Format(relocations[5].TypeId));
        Assert.Equal("0:0:0:0:1", relocations[1].AccessString);
        string Path(int i) => string.Join(".", AccessPath(spec, relocations[i]));
        output.WriteLine(string.Join(Environment.NewLine, relocations.Select((r, i) => $"{r.AccessString} -> {Path(i)}")));
        // Anonymous unions/structs on the way contribute empty names.
        Assert.Equal("__sk_common.skc_family", Path(0));
        Assert.Equal("__sk_common...skc_rcv_saddr", Path(1));
        Assert.Equal("__sk_common...skc_dport", Path(3));
        Assert.Equal("srtt_us", Path(5));
    }

    [CorpusFact]
    public void XdpExampleMapsSection()
    {
        var (spec, ext, _) = Load("cilium-examples/xdp_bpf_bpfel.o");
        Assert.True(spec.TryFind(".maps", BtfKind.Datasec, out uint maps));
        var vars = spec.DatasecVars(maps);
        uint statsMap = Assert.Single(vars).Type;
        Assert.Equal(BtfKind.Var, spec.KindOf(statsMap));
        Assert.Equal("xdp_stats_map", spec.NameOf(statsMap));
        Assert.Equal(BtfVarLinkage.GlobalAllocated, spec.VarLinkage(statsMap));

        // The BTF-defined map: an anonymous struct whose members encode the map's parameters.
        uint def = spec.TypeOf(statsMap);
        Assert.Equal(BtfKind.Struct, spec.KindOf(def));
        Assert.Equal("struct (anon) xdp_stats_map", spec.Format(statsMap));
        var members = spec.Members(def).ToDictionary(m => m.Name);
        Assert.Equal(["type", "max_entries", "key", "value"], spec.Members(def).Select(m => m.Name));
        Assert.Equal(9u, spec.ArrayInfo(spec.TypeOf(members["type"].Type)).Length); // BPF_MAP_TYPE_LRU_HASH
        Assert.Equal(16u, spec.ArrayInfo(spec.TypeOf(members["max_entries"].Type)).Length);
        Assert.Equal("__u32 *", spec.Format(members["key"].Type));
        Assert.Equal(4u, spec.SizeOf(spec.TypeOf(members["value"].Type)));
        Assert.Equal(32u, spec.SizeOf(def));

        Assert.True(spec.TryFind("xdp_prog_func", BtfKind.Func, out uint prog));
        Assert.Equal("int xdp_prog_func(struct xdp_md *ctx)", spec.Format(prog));
        Assert.Equal(BtfFuncLinkage.Global, spec.FuncLinkage(prog));
        Assert.Equal([new BtfFuncInfo(0, prog)], ext!.FuncInfos["xdp"]);
        Assert.True(spec.TryFind("__license", BtfKind.Var, out uint license));
        Assert.Equal("char __license[13]", spec.Format(license));
        Assert.All(ext.LineInfos["xdp"], l => Assert.Equal("./xdp.c", l.FileName));
    }

    [CorpusFact]
    public void SocketFilterExample()
    {
        var (spec, ext, _) = Load("new_linux/sockex1_kern.o");
        Assert.True(spec.TryFind("__sk_buff", BtfKind.Struct, out uint skb));
        Assert.Equal(184u, spec.SizeOf(skb));
        Assert.Contains(spec.Members(skb), m => m.Name == "len" && m.BitOffset == 0);
        Assert.True(spec.TryFind("bpf_flow_keys", BtfKind.Fwd, out uint keys));
        Assert.Equal(BtfKind.Struct, spec.ForwardKind(keys));
        Assert.True(spec.TryFind("bpf_prog1", BtfKind.Func, out uint prog));
        Assert.Equal("int bpf_prog1(struct __sk_buff *skb)", spec.Format(prog));
        Assert.Equal("skb", spec.Params(prog)[0].Name);
        Assert.Equal(prog, Assert.Single(ext!.FuncInfos["socket1"]).TypeId);
        Assert.True(spec.TryFind(".maps", BtfKind.Datasec, out uint maps));
        Assert.Equal("my_map", spec.NameOf(Assert.Single(spec.DatasecVars(maps)).Type));
        var first = ext.LineInfos["socket1"][0];
        Assert.Equal((0, 16u, "int bpf_prog1(struct __sk_buff *skb)"), (first.InstructionIndex, first.LineNumber, first.Line));
        Assert.EndsWith("sockex1_kern.c", first.FileName);
    }

    [CorpusFact]
    public void TwoStackVarsExample()
    {
        var (spec, ext, _) = Load("build/twostackvars.o");
        Assert.True(spec.TryFind("func", BtfKind.Func, out uint func));
        Assert.Equal("int func(struct ctx *ctx)", spec.Format(func));
        uint param = spec.Params(func)[0].Type;
        Assert.Equal(BtfKind.Fwd, spec.KindOf(spec.TypeOf(param)));
        Assert.Equal([new BtfFuncInfo(0, func)], ext!.FuncInfos[".text"]);
        Assert.Equal(46, ext.LineInfos[".text"].Count);
    }

    [CorpusFact]
    public void MapInMapExample()
    {
        var (spec, _, _) = Load("build/map_in_map.o");
        Assert.True(spec.TryFind("array_of_maps", BtfKind.Var, out uint outer));
        uint def = spec.TypeOf(outer);
        var values = Assert.Single(spec.Members(def), m => m.Name == "values");
        Assert.Equal("struct (anon) *[0]", spec.Format(values.Type));
        Assert.Equal(0u, spec.SizeOf(values.Type));
        // The inner map's definition is the pointee of the values array.
        uint inner = spec.TypeOf(spec.ArrayInfo(values.Type).ElementType);
        Assert.True(spec.TryFind("inner_map", BtfKind.Var, out uint innerVar));
        Assert.Equal(spec.TypeOf(innerVar), inner);
    }
}
