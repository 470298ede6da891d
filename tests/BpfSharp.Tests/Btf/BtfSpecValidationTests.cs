using BpfSharp.Binary;
using BpfSharp.Btf;

namespace BpfSharp.Tests.Btf;

public class BtfSpecValidationTests
{
    private static readonly FormatLocation Where = new("bad.o", ".BTF");

    /// <summary>A small valid BTF: int, ptr, struct with two members, func_proto, func, var, datasec, array.</summary>
    private static BtfBuilder Sample(out (uint Int, uint Ptr, uint Struct, uint Proto, uint Func, uint Var, uint Datasec, uint Array, uint DeclTag) ids)
    {
        var b = new BtfBuilder();
        uint i32 = b.Int("int", 4, BtfIntFlags.Signed);
        uint ptr = b.Ptr(i32);
        uint s = b.Struct("pair", 8, ("a", i32, 0), ("b", i32, 32));
        uint proto = b.FuncProto(i32, ("x", ptr), ("y", i32));
        uint func = b.Func("f", proto);
        uint v = b.Var("g", i32);
        uint sec = b.Datasec(".data", 4, (v, 0, 4));
        uint arr = b.Array(i32, i32, 4);
        uint tag = b.DeclTag("t", s, -1);
        ids = (i32, ptr, s, proto, func, v, sec, arr, tag);
        return b;
    }

