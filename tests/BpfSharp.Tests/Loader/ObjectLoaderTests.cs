using BpfSharp.Isa;
using BpfSharp.Loader;
using BpfSharp.Tests.TestSupport;

namespace BpfSharp.Tests.Loader;

public class ObjectLoaderTests
{
    private static ObjectSpec Load(string relative, LoadOptions? options = null) =>
        ObjectLoader.LoadFile(TestObjects.InRepository(relative), options);

    public static TheoryData<string, string> LinkedFixtures() => new()
    {
        { "tests/objects/linking.o", "tests/objects/linking.linked" },
        { "samples/xdp_counter.o", "tests/objects/xdp_counter.linked" },
    };

    /// <summary>
    /// The fixtures are what libbpf hands to the kernel for the same objects (tests/tools/libbpf_linked.c on
    /// Linux 6.18): program order, subprogram order, call offsets, callbacks and map references must match.
    /// </summary>
    [Theory]
    [MemberData(nameof(LinkedFixtures))]
    public void Links_programs_exactly_as_libbpf_does(string objectPath, string fixturePath)
    {
        var spec = Load(objectPath);
        var expected = ParseFixture(File.ReadAllLines(TestObjects.InRepository(fixturePath)));
        Assert.Equal(expected.Select(e => e.Name), spec.Programs.Select(p => p.Name));
        foreach (var (name, lines) in expected)
        {
            var program = spec.FindProgram(name)!;
            Assert.Empty(program.Problems);
            Assert.Equal(lines, Normalize(program));
        }
    }

    [Fact]
    public void Subprograms_are_appended_in_depth_first_order_of_first_call()
    {
        var second = Load("tests/objects/linking.o").FindProgram("second")!;
        Assert.Equal(["second", "loop_body", "leaf"], second.Functions.Select(f => f.Name));
        var first = Load("tests/objects/linking.o").FindProgram("first")!;
        Assert.Equal(["first", "middle", "leaf", "global_helper"], first.Functions.Select(f => f.Name));
        Assert.Equal(first.LinkedInstructionCount, first.Functions.Sum(f => f.Length));
    }

    [Fact]
    public void Func_and_line_info_follow_the_code_they_describe()
    {
        var first = Load("tests/objects/linking.o").FindProgram("first")!;
        Assert.Equal(first.Functions.Select(f => f.Start), first.FuncInfos.Select(f => f.InstructionIndex));
        Assert.NotEmpty(first.LineInfos);
        Assert.All(first.LineInfos, l => Assert.InRange(l.InstructionIndex, 0, first.LinkedInstructionCount - 1));
        Assert.Equal(first.LineInfos.Select(l => l.InstructionIndex).Order(), first.LineInfos.Select(l => l.InstructionIndex));
        // The leaf function's first line is its return statement in linking.c.
        var leaf = first.Functions.Single(f => f.Name == "leaf");
        Assert.Contains(first.LineInfos, l => l.InstructionIndex == leaf.Start && l.Line.Contains("x * 3 + limit") && l.FileName.EndsWith("linking.c"));
    }

    [Fact]
    public void Reads_BTF_maps_with_inner_maps_initial_values_and_pinning()
    {
        var spec = Load("tests/objects/linking.o");
        var outer = spec.Maps.Single(m => m.Name == "outer");
        Assert.Equal(MapType.ArrayOfMaps, outer.Type);
        Assert.Equal((4u, 4u, 2u), (outer.KeySize, outer.ValueSize, outer.MaxEntries));
        Assert.NotNull(outer.InnerMap);
        Assert.Equal((MapType.Array, 4u, 8u, 4u), (outer.InnerMap!.Type, outer.InnerMap.KeySize, outer.InnerMap.ValueSize, outer.InnerMap.MaxEntries));
        Assert.Equal([new MapSlot(1, "inner_a")], outer.InitialSlots);
        Assert.Equal([new MapSlot(2, "tail_target")], spec.Maps.Single(m => m.Name == "jump_table").InitialSlots);
        Assert.Equal(MapPinning.ByName, spec.Maps.Single(m => m.Name == "pinned_hash").Pinning);
        Assert.True(spec.Maps.Single(m => m.Name == "pinned_hash").BtfKeyTypeId != 0);
    }

    [Fact]
    public void Global_data_sections_become_array_maps()
    {
        var spec = Load("tests/objects/linking.o");
        var data = spec.Maps.Single(m => m.Name == ".data");
        Assert.Equal((MapType.Array, 4u, 8u, 1u), (data.Type, data.KeySize, data.ValueSize, data.MaxEntries));
        Assert.Equal(BitConverter.GetBytes(1UL), data.Contents);
        var rodata = spec.Maps.Single(m => m.Name == ".rodata");
        Assert.True(rodata.Freeze);
        Assert.Equal(MapSpec.FlagReadOnlyProgram | MapSpec.FlagMmapable, rodata.Flags);
        Assert.Equal(BitConverter.GetBytes(7u), rodata.Contents);
        var bss = spec.Maps.Single(m => m.Name == ".bss");
        Assert.Null(bss.Contents);
        Assert.Equal(MapSpec.FlagMmapable, bss.Flags);
    }

