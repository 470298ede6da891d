using BpfSharp.Isa;
using BpfSharp.Loader;
using BpfSharp.Tests.TestSupport;

namespace BpfSharp.Tests.Verifier;

/// <summary>The fixture files themselves: they parse and assemble without bpf(), and cover every topic.</summary>
public class VerifierFixtureTests
{
    // The topic folders; each is a part of the verifier the fixtures must specify.
    private static readonly string[] Topics =
        ["cfg", "limits", "alu", "bounds", "branches", "stack", "ctx", "maps", "packet", "pointers", "helpers", "calls", "tailcalls", "return", "loops"];

    [Fact]
    public void Every_fixture_parses_and_assembles()
    {
        var failures = new List<string>();
        foreach (string name in VerifierFixtures.Names())
        {
            try
            {
                var fixture = VerifierFixtures.Load(name);
                Assert.NotEmpty(fixture.Instructions);
                // The program must survive a round trip through the disassembler, as the verifier's log will print it.
                var symbols = new MapSymbols(fixture.MapNames);
                string text = string.Join('\n', Disassembler.Lines(fixture.Instructions, symbols).Select(l => Disassembler.Format(fixture.Instructions, l.Index, symbols)));
                Assert.Equal(fixture.Instructions, Assembler.Assemble(text, symbols));
            }
            catch (Exception e) when (e is FormatException or BpfFormatException or Xunit.Sdk.XunitException)
            {
                failures.Add($"{name}: {e.Message}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void There_are_at_least_300_fixtures_covering_every_topic()
    {
        var fixtures = VerifierFixtures.All().ToList();
        Assert.True(fixtures.Count >= 300, $"only {fixtures.Count} fixtures");
        var byTopic = fixtures.GroupBy(f => f.Topic).ToDictionary(g => g.Key, g => g.ToList());
        foreach (string topic in Topics)
        {
            Assert.True(byTopic.ContainsKey(topic), $"no fixtures in {topic}/");
            Assert.Contains(byTopic[topic], f => f.ExpectAccept);
            Assert.Contains(byTopic[topic], f => !f.ExpectAccept);
        }
        Assert.All(byTopic.Keys, topic => Assert.Contains(topic, Topics));
        Assert.True(fixtures.Count(f => f.ExpectAccept && f.Insns is not null && f.States is not null) >= 30,
            "at least 30 accepted fixtures pin the walk's statistics");
    }

    [Theory]
    [InlineData("\n---\nr0 = 0\nexit", "the fixture has no description line")]
    [InlineData("# d\n# expect: accept\nr0 = 0\nexit", "header lines start with '#'")]
    [InlineData("# d\n# expect: accept\n", "no '---' line")]
    [InlineData("# d\n---\nr0 = 0\nexit", "'expect: accept' or 'expect: reject' is required")]
    [InlineData("# d\n# expect: maybe\n---\nr0 = 0\nexit", "expect is 'accept' or 'reject'")]
    [InlineData("# d\n# expect: reject\n---\nr0 = 0\nexit", "needs its 'error:' line")]
    [InlineData("# d\n# expect: accept\n# error: R0 !read_ok\n---\nr0 = 0\nexit", "an accepted program has no error line")]
    [InlineData("# d\n# prog_type: nonsense\n# expect: accept\n---\nr0 = 0\nexit", "unknown program type 'nonsense'")]
    [InlineData("# d\n# attach_type: nonsense\n# expect: accept\n---\nr0 = 0\nexit", "unknown attach type 'nonsense'")]
    [InlineData("# d\n# map: m hash 4\n# expect: accept\n---\nr0 = 0\nexit", "map: NAME TYPE KEY_SIZE")]
    [InlineData("# d\n# map: m nonsense 4 4 1\n# expect: accept\n---\nr0 = 0\nexit", "unknown map type 'nonsense'")]
    [InlineData("# d\n# map: m hash 4 x 1\n# expect: accept\n---\nr0 = 0\nexit", "map value size 'x' is not a number")]
    [InlineData("# d\n# map: m hash 4 4 1\n# map: m array 4 4 1\n# expect: accept\n---\nr0 = 0\nexit", "map 'm' is declared twice")]
    [InlineData("# d\n# insns: many\n# expect: accept\n---\nr0 = 0\nexit", "insns is a count")]
    [InlineData("# d\n# expect: accept\n# expect: accept\n---\nr0 = 0\nexit", "'expect' is given twice")]
    [InlineData("# d\n# colour: blue\n# expect: accept\n---\nr0 = 0\nexit", "unknown key 'colour'")]
    [InlineData("# d\n# expect: accept\n---\n", "the program is empty")]
    [InlineData("# d\n# expect: accept\n---\nr1 = map[nowhere] ll\nexit", "unknown map 'nowhere'")]
    public void A_malformed_fixture_says_what_is_wrong(string text, string message)
    {
        var e = Assert.Throws<FormatException>(() => VerifierFixture.Parse(text, "t", "t.bpf"));
        Assert.Contains(message, e.Message);
        Assert.StartsWith("t.bpf", e.Message);
    }

    [Fact]
    public void A_fixture_reads_every_key()
    {
        var f = VerifierFixture.Parse("""
            # what it checks
            # prog_type: cgroup_skb
            # attach_type: cgroup_inet_egress
            # license: Dual BSD/GPL
            # map: counts hash 4 8 16
            # map: jumps prog_array 4 4 2 0x0
            # expect: reject
            # error: R0 !read_ok  
            # insns: 3
            # states: 1
            ---
            r1 = map[jumps] ll
            exit
            """.ReplaceLineEndings("\n"), "topic/t", "t.bpf");
        Assert.Equal("what it checks", f.Description);
        Assert.Equal(ProgramType.CgroupSkb, f.ProgramType);
        Assert.Equal(AttachType.CgroupInetEgress, f.AttachType);
        Assert.Equal("Dual BSD/GPL", f.License);
        Assert.Equal(["counts", "jumps"], f.MapNames);
        Assert.Equal(new VerifierFixtureMap("jumps", MapType.ProgArray, 4, 4, 2, 0), f.Maps[1]);
        Assert.False(f.ExpectAccept);
        Assert.Equal("R0 !read_ok", f.Error);
        Assert.Equal(3, f.Insns);
        Assert.Equal(1, f.States);
        Assert.Equal("topic", f.Topic);
        // ld_imm64 of the second map, by index, then exit.
        Assert.Equal(3, f.Instructions.Length);
        Assert.Equal(PseudoSource.MapIdx, f.Instructions[0].Src);
        Assert.Equal(1, f.Instructions[0].Immediate);
    }

    [Fact]
    public void Assembler_errors_name_the_fixture_line()
    {
        var e = Assert.Throws<FormatException>(() => VerifierFixture.Parse("# d\n# expect: accept\n---\nr0 = 0\nr0 = bogus\nexit", "t", "t.bpf"));
        Assert.Contains("line 5", e.Message);
    }
}