    private static void Fails(byte[] blob, long offset, string fragment)
    {
        var ex = Assert.Throws<BpfFormatException>(() => BtfSpec.Parse(blob, Where));
        Assert.Equal("bad.o", ex.FileName);
        Assert.Equal(".BTF", ex.Section);
        Assert.Contains(fragment, ex.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(offset, ex.Offset);
    }

    [Fact]
    public void SampleIsValid()
    {
        var spec = BtfSpec.Parse(Sample(out var ids).Build(), Where);
        Assert.Equal((int)ids.DeclTag + 1, spec.Count);
    }

    [Fact]
    public void BadMagic()
    {
        var blob = Sample(out _).Build();
        blob[0] = 0x12;
        Fails(blob, 0, "magic");
    }

    [Fact]
    public void BigEndianMagic()
    {
        var blob = Sample(out _).Build();
        (blob[0], blob[1]) = (blob[1], blob[0]);
        Fails(blob, 0, "big-endian");
    }

    [Fact]
    public void BadVersion()
    {
        var blob = Sample(out _).Build();
        blob[2] = 2;
        Fails(blob, 2, "version");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(23)]
    public void TruncatedHeader(int length) =>
        Assert.Throws<BpfFormatException>(() => BtfSpec.Parse(Sample(out _).Build().AsSpan(0, length), Where));

    [Fact]
    public void HeaderLengthTooSmall()
    {
        var blob = Sample(out _).Build();
        BtfBuilder.Put(blob, 4, 20);
        Fails(blob, 4, "header length");
    }

    [Fact]
    public void HeaderLengthPastData()
    {
        var blob = Sample(out _).Build();
        BtfBuilder.Put(blob, 4, (uint)blob.Length + 1);
        Fails(blob, 4, "header length");
    }

    [Fact]
    public void TypeSectionPastData()
    {
        var blob = Sample(out _).Build();
        BtfBuilder.Put(blob, 12, BtfBuilder.Get(blob, 12) + (uint)blob.Length);
        Fails(blob, 12, "type section");
    }

    [Fact]
    public void TypeSectionOffsetPastData()
    {
        var blob = Sample(out _).Build();
        BtfBuilder.Put(blob, 8, 0xFFFF_FFF0);
        Fails(blob, 8, "type section");
    }

    [Fact]
    public void StringSectionPastData()
    {
        var blob = Sample(out _).Build();
        BtfBuilder.Put(blob, 20, BtfBuilder.Get(blob, 20) + 1);
        Fails(blob, 20, "string section");
    }

    [Fact]
    public void StringSectionOffsetPastData()
    {
        var blob = Sample(out _).Build();
        BtfBuilder.Put(blob, 16, (uint)blob.Length);
        Fails(blob, 16, "string section");
    }

    [Fact]
    public void MisalignedTypeSection()
    {
        var blob = Sample(out _).Build();
        BtfBuilder.Put(blob, 8, 2);
        BtfBuilder.Put(blob, 12, 0);
        Fails(blob, 8, "aligned");
    }

    [Fact]
    public void OverlappingSections()
    {
        var blob = Sample(out _).Build();
        BtfBuilder.Put(blob, 16, 4); // strings start inside the types
        BtfBuilder.Put(blob, 20, 8);
        Fails(blob, 16, "overlaps");
    }

    [Fact]
    public void EmptyStringSection()
    {
        var blob = Sample(out _).Build();
        BtfBuilder.Put(blob, 20, 0);
        Fails(blob, 20, "string section is empty");
    }

    [Fact]
    public void StringSectionWithoutLeadingNul()
    {
        var b = Sample(out _);
        var blob = b.Build();
        blob[b.StringSectionOffset] = (byte)'x';
        Fails(blob, b.StringSectionOffset, "NUL");
    }

    [Fact]
    public void TypeNameOutsideStrings()
    {
        var b = Sample(out var ids);
        var blob = b.Build();
        BtfBuilder.Put(blob, b.TypeOffset(ids.Struct), 10_000);
        Fails(blob, b.TypeOffset(ids.Struct), "outside the string section");
    }

    [Fact]
    public void UnterminatedName()
    {
        var b = new BtfBuilder();
        uint i32 = b.Int("int", 4);
        uint off = b.AddRawStringBytes((byte)'a', (byte)'b');
        b.Raw(off, (uint)BtfKind.Typedef, 0, false, i32);
        Fails(b.Build(), b.TypeOffset(2), "not NUL-terminated");
    }

    [Fact]
    public void MemberNameOutsideStrings()
    {
        var b = Sample(out var ids);
        var blob = b.Build();
        int member1 = b.TypeOffset(ids.Struct) + 12 + 12;
        BtfBuilder.Put(blob, member1, 0xFFFF_FFFF);
        Fails(blob, member1, "outside the string section");
    }

    [Fact]
    public void ParamAndEnumNamesAreChecked()
    {
        var b = new BtfBuilder();
        uint i32 = b.Int("int", 4);
        uint e = b.Raw(0, (uint)BtfKind.Enum, 1, false, 4, 9999, 1);
        Fails(b.Build(), b.TypeOffset(e) + 12, "outside");

        b = new BtfBuilder();
        i32 = b.Int("int", 4);
        uint p = b.Raw(0, (uint)BtfKind.FuncProto, 2, false, i32, 0, i32, 9999, i32);
        Fails(b.Build(), b.TypeOffset(p) + 12 + 8, "outside");
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(20u)]
    [InlineData(31u)]
    public void UnknownKind(uint kind)
    {
        var b = new BtfBuilder();
        b.Int("int", 4);
        uint bad = b.Raw(0, kind, 0, false, 0);
        Fails(b.Build(), b.TypeOffset(bad) + 4, "unknown BTF kind");
    }

    [Fact]
    public void VlenRunsPastTypeSection()
    {
        var b = new BtfBuilder();
        uint i32 = b.Int("int", 4);
        uint s = b.Raw(0, (uint)BtfKind.Struct, 3, false, 8, 0, i32, 0, 0, i32, 32); // says 3 members, has 2
        Fails(b.Build(), b.TypeOffset(s) + 4, "vlen 3");
    }

    [Fact]
    public void TrailingWordMissing()
    {
        var b = new BtfBuilder();
        uint i = b.Raw(0, (uint)BtfKind.Int, 0, false, 4); // an int without its encoding word
        Fails(b.Build(), b.TypeOffset(i) + 4, "needs 4 more bytes");
    }

    [Fact]
    public void TruncatedTypeRecord()
    {
        var b = Sample(out _);
        var blob = b.Build();
        uint typeLen = BtfBuilder.Get(blob, 12);
        // Cut the type section 4 bytes into an extra record: move the strings out of the way first.
        var bigger = new byte[blob.Length + 4];
        blob.AsSpan(0, b.StringSectionOffset).CopyTo(bigger);
        blob.AsSpan(b.StringSectionOffset).CopyTo(bigger.AsSpan(b.StringSectionOffset + 4));
        BtfBuilder.Put(bigger, 12, typeLen + 4);
        BtfBuilder.Put(bigger, 16, typeLen + 4);
        Fails(bigger, b.StringSectionOffset, "truncated BTF type record");
    }

    [Fact]
    public void ReferencedIdsOutOfRange()
    {
        var b = Sample(out var ids);
        var original = b.Build();
        uint count = ids.DeclTag + 1;
        var fields = new (string What, int Offset)[]
        {
            ("ptr", b.TypeOffset(ids.Ptr) + 8),
            ("member", b.TypeOffset(ids.Struct) + 12 + 12 + 4),
            ("return", b.TypeOffset(ids.Proto) + 8),
            ("param", b.TypeOffset(ids.Proto) + 12 + 8 + 4),
            ("func", b.TypeOffset(ids.Func) + 8),
            ("var", b.TypeOffset(ids.Var) + 8),
            ("datasec", b.TypeOffset(ids.Datasec) + 12),
            ("array element", b.TypeOffset(ids.Array) + 12),
            ("array index", b.TypeOffset(ids.Array) + 16),
            ("decl_tag", b.TypeOffset(ids.DeclTag) + 8),
        };
        foreach (var (what, offset) in fields)
        {
            var blob = (byte[])original.Clone();
            BtfBuilder.Put(blob, offset, count);
            var ex = Assert.Throws<BpfFormatException>(() => BtfSpec.Parse(blob, Where));
            Assert.True(offset == ex.Offset, $"{what}: expected offset {offset}, got {ex.Offset} ({ex.Message})");
            Assert.Contains("out of range", ex.Reason);
        }
    }

    [Fact]
    public void ForwardReferencesAreFine()
    {
        var b = new BtfBuilder();
        uint p = b.Ptr(2);
        b.Struct("later", 4);
        var spec = BtfSpec.Parse(b.Build(), Where);
        Assert.Equal(BtfKind.Struct, spec.KindOf(spec.TypeOf(p)));
    }

    [Fact]
    public void FuncMustReferToPrototype()
    {
        var b = new BtfBuilder();
        uint i32 = b.Int("int", 4);
        uint f = b.Func("f", i32);
        Fails(b.Build(), b.TypeOffset(f) + 8, "not a FuncProto");
    }

    [Fact]
    public void FuncLinkageOutOfRange()
    {
        var b = new BtfBuilder();
        uint proto = b.FuncProto(0);
        uint f = b.Func("f", proto, (BtfFuncLinkage)3);
        Fails(b.Build(), b.TypeOffset(f) + 4, "linkage");
    }

    [Fact]
    public void VarLinkageOutOfRange()
    {
        var b = new BtfBuilder();
        uint v = b.Var("v", b.Int("int", 4), (BtfVarLinkage)7);
        Fails(b.Build(), b.TypeOffset(v) + 12, "linkage");
    }

    [Fact]
    public void DatasecEntryMustBeVarOrFunc()
    {
        var b = new BtfBuilder();
        uint i32 = b.Int("int", 4);
        uint v = b.Var("v", i32);
        uint sec = b.Datasec(".data", 8, (v, 0, 4), (i32, 4, 4));
        Fails(b.Build(), b.TypeOffset(sec) + 12 + 12, "not a Var or Func");
    }

    [Theory]
    [InlineData("ptr to var")]
    [InlineData("typedef of func")]
    [InlineData("void member")]
    [InlineData("datasec member")]
    [InlineData("array of void")]
    [InlineData("void param first")]
    [InlineData("named void last param")]
    [InlineData("var of decl_tag")]
    public void KindsThatCannotBeUsedThere(string shape)
    {
        var b = new BtfBuilder();
        uint i32 = b.Int("int", 4);
        uint v = b.Var("v", i32);
        uint proto = b.FuncProto(0);
        uint func = b.Func("f", proto);
        uint sec = b.Datasec(".data", 4, (v, 0, 4));
        uint tag = b.DeclTag("t", v, -1);
        int offset = shape switch
        {
            "ptr to var" => b.TypeOffset(b.Ptr(v)) + 8,
            "typedef of func" => b.TypeOffset(b.Typedef("ft", func)) + 8,
            "void member" => b.TypeOffset(b.Struct("s", 8, ("a", i32, 0), ("b", 0, 32))) + 12 + 12 + 4,
            "datasec member" => b.TypeOffset(b.Struct("s", 8, ("a", sec, 0))) + 12 + 4,
            "array of void" => b.TypeOffset(b.Array(0, i32, 4)) + 12,
            "void param first" => b.TypeOffset(b.FuncProto(0, ("", 0), ("b", i32))) + 12 + 4,
            "named void last param" => b.TypeOffset(b.FuncProto(0, ("a", i32), ("b", 0))) + 12 + 8 + 4,
            _ => b.TypeOffset(b.Var("w", tag)) + 8,
        };
        Fails(b.Build(), offset, "cannot be used there");
    }

    [Fact]
    public void ArrayOfUnsizedElement()
    {
        var b = new BtfBuilder();
        uint i32 = b.Int("int", 4);
        uint arr = b.Array(b.Fwd("opaque", false), i32, 2);
        Fails(b.Build(), b.TypeOffset(arr) + 12, "no size");
    }

    [Fact]
    public void ArrayTooLarge()
    {
        var b = new BtfBuilder();
        uint i32 = b.Int("int", 4);
        uint arr = b.Array(i32, i32, 0x4000_0000);
        Fails(b.Build(), b.TypeOffset(arr) + 20, "too large");
    }

    [Fact]
    public void IntBitsInvalid()
    {
        var b = new BtfBuilder();
        uint wide = b.Int("wide", 32, bits: 200);
        Fails(b.Build(), b.TypeOffset(wide) + 12, "128");

        b = new BtfBuilder();
        uint over = b.Int("over", 4, bits: 30, offset: 4);
        Fails(b.Build(), b.TypeOffset(over) + 12, "do not fit");
    }

    [Theory]
    [InlineData(-2, "struct")]
    [InlineData(2, "struct")]
    [InlineData(2, "func")]
    [InlineData(0, "var")]
    public void DeclTagComponentInvalid(int component, string target)
    {
        var b = new BtfBuilder();
        uint i32 = b.Int("int", 4);
        uint s = b.Struct("s", 8, ("a", i32, 0), ("b", i32, 32));
        uint f = b.Func("f", b.FuncProto(0, ("x", i32), ("", 0)));
        uint v = b.Var("v", i32);
        uint tag = b.DeclTag("t", target switch { "struct" => s, "func" => f, _ => v }, component);
        Fails(b.Build(), b.TypeOffset(tag) + 12, "component");
    }

    [Fact]
    public void DeclTagOnVoid()
    {
        var b = new BtfBuilder();
        uint tag = b.DeclTag("t", 0, -1);
        Fails(b.Build(), b.TypeOffset(tag) + 8, "void");
    }

    [Fact]
    public void LocationBaseOffsetIsAdded()
    {
        var blob = Sample(out _).Build();
        blob[2] = 9;
        var ex = Assert.Throws<BpfFormatException>(() => BtfSpec.Parse(blob, new FormatLocation("x.o", ".BTF", 0x100)));
        Assert.Equal(0x102, ex.Offset);
        Assert.Contains("x.o: section '.BTF' at offset 0x102", ex.Message);
    }
}
