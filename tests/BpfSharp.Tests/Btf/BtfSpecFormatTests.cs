using BpfSharp.Binary;
using BpfSharp.Btf;

namespace BpfSharp.Tests.Btf;

public class BtfSpecFormatTests
{
    private readonly BtfSpec _spec;
    private readonly Dictionary<string, uint> _ids = new();

    public BtfSpecFormatTests()
    {
        var b = new BtfBuilder();
        uint Name(string key, uint id)
        {
            _ids[key] = id;
            return id;
        }

        uint i32 = Name("int", b.Int("int", 4, BtfIntFlags.Signed));
        uint u32 = Name("unsigned int", b.Int("unsigned int", 4));
        uint ch = Name("char", b.Int("char", 1, BtfIntFlags.Signed | BtfIntFlags.Char));
        uint skb = Name("skb", b.Struct("__sk_buff", 192));
        Name("skb ptr", b.Ptr(skb));
        Name("char[16]", b.Array(ch, i32, 16));
        Name("char ptr ptr", b.Ptr(b.Ptr(ch)));
        Name("const char ptr", b.Ptr(b.Const(ch)));
        Name("char const ptr", b.Const(b.Ptr(ch)));
        Name("const volatile int", b.Const(b.Volatile(i32)));
        uint u32td = Name("u32", b.Typedef("u32", u32));
        Name("u32 ptr", b.Ptr(u32td));
        Name("anon struct", b.Struct("", 4));
        Name("anon union ptr", b.Ptr(b.Union("", 4)));
        Name("enum", b.Enum("xdp_action", 4, false, ("XDP_PASS", 2)));
        Name("enum64", b.Enum64("big", 8, false, ("X", 1)));
        Name("fwd union", b.Fwd("bpf_attr", union: true));
        Name("fwd struct", b.Fwd("sock", union: false));
        Name("matrix", b.Array(b.Array(i32, i32, 3), i32, 2));
        Name("ptr to array", b.Ptr(b.Array(i32, i32, 3)));
        Name("array of ptrs", b.Array(b.Ptr(i32), i32, 3));
        uint md = b.Struct("xdp_md", 24);
        uint proto = Name("proto", b.FuncProto(i32, ("ctx", b.Ptr(md))));
        Name("func", b.Func("xdp_prog", proto));
        Name("func ptr", b.Ptr(proto));
        Name("void proto ptr", b.Ptr(b.FuncProto(0)));
        Name("variadic", b.FuncProto(i32, ("fmt", b.Ptr(b.Const(ch))), ("", 0)));
        Name("unnamed params", b.FuncProto(0, ("", i32), ("", u32)));
        Name("var", b.Var("_license", b.Array(ch, i32, 4)));
        Name("anon var", b.Var("xdp_stats_map", b.Struct("", 32)));
        Name("datasec", b.Datasec(".maps", 32));
        Name("float", b.Float("double", 8));
        Name("void ptr", b.Ptr(0));
        Name("type tag", b.Ptr(b.TypeTag("user", i32)));
        Name("restrict ptr", b.Restrict(b.Ptr(i32)));
        Name("decl tag", b.DeclTag("kfunc", skb, -1));
        Name("const array", b.Const(b.Array(i32, i32, 2)));
        _spec = BtfSpec.Parse(b.Build(), new FormatLocation("test.o", ".BTF"));
    }

    [Theory]
    [InlineData("int", "int")]
    [InlineData("unsigned int", "unsigned int")]
    [InlineData("skb", "struct __sk_buff")]
    [InlineData("skb ptr", "struct __sk_buff *")]
    [InlineData("char[16]", "char[16]")]
    [InlineData("char ptr ptr", "char **")]
    [InlineData("const char ptr", "const char *")]
    [InlineData("char const ptr", "char *const")]
    [InlineData("const volatile int", "const volatile int")]
    [InlineData("u32", "u32")]
    [InlineData("u32 ptr", "u32 *")]
    [InlineData("anon struct", "struct (anon)")]
    [InlineData("anon union ptr", "union (anon) *")]
    [InlineData("enum", "enum xdp_action")]
    [InlineData("enum64", "enum big")]
    [InlineData("fwd union", "union bpf_attr")]
    [InlineData("fwd struct", "struct sock")]
    [InlineData("matrix", "int[2][3]")]
    [InlineData("ptr to array", "int (*)[3]")]
    [InlineData("array of ptrs", "int *[3]")]
    [InlineData("proto", "int (struct xdp_md *ctx)")]
    [InlineData("func", "int xdp_prog(struct xdp_md *ctx)")]
    [InlineData("func ptr", "int (*)(struct xdp_md *ctx)")]
    [InlineData("void proto ptr", "void (*)(void)")]
    [InlineData("variadic", "int (const char *fmt, ...)")]
    [InlineData("unnamed params", "void (int, unsigned int)")]
    [InlineData("var", "char _license[4]")]
    [InlineData("anon var", "struct (anon) xdp_stats_map")]
    [InlineData("datasec", "datasec .maps")]
    [InlineData("float", "double")]
    [InlineData("void ptr", "void *")]
    [InlineData("type tag", "__attribute__((btf_type_tag(\"user\"))) int *")]
    [InlineData("restrict ptr", "int *restrict")]
    [InlineData("decl tag", "struct __sk_buff __attribute__((btf_decl_tag(\"kfunc\")))")]
    [InlineData("const array", "const int[2]")]
    public void FormatSpellsCDeclarations(string key, string expected) => Assert.Equal(expected, _spec.Format(_ids[key]));

    [Fact]
    public void FormatCutsOffHugeFanOut()
    {
        // A prototype whose parameters all point back at itself would print forever without the budget.
        var b = new BtfBuilder();
        uint proto = b.NextId;
        b.FuncProto(0, [.. Enumerable.Range(0, 1000).Select(i => ("p" + i, proto + 1))]);
        b.Ptr(proto);
        var spec = BtfSpec.Parse(b.Build(), new FormatLocation("test.o", ".BTF"));
        string text = spec.Format(proto);
        Assert.Contains("...", text);
        Assert.True(text.Length < 100_000, $"formatted length {text.Length}");
    }
}
