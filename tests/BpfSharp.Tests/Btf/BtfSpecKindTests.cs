using BpfSharp.Binary;
using BpfSharp.Btf;

namespace BpfSharp.Tests.Btf;

public class BtfSpecKindTests
{
    private static BtfSpec Parse(BtfBuilder b) => BtfSpec.Parse(b.Build(), new FormatLocation("test.o", ".BTF"));

    [Fact]
    public void VoidIsTypeZero()
    {
        var spec = Parse(new BtfBuilder());
        Assert.Equal(1, spec.Count);
        Assert.Equal(BtfKind.Void, spec.KindOf(0));
        Assert.Equal("", spec.NameOf(0));
        Assert.Equal("void", spec.Format(0));
    }

    [Fact]
    public void IntEncodings()
    {
        var b = new BtfBuilder();
        uint i32 = b.Int("int", 4, BtfIntFlags.Signed);
        uint u8 = b.Int("unsigned char", 1);
        uint ch = b.Int("char", 1, BtfIntFlags.Signed | BtfIntFlags.Char);
        uint bo = b.Int("_Bool", 1, BtfIntFlags.Bool, bits: 1);
        uint legacy = b.Int("bits", 4, BtfIntFlags.None, bits: 5, offset: 3);
        uint i128 = b.Int("__int128", 16, BtfIntFlags.Signed);
        var spec = Parse(b);

        Assert.Equal(7, spec.Count);
        Assert.Equal(BtfKind.Int, spec.KindOf(i32));
        Assert.Equal("int", spec.NameOf(i32));
        Assert.Equal(new BtfIntEncoding(BtfIntFlags.Signed, 0, 32), spec.IntEncoding(i32));
        Assert.True(spec.IntEncoding(i32).IsSigned);
        Assert.False(spec.IntEncoding(u8).IsSigned);
        Assert.True(spec.IntEncoding(ch).IsChar);
        Assert.True(spec.IntEncoding(bo).IsBool);
        Assert.Equal(1, spec.IntEncoding(bo).Bits);
        Assert.Equal(new BtfIntEncoding(BtfIntFlags.None, 3, 5), spec.IntEncoding(legacy));
        Assert.Equal(128, spec.IntEncoding(i128).Bits);
        Assert.Equal(4u, spec.SizeOf(i32));
        Assert.Equal(16u, spec.SizeOf(i128));
    }

    [Fact]
    public void PointerArrayAndQualifiers()
    {
        var b = new BtfBuilder();
        uint i32 = b.Int("int", 4, BtfIntFlags.Signed);
        uint ptr = b.Ptr(i32);
        uint arr = b.Array(i32, i32, 16);
        uint vol = b.Volatile(i32);
        uint cst = b.Const(vol);
        uint res = b.Restrict(ptr);
        uint tag = b.TypeTag("user", i32);
        var spec = Parse(b);

        Assert.Equal(BtfKind.Ptr, spec.KindOf(ptr));
        Assert.Equal(i32, spec.TypeOf(ptr));
        Assert.Equal(BtfKind.Array, spec.KindOf(arr));
        Assert.Equal(new BtfArrayInfo(i32, i32, 16), spec.ArrayInfo(arr));
        Assert.Equal(BtfKind.Volatile, spec.KindOf(vol));
        Assert.Equal(BtfKind.Const, spec.KindOf(cst));
        Assert.Equal(vol, spec.TypeOf(cst));
        Assert.Equal(BtfKind.Restrict, spec.KindOf(res));
        Assert.Equal(ptr, spec.TypeOf(res));
        Assert.Equal(BtfKind.TypeTag, spec.KindOf(tag));
        Assert.Equal("user", spec.NameOf(tag));
        Assert.Equal(i32, spec.TypeOf(tag));
    }

