using BpfSharp.Binary;
using BpfSharp.Btf;

namespace BpfSharp.Tests.Btf;

public class BtfSpecSizeTests
{
    private static readonly FormatLocation Where = new("test.o", ".BTF");

    private static BtfSpec Parse(BtfBuilder b) => BtfSpec.Parse(b.Build(), Where);

    [Fact]
    public void SizeOfResolvesTypedefAndQualifierChains()
    {
        var b = new BtfBuilder();
        uint u16 = b.Int("unsigned short", 2);
        uint td = b.Typedef("__u16", u16);
        uint cst = b.Const(td);
        uint vol = b.Volatile(cst);
        uint td2 = b.Typedef("be16", vol);
        uint tag = b.TypeTag("user", td2);
        uint res = b.Restrict(b.Ptr(tag));
        var spec = Parse(b);

        Assert.Equal(2u, spec.SizeOf(td));
        Assert.Equal(2u, spec.SizeOf(cst));
        Assert.Equal(2u, spec.SizeOf(vol));
        Assert.Equal(2u, spec.SizeOf(td2));
        Assert.Equal(2u, spec.SizeOf(tag));
        Assert.Equal(8u, spec.SizeOf(res));
    }

    [Fact]
    public void SizeOfArraysOfStructsAndPointers()
    {
        var b = new BtfBuilder();
        uint u32 = b.Int("u32", 4);
        uint s = b.Struct("triple", 12, ("a", u32, 0), ("b", u32, 32), ("c", u32, 64));
        uint arr = b.Array(s, u32, 5);
        uint matrix = b.Array(b.Array(u32, u32, 3), u32, 4);
        uint ptrs = b.Array(b.Ptr(s), u32, 3);
        uint ptrToArr = b.Ptr(arr);
        uint flexible = b.Array(u32, u32, 0);
        uint typedefArr = b.Typedef("triples_t", b.Const(arr));
        var spec = Parse(b);

        Assert.Equal(60u, spec.SizeOf(arr));
        Assert.Equal(48u, spec.SizeOf(matrix));
        Assert.Equal(24u, spec.SizeOf(ptrs));
        Assert.Equal(8u, spec.SizeOf(ptrToArr));
        Assert.Equal(0u, spec.SizeOf(flexible));
        Assert.Equal(60u, spec.SizeOf(typedefArr));
    }

    [Fact]
    public void TypesWithoutSize()
    {
        var b = new BtfBuilder();
        uint fwd = b.Fwd("opaque", union: false);
        uint proto = b.FuncProto(0);
        uint func = b.Func("f", proto);
        uint voidTd = b.Typedef("void_t", 0);
        uint fwdTd = b.Typedef("opaque_t", b.Const(fwd));
        uint tag = b.DeclTag("t", func, -1);
        var spec = Parse(b);

        foreach (uint id in new[] { 0u, fwd, proto, func, voidTd, fwdTd, tag })
        {
            Assert.False(spec.TrySizeOf(id, out _));
            Assert.Throws<ArgumentException>(() => spec.SizeOf(id));
        }
    }

    [Fact]
    public void DeepChainsResolveWithoutRecursion()
    {
        var b = new BtfBuilder();
        uint id = b.Int("int", 4);
        uint top = id;
        // Ids grow along the chain and also point backwards (newest refers to the previous), and a second chain
        // points forwards, so both resolution orders are exercised.
        for (int i = 0; i < 20_000; i++) top = b.Typedef("t" + i, top);
        uint first = b.NextId;
        for (int i = 0; i < 20_000; i++) b.Const(b.NextId + 1);
        b.Ptr(id);
        var spec = Parse(b);

        Assert.Equal(4u, spec.SizeOf(top));
        Assert.Equal(id, spec.SkipModifiers(top));
        Assert.Equal(8u, spec.SizeOf(first));
        Assert.Equal(BtfKind.Ptr, spec.KindOf(spec.SkipQualifiers(first)));
        Assert.EndsWith("t19999", spec.Format(top));
        Assert.Contains("...", spec.Format(first));
    }

    [Fact]
    public void SkipModifiersAndQualifiers()
    {
        var b = new BtfBuilder();
        uint i32 = b.Int("int", 4, BtfIntFlags.Signed);
        uint td = b.Typedef("s32", i32);
        uint cst = b.Const(td);
        uint vol = b.Volatile(cst);
        uint tag = b.TypeTag("rcu", vol);
        uint ptr = b.Ptr(tag);
        uint res = b.Restrict(ptr);
        var spec = Parse(b);

        Assert.Equal(i32, spec.SkipModifiers(tag));
        Assert.Equal(td, spec.SkipQualifiers(tag));
        Assert.Equal(i32, spec.SkipModifiers(td));
        Assert.Equal(td, spec.SkipQualifiers(td));
        Assert.Equal(ptr, spec.SkipModifiers(res));
        Assert.Equal(ptr, spec.SkipQualifiers(res));
        Assert.Equal(ptr, spec.SkipModifiers(ptr));
        Assert.Equal(0u, spec.SkipModifiers(0));
    }

    [Fact]
    public void TypedefCycleIsRejected()
    {
        var b = new BtfBuilder();
        uint a = b.Typedef("a", 2);
        b.Typedef("b", 3);
        b.Const(a);
        var blob = b.Build();
        var ex = Assert.Throws<BpfFormatException>(() => BtfSpec.Parse(blob, Where));
        Assert.Contains("cycle", ex.Message);
        Assert.Equal(".BTF", ex.Section);
        Assert.Equal("test.o", ex.FileName);
        // The walk starts at type 1 and closes the loop at type 3's reference.
        Assert.Equal(b.TypeOffset(3) + 8, ex.Offset);
    }

    [Theory]
    [InlineData("self pointer")]
    [InlineData("pointer loop")]
    [InlineData("array element")]
    [InlineData("var")]
    public void OtherReferenceCyclesAreRejected(string shape)
    {
        var b = new BtfBuilder();
        uint i32 = b.Int("int", 4);
        int expected;
        switch (shape)
        {
            case "self pointer":
                uint p = b.Ptr(b.NextId);
                expected = b.TypeOffset(p) + 8;
                break;
            case "pointer loop":
                uint p1 = b.Ptr(b.NextId + 1);
                b.Volatile(p1);
                expected = b.TypeOffset(p1 + 1) + 8;
                break;
            case "array element":
                uint arr = b.Array(b.NextId + 1, i32, 2);
                b.Typedef("loop", arr);
                expected = b.TypeOffset(arr + 1) + 8;
                break;
            default:
                uint td = b.Typedef("x", b.NextId + 1);
                b.Const(td);
                b.Var("v", td);
                expected = b.TypeOffset(td + 1) + 8;
                break;
        }
        var ex = Assert.Throws<BpfFormatException>(() => BtfSpec.Parse(b.Build(), Where));
        Assert.Contains("cycle", ex.Reason);
        Assert.Equal(expected, ex.Offset);
    }

    [Fact]
    public void StructsMayReferThemselvesThroughPointers()
    {
        var b = new BtfBuilder();
        uint node = b.NextId;
        b.Struct("list_head", 16, ("next", node + 1, 0), ("prev", node + 1, 64));
        b.Ptr(node);
        var spec = Parse(b);
        Assert.Equal(16u, spec.SizeOf(node));
        Assert.Equal("struct list_head *", spec.Format(spec.Members(node)[0].Type));
    }
}