    [Fact]
    public void Reads_legacy_map_sections_that_libbpf_1_refuses()
    {
        var spec = Load("tests/objects/legacy_maps.o");
        Assert.Equal(["counters", "flags_map"], spec.Maps.Select(m => m.Name));
        Assert.Equal((MapType.Array, 4u, 8u, 16u, 0u), (spec.Maps[0].Type, spec.Maps[0].KeySize, spec.Maps[0].ValueSize, spec.Maps[0].MaxEntries, spec.Maps[0].Flags));
        Assert.Equal((MapType.Hash, 1u), (spec.Maps[1].Type, spec.Maps[1].Flags));
        Assert.Equal(0x060c00u, spec.KernelVersion);
        Assert.Equal("GPL", spec.License);
        var program = Assert.Single(spec.Programs);
        Assert.Equal((ProgramType.SocketFilter, true), (program.Type, program.Section.IsLegacy));
        // Both map references became map indexes.
        var loads = program.Instructions.Where(i => i.IsLoadImm64).ToArray();
        Assert.Equal([(PseudoSource.MapIdx, 0), (PseudoSource.MapIdx, 1)], loads.Select(i => (i.Src, i.Immediate)));
    }

    [CorpusFact]
    public void A_call_to_an_undefined_function_is_reported_on_the_program_that_makes_it()
    {
        var spec = ObjectLoader.LoadFile(Corpus("build/externalfunction.o"));
        var program = Assert.Single(spec.Programs);
        Assert.Equal(["instruction 6: call to undefined external function 'bpf_map_lookup_elem'"], program.Problems);
    }

    [Fact]
    public void Program_types_can_be_overridden()
    {
        string path = TestObjects.InRepository("tests/objects/linking.o");
        var all = ObjectLoader.LoadFile(path, new LoadOptions { ProgramType = ProgramType.SchedCls });
        Assert.All(all.Programs, p => Assert.Equal((ProgramType.SchedCls, true), (p.Type, p.TypeOverridden)));
        var one = ObjectLoader.LoadFile(path, new LoadOptions { ProgramTypes = new Dictionary<string, ProgramType> { ["first"] = ProgramType.SocketFilter } });
        Assert.Equal(ProgramType.SocketFilter, one.FindProgram("first")!.Type);
        Assert.Equal(ProgramType.SchedCls, one.FindProgram("second")!.Type);
    }

    [CorpusFact]
    public void Objects_from_old_LLVM_with_machine_EM_NONE_and_static_entry_symbols_load()
    {
        var spec = ObjectLoader.LoadFile(Corpus("ovs/datapath.o"));
        Assert.Contains(spec.Programs, p => p.Name == "xdp_ingress" && p.SectionName == "xdp" && p.Type == ProgramType.Xdp);
        Assert.Contains(spec.Programs, p => p.Name == "ovs_parser" && p.SectionName == "tail-32" && p.Type == ProgramType.Unspec);
    }

    [CorpusFact]
    public void Iproute2_map_definitions_keep_their_pinning()
    {
        var spec = ObjectLoader.LoadFile(Corpus("linux/test_cgrp2_tc_kern.o"));
        var map = spec.Maps.Single(m => m.Name == "test_cgrp2_array_pin");
        Assert.Equal((MapType.CgroupArray, MapPinning.GlobalNamespace), (map.Type, map.Pinning));
        var inMap = ObjectLoader.LoadFile(Corpus("linux/test_map_in_map_kern.o"));
        // samples/bpf's 28-byte layout: inner_map_idx indexes the maps in section order.
        MapSpec Named(string name) => inMap.Maps.Single(m => m.Name == name);
        Assert.Same(Named("port_a"), Named("a_of_port_a").InnerMap);
        Assert.Same(Named("port_h"), Named("h_of_port_h").InnerMap);
        // The kernel stores map fds in maps of maps: the value size is 4 whatever the definition says.
        Assert.Equal(4u, Named("h_of_port_h").ValueSize);
    }

    private static string Corpus(string relative) => TestCorpus.PathOf(relative);

    private static List<(string Name, List<string> Lines)> ParseFixture(string[] lines)
    {
        var result = new List<(string, List<string>)>();
        foreach (var text in lines)
        {
            string line = text;
            if (line.StartsWith("program ", StringComparison.Ordinal))
            {
                result.Add((line.Split(' ')[1], []));
                continue;
            }
            var parts = line.Split(' ');
            // libbpf names a global data map "<first 8 chars of the object name>.<section>".
            if (parts[0] == "map" && !parts[1].StartsWith('.') && parts[1].IndexOf('.') is > 0 and var dot)
                line = $"map *{parts[1][dot..]} {parts[2]}";
            result[^1].Item2.Add(line);
        }
        return result;
    }

    // Our linked code in the fixture's form; libbpf names global data maps "<object prefix>.<section>".
    private static List<string> Normalize(ProgramSpec program)
    {
        var lines = new List<string>();
        var insns = program.Instructions;
        for (int i = 0; i < insns.Length; i++)
        {
            var insn = insns[i];
            if (insn.IsLoadImm64 && insn.Src is PseudoSource.MapIdx or PseudoSource.MapIdxValue)
            {
                var map = program.Maps[insn.Immediate];
                string name = map.Kind == MapDefinitionKind.GlobalData ? "*" + map.Name : map.Name;
                lines.Add($"map {name} {(uint)insns[i + 1].Immediate}");
                i++;
                continue;
            }
            lines.Add($"{insn.Opcode:x2} {insn.Dst} {insn.Src} {insn.Offset} {insn.Immediate}");
        }
        return lines;
    }
}