    [Fact]
    public void StructAndUnionMembers()
    {
        var b = new BtfBuilder();
        uint u32 = b.Int("u32", 4);
        uint u64 = b.Int("u64", 8);
        uint s = b.Struct("pair", 16, ("a", u32, 0), ("", u32, 32), ("b", u64, 64));
        uint u = b.Union("", 8, ("x", u32, 0), ("y", u64, 0));
        uint bf = b.BitfieldStruct("flags", 4, ("lo", u32, 0, 3), ("hi", u32, 3, 29));
        var spec = Parse(b);

        Assert.Equal(BtfKind.Struct, spec.KindOf(s));
        Assert.Equal("pair", spec.NameOf(s));
        var members = spec.Members(s);
        Assert.Equal(3, members.Count);
        Assert.Equal(new BtfMember("a", u32, 0, 0), members[0]);
        Assert.Equal(new BtfMember("", u32, 32, 0), members[1]);
        Assert.Equal(new BtfMember("b", u64, 64, 0), members[2]);
        Assert.Equal(["a", "", "b"], members.Select(m => m.Name));
        Assert.Equal(3, members.AsSpan().Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => members[3]);

        Assert.Equal(BtfKind.Union, spec.KindOf(u));
        Assert.Equal("", spec.NameOf(u));
        Assert.Equal([0u, 0u], spec.Members(u).Select(m => m.BitOffset));

        var bits = spec.Members(bf);
        Assert.Equal(new BtfMember("lo", u32, 0, 3), bits[0]);
        Assert.Equal(new BtfMember("hi", u32, 3, 29), bits[1]);
    }

    [Fact]
    public void EnumsAndEnum64()
    {
        var b = new BtfBuilder();
        uint unsignedEnum = b.Enum("e", 4, false, ("A", 0), ("B", -1));
        uint signedEnum = b.Enum("s", 4, true, ("M", -5), ("N", 7));
        uint big = b.Enum64("big", 8, false, ("HUGE", 0xFFFF_FFFF_0000_0001));
        uint bigSigned = b.Enum64("bigs", 8, true, ("NEG", unchecked((ulong)-2L)));
        var spec = Parse(b);

        Assert.Equal(BtfKind.Enum, spec.KindOf(unsignedEnum));
        Assert.False(spec.IsSignedEnum(unsignedEnum));
        var values = spec.EnumValues(unsignedEnum);
        Assert.Equal(new BtfEnumValue("A", 0, false), values[0]);
        Assert.Equal(0xFFFF_FFFFL, values[1].Value); // unsigned: zero-extended
        Assert.True(spec.IsSignedEnum(signedEnum));
        Assert.Equal([-5L, 7L], spec.EnumValues(signedEnum).Select(v => v.Value));
        Assert.Equal(BtfKind.Enum64, spec.KindOf(big));
        Assert.Equal(0xFFFF_FFFF_0000_0001UL, spec.EnumValues(big)[0].UnsignedValue);
        Assert.Equal(-2L, spec.EnumValues(bigSigned)[0].Value);
        Assert.Equal(4u, spec.SizeOf(unsignedEnum));
        Assert.Equal(8u, spec.SizeOf(big));
    }

    [Fact]
    public void ForwardDeclarations()
    {
        var b = new BtfBuilder();
        uint fs = b.Fwd("sk_buff", union: false);
        uint fu = b.Fwd("bpf_attr", union: true);
        var spec = Parse(b);
        Assert.Equal(BtfKind.Fwd, spec.KindOf(fs));
        Assert.Equal(BtfKind.Struct, spec.ForwardKind(fs));
        Assert.Equal(BtfKind.Union, spec.ForwardKind(fu));
        Assert.False(spec.TrySizeOf(fs, out _));
    }

    [Fact]
    public void FunctionsAndPrototypes()
    {
        var b = new BtfBuilder();
        uint i32 = b.Int("int", 4, BtfIntFlags.Signed);
        uint ctx = b.Struct("xdp_md", 24);
        uint pctx = b.Ptr(ctx);
        uint proto = b.FuncProto(i32, ("ctx", pctx));
        uint func = b.Func("xdp_prog", proto, BtfFuncLinkage.Global);
        uint staticFunc = b.Func("helper", proto, BtfFuncLinkage.Static);
        uint externFunc = b.Func("bpf_kfunc", proto, BtfFuncLinkage.Extern);
        uint variadic = b.FuncProto(0, ("fmt", pctx), ("", 0));
        uint noArgs = b.FuncProto(0);
        var spec = Parse(b);

        Assert.Equal(BtfKind.FuncProto, spec.KindOf(proto));
        Assert.Equal(i32, spec.ReturnType(proto));
        Assert.Equal([new BtfParam("ctx", pctx)], spec.Params(proto));
        Assert.False(spec.IsVariadic(proto));
        Assert.Equal(BtfKind.Func, spec.KindOf(func));
        Assert.Equal(proto, spec.TypeOf(func));
        Assert.Equal(BtfFuncLinkage.Global, spec.FuncLinkage(func));
        Assert.Equal(BtfFuncLinkage.Static, spec.FuncLinkage(staticFunc));
        Assert.Equal(BtfFuncLinkage.Extern, spec.FuncLinkage(externFunc));
        // Func is accepted where a prototype is expected.
        Assert.Equal(i32, spec.ReturnType(func));
        Assert.Equal("ctx", spec.Params(func)[0].Name);

        Assert.True(spec.IsVariadic(variadic));
        Assert.Equal([new BtfParam("fmt", pctx)], spec.Params(variadic));
        Assert.Equal(0u, spec.ReturnType(variadic));
        Assert.Empty(spec.Params(noArgs));
        Assert.False(spec.IsVariadic(noArgs));
    }

    [Fact]
    public void VariablesAndDataSections()
    {
        var b = new BtfBuilder();
        uint i32 = b.Int("int", 4, BtfIntFlags.Signed);
        uint counter = b.Var("counter", i32, BtfVarLinkage.GlobalAllocated);
        uint local = b.Var("local", i32, BtfVarLinkage.Static);
        uint ext = b.Var("CONFIG_HZ", i32, BtfVarLinkage.GlobalExtern);
        uint typeless = b.Var("bpf_prog_active", 0, BtfVarLinkage.GlobalExtern);
        uint proto = b.FuncProto(i32);
        uint kfunc = b.Func("bpf_kfunc", proto, BtfFuncLinkage.Extern);
        uint data = b.Datasec(".data", 8, (counter, 0, 4), (local, 4, 4));
        uint ksyms = b.Datasec(".ksyms", 0, (typeless, 0, 0), (kfunc, 0, 0));
        var spec = Parse(b);

        Assert.Equal(BtfKind.Var, spec.KindOf(counter));
        Assert.Equal(i32, spec.TypeOf(counter));
        Assert.Equal(BtfVarLinkage.GlobalAllocated, spec.VarLinkage(counter));
        Assert.Equal(BtfVarLinkage.Static, spec.VarLinkage(local));
        Assert.Equal(BtfVarLinkage.GlobalExtern, spec.VarLinkage(ext));
        Assert.Equal(4u, spec.SizeOf(counter));
        Assert.False(spec.TrySizeOf(typeless, out _));
        Assert.Equal(BtfKind.Datasec, spec.KindOf(data));
        Assert.Equal(".data", spec.NameOf(data));
        Assert.Equal([new BtfDatasecVar(counter, 0, 4), new BtfDatasecVar(local, 4, 4)], spec.DatasecVars(data));
        Assert.Equal(8u, spec.SizeOf(data));
        Assert.Equal([typeless, kfunc], spec.DatasecVars(ksyms).Select(v => v.Type));
    }

    [Fact]
    public void FloatsAndTags()
    {
        var b = new BtfBuilder();
        uint dbl = b.Float("double", 8);
        uint i32 = b.Int("int", 4, BtfIntFlags.Signed);
        uint s = b.Struct("tagged", 8, ("a", i32, 0), ("b", i32, 32));
        uint proto = b.FuncProto(i32, ("x", i32), ("y", i32));
        uint func = b.Func("f", proto);
        uint whole = b.DeclTag("whole", s, -1);
        uint member = b.DeclTag("member", s, 1);
        uint param = b.DeclTag("param", func, 1);
        var spec = Parse(b);

        Assert.Equal(BtfKind.Float, spec.KindOf(dbl));
        Assert.Equal(8u, spec.SizeOf(dbl));
        Assert.Equal(BtfKind.DeclTag, spec.KindOf(whole));
        Assert.Equal(s, spec.TypeOf(whole));
        Assert.Equal(-1, spec.DeclTagComponent(whole));
        Assert.Equal(1, spec.DeclTagComponent(member));
        Assert.Equal(func, spec.TypeOf(param));
        Assert.Equal(1, spec.DeclTagComponent(param));
        Assert.Equal("member", spec.NameOf(member));
    }

    [Fact]
    public void WrongKindAndBadIdThrowArgumentExceptions()
    {
        var b = new BtfBuilder();
        uint i32 = b.Int("int", 4, BtfIntFlags.Signed);
        uint ptr = b.Ptr(i32);
        var spec = Parse(b);

        Assert.Throws<ArgumentOutOfRangeException>(() => spec.KindOf(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => spec.Format(99));
        Assert.Throws<ArgumentException>(() => spec.Members(i32));
        Assert.Throws<ArgumentException>(() => spec.ArrayInfo(ptr));
        Assert.Throws<ArgumentException>(() => spec.EnumValues(ptr));
        Assert.Throws<ArgumentException>(() => spec.Params(ptr));
        Assert.Throws<ArgumentException>(() => spec.ReturnType(i32));
        Assert.Throws<ArgumentException>(() => spec.DatasecVars(i32));
        Assert.Throws<ArgumentException>(() => spec.VarLinkage(i32));
        Assert.Throws<ArgumentException>(() => spec.FuncLinkage(i32));
        Assert.Throws<ArgumentException>(() => spec.IntEncoding(ptr));
        Assert.Throws<ArgumentException>(() => spec.TypeOf(i32));
        Assert.Throws<ArgumentException>(() => spec.ForwardKind(i32));
        Assert.Throws<ArgumentException>(() => spec.DeclTagComponent(i32));
        Assert.Throws<ArgumentException>(() => spec.SizeOf(0));
    }

    [Fact]
    public void TryFindLooksUpByNameAndKind()
    {
        var b = new BtfBuilder();
        uint fwd = b.Fwd("task_struct", union: false);
        uint full = b.Struct("task_struct", 64);
        uint again = b.Struct("task_struct", 64);
        uint td = b.Typedef("u32", b.Int("unsigned int", 4));
        var spec = Parse(b);

        Assert.True(spec.TryFind("task_struct", BtfKind.Struct, out uint id));
        Assert.Equal(full, id);
        Assert.NotEqual(again, id);
        Assert.True(spec.TryFind("task_struct", BtfKind.Fwd, out id));
        Assert.Equal(fwd, id);
        Assert.True(spec.TryFind("u32", BtfKind.Typedef, out id));
        Assert.Equal(td, id);
        Assert.False(spec.TryFind("u32", BtfKind.Int, out _));
        Assert.False(spec.TryFind("nope", BtfKind.Struct, out _));
        Assert.False(spec.TryFind("", BtfKind.Void, out _));
    }

    [Fact]
    public void StringAtReadsTheStringSection()
    {
        var b = new BtfBuilder();
        uint hello = b.AddString("hello");
        int length = b.Build().Length - b.StringSectionOffset;
        var spec = Parse(b);
        Assert.Equal("hello", spec.StringAt(hello));
        Assert.Equal("ello", spec.StringAt(hello + 1));
        Assert.Equal("", spec.StringAt(0));
        Assert.Null(spec.StringAt((uint)length));
        Assert.Null(spec.StringAt(uint.MaxValue));
    }

    [Fact]
    public void ParseDoesNotKeepTheInputBuffer()
    {
        var b = new BtfBuilder();
        uint s = b.Struct("kept", 4, ("field", b.Int("int", 4), 0));
        byte[] blob = b.Build();
        var spec = BtfSpec.Parse(blob, new FormatLocation("test.o", ".BTF"));
        Array.Fill(blob, (byte)0xAA);
        Assert.Equal("kept", spec.NameOf(s));
        Assert.Equal("field", spec.Members(s)[0].Name);
        Assert.Equal("kept", spec.StringAt(b.AddString("kept")));
    }
}
