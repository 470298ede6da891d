using BpfSharp.Binary;
using BpfSharp.Btf;

namespace BpfSharp.Tests.Btf;

public class BtfExtTests
{
    private static readonly FormatLocation BtfWhere = new("test.o", ".BTF");
    private static readonly FormatLocation ExtWhere = new("test.o", ".BTF.ext");

    private static BtfExtFixture Make(Action<BtfExtBuilder, BtfExtFixture>? records = null, uint funcSize = 8, uint lineSize = 16, uint coreSize = 16, bool withCore = true)
    {
        var b = new BtfBuilder();
        uint i32 = b.Int("int", 4, BtfIntFlags.Signed);
        uint s = b.Struct("task", 16, ("pid", i32, 0), ("tgid", i32, 32));
        uint proto = b.FuncProto(i32, ("ctx", b.Ptr(s)));
        uint f1 = b.Func("prog_a", proto);
        uint f2 = b.Func("helper", proto, BtfFuncLinkage.Static);
        var ext = new BtfExtBuilder(b) { FuncRecordSize = funcSize, LineRecordSize = lineSize, CoreRecordSize = coreSize, WithCore = withCore };
        var fixture = new BtfExtFixture { Btf = b, Ext = ext, Struct = s, Func1 = f1, Func2 = f2 };
        (records ?? Standard)(ext, fixture);
        return fixture;
    }

    private static void Standard(BtfExtBuilder ext, BtfExtFixture f)
    {
        ext.Func("kprobe/sys_open", 0, f.Func1);
        ext.Func("kprobe/sys_open", 80, f.Func2);
        ext.Func(".text", 0, f.Func2);
        ext.Line("kprobe/sys_open", 0, "prog.c", "int prog_a(struct task *ctx)", 12, 0);
        ext.Line("kprobe/sys_open", 16, "prog.c", "  return ctx->tgid;", 13, 14);
        ext.Core("kprobe/sys_open", 8, f.Struct, "0:1", (uint)BtfCoreRelocationKind.FieldByteOffset);
        ext.Core("kprobe/sys_open", 24, f.Struct, "0", (uint)BtfCoreRelocationKind.TypeMatches);
    }

    private static void AssertStandard(BtfExt ext, BtfExtFixture f, BtfSpec spec)
    {
        // The raw string offsets (what the kernel is given) point at the decoded strings.
        Assert.All(ext.LineInfos["kprobe/sys_open"], l =>
            Assert.Equal((l.FileName, l.Line), (spec.StringAt(l.FileNameOffset), spec.StringAt(l.LineOffset))));
        Assert.All(ext.CoreRelocations["kprobe/sys_open"], c => Assert.Equal(c.AccessString, spec.StringAt(c.AccessStringOffset)));
        Assert.Equal(["kprobe/sys_open", ".text"], ext.FuncInfos.Keys.Order(StringComparer.Ordinal).Reverse());
        Assert.Equal([new BtfFuncInfo(0, f.Func1), new BtfFuncInfo(10, f.Func2)], ext.FuncInfos["kprobe/sys_open"]);
        Assert.Equal([new BtfFuncInfo(0, f.Func2)], ext.FuncInfos[".text"]);
        Assert.Equal(
            [
                new BtfLineInfo(0, "prog.c", "int prog_a(struct task *ctx)", 12, 0),
                new BtfLineInfo(2, "prog.c", "  return ctx->tgid;", 13, 14),
            ],
            ext.LineInfos["kprobe/sys_open"].Select(l => l with { FileNameOffset = 0, LineOffset = 0 }));
        Assert.Equal(
            [
                new BtfCoreRelocation(1, f.Struct, "0:1", BtfCoreRelocationKind.FieldByteOffset),
                new BtfCoreRelocation(3, f.Struct, "0", BtfCoreRelocationKind.TypeMatches),
            ],
            ext.CoreRelocations["kprobe/sys_open"].Select(c => c with { AccessStringOffset = 0 }));
    }

    private static void Fails(BtfSpec spec, byte[] ext, long offset, string fragment)
    {
        var ex = Assert.Throws<BpfFormatException>(() => BtfExt.Parse(ext, spec, ExtWhere));
        Assert.Equal(".BTF.ext", ex.Section);
        Assert.Equal("test.o", ex.FileName);
        Assert.Contains(fragment, ex.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(offset, ex.Offset);
    }

    [Fact]
    public void ParsesFuncLineAndCoreRecords()
    {
        var f = Make();
        var (spec, ext) = f.Build();
        AssertStandard(BtfExt.Parse(ext, spec, ExtWhere), f, spec);
    }

    [Fact]
    public void SkipsTheTailOfLargerRecords()
    {
        var f = Make(funcSize: 12, lineSize: 24, coreSize: 32);
        var (spec, ext) = f.Build();
        AssertStandard(BtfExt.Parse(ext, spec, ExtWhere), f, spec);
    }

    [Fact]
    public void HeaderWithoutCorePart()
    {
        var f = Make(withCore: false);
        var (spec, ext) = f.Build();
        var parsed = BtfExt.Parse(ext, spec, ExtWhere);
        Assert.Empty(parsed.CoreRelocations);
        Assert.Equal(2, parsed.FuncInfos["kprobe/sys_open"].Count);
    }

    [Fact]
    public void EmptyBlocks()
    {
        var f = Make((_, _) => { });
        var (spec, ext) = f.Build();
        var parsed = BtfExt.Parse(ext, spec, ExtWhere);
        Assert.Empty(parsed.FuncInfos);
        Assert.Empty(parsed.LineInfos);
        Assert.Empty(parsed.CoreRelocations);
    }

    [Fact]
    public void RepeatedSectionGroupsAreMerged()
    {
        var f = Make();
        var (spec, ext) = f.Build();
        // Duplicate the func_info block's groups by hand: [size][g1][g2] -> [size][g1][g2][g1][g2].
        int block = f.Ext.BlockOffsets.Func;
        int blockLen = (int)BtfBuilder.Get(ext, 12);
        var groups = ext.AsSpan(block + 4, blockLen - 4).ToArray();
        var bigger = new List<byte>(ext[..(block + blockLen)]);
        bigger.AddRange(groups);
        bigger.AddRange(ext[(block + blockLen)..]);
        var blob = bigger.ToArray();
        BtfBuilder.Put(blob, 12, (uint)(blockLen + groups.Length));
        BtfBuilder.Put(blob, 16, BtfBuilder.Get(blob, 16) + (uint)groups.Length);
        BtfBuilder.Put(blob, 24, BtfBuilder.Get(blob, 24) + (uint)groups.Length);
        var parsed = BtfExt.Parse(blob, spec, ExtWhere);
        Assert.Equal(4, parsed.FuncInfos["kprobe/sys_open"].Count);
        Assert.Equal(2, parsed.FuncInfos[".text"].Count);
        Assert.Equal(2, parsed.LineInfos["kprobe/sys_open"].Count);
    }

    [Fact]
    public void MisalignedInstructionOffsets()
    {
        var f = Make((e, fx) => e.Func("s", 12, fx.Func1));
        var (spec, ext) = f.Build();
        Fails(spec, ext, f.Ext.BlockOffsets.Func + 4 + 8, "multiple of 8");

        f = Make((e, _) => e.Line("s", 4, "a.c", "x", 1, 1));
        (spec, ext) = f.Build();
        Fails(spec, ext, f.Ext.BlockOffsets.Line + 4 + 8, "multiple of 8");

        f = Make((e, fx) => { e.Core("s", 0, fx.Struct, "0", 0); e.Core("s", 9, fx.Struct, "0", 0); }, coreSize: 20);
        (spec, ext) = f.Build();
        Fails(spec, ext, f.Ext.BlockOffsets.Core + 4 + 8 + 20, "multiple of 8");
    }

    [Fact]
    public void BadHeaders()
    {
        var (spec, ext) = Make().Build();
        var blob = (byte[])ext.Clone();
        blob[1] = 0;
        Fails(spec, blob, 0, "magic");

        blob = (byte[])ext.Clone();
        (blob[0], blob[1]) = (blob[1], blob[0]);
        Fails(spec, blob, 0, "big-endian");

        blob = (byte[])ext.Clone();
        blob[2] = 3;
        Fails(spec, blob, 2, "version");

        blob = (byte[])ext.Clone();
        BtfBuilder.Put(blob, 4, 16);
        Fails(spec, blob, 4, "header length");

        blob = (byte[])ext.Clone();
        BtfBuilder.Put(blob, 4, (uint)blob.Length + 4);
        Fails(spec, blob, 4, "header length");

        Assert.Throws<BpfFormatException>(() => BtfExt.Parse(ext.AsSpan(0, 7), spec, ExtWhere));
    }

    [Fact]
    public void BlockBounds()
    {
        var f = Make();
        var (spec, ext) = f.Build();
        var blob = (byte[])ext.Clone();
        BtfBuilder.Put(blob, 20, (uint)blob.Length); // line_info_len
        Fails(spec, blob, 20, "extends past the end");

        blob = (byte[])ext.Clone();
        BtfBuilder.Put(blob, 24, 0x1000_0000); // core_relo_off
        Fails(spec, blob, 24, "past the end");

        blob = (byte[])ext.Clone();
        BtfBuilder.Put(blob, 8, 2); // func_info_off
        Fails(spec, blob, 8, "aligned");

        blob = (byte[])ext.Clone();
        BtfBuilder.Put(blob, 12, 2); // func_info_len too short for the record size
        Fails(spec, blob, 12, "record size");
    }

    [Theory]
    [InlineData(4u)]
    [InlineData(10u)]
    [InlineData(0u)]
    public void FuncRecordSizeInvalid(uint size)
    {
        var f = Make();
        var (spec, ext) = f.Build();
        BtfBuilder.Put(ext, f.Ext.BlockOffsets.Func, size);
        Fails(spec, ext, f.Ext.BlockOffsets.Func, "record size");
    }

    [Fact]
    public void LineAndCoreRecordSizesTooSmall()
    {
        var f = Make();
        var (spec, ext) = f.Build();
        var blob = (byte[])ext.Clone();
        BtfBuilder.Put(blob, f.Ext.BlockOffsets.Line, 12);
        Fails(spec, blob, f.Ext.BlockOffsets.Line, "record size");
        blob = (byte[])ext.Clone();
        BtfBuilder.Put(blob, f.Ext.BlockOffsets.Core, 8);
        Fails(spec, blob, f.Ext.BlockOffsets.Core, "record size");
    }

    [Fact]
    public void GroupErrors()
    {
        var f = Make();
        var (spec, ext) = f.Build();
        int group = f.Ext.BlockOffsets.Func + 4;

        var blob = (byte[])ext.Clone();
        BtfBuilder.Put(blob, group, 0xFFFF); // section name
        Fails(spec, blob, group, "section name");

        blob = (byte[])ext.Clone();
        BtfBuilder.Put(blob, group + 4, 1000); // record count
        Fails(spec, blob, group + 4, "records");

        blob = (byte[])ext.Clone();
        BtfBuilder.Put(blob, group + 4, 0x2000_0001); // count * size overflows 32 bits
        Fails(spec, blob, group + 4, "records");

        // A block that ends 4 bytes into a group header.
        blob = (byte[])ext.Clone();
        int funcLen = (int)BtfBuilder.Get(blob, 12);
        BtfBuilder.Put(blob, 12, (uint)funcLen + 4);
        Fails(spec, blob, f.Ext.BlockOffsets.Func + funcLen, "truncated");
    }

    [Fact]
    public void RecordFieldErrors()
    {
        var f = Make();
        var (spec, ext) = f.Build();
        int func = f.Ext.BlockOffsets.Func + 4 + 8;
        int line = f.Ext.BlockOffsets.Line + 4 + 8;
        int core = f.Ext.BlockOffsets.Core + 4 + 8;

        var blob = (byte[])ext.Clone();
        BtfBuilder.Put(blob, func + 4, f.Struct); // not a func
        Fails(spec, blob, func + 4, "not a BTF func");

        blob = (byte[])ext.Clone();
        BtfBuilder.Put(blob, func + 4, 500); // out of range
        Fails(spec, blob, func + 4, "not a BTF func");

        blob = (byte[])ext.Clone();
        BtfBuilder.Put(blob, line + 4, 0xFFFF);
        Fails(spec, blob, line + 4, "file name");

        blob = (byte[])ext.Clone();
        BtfBuilder.Put(blob, line + 8, 0xFFFF);
        Fails(spec, blob, line + 8, "line text");

        blob = (byte[])ext.Clone();
        BtfBuilder.Put(blob, core + 4, (uint)spec.Count);
        Fails(spec, blob, core + 4, "out of range");

        blob = (byte[])ext.Clone();
        BtfBuilder.Put(blob, core + 8, 0xFFFF);
        Fails(spec, blob, core + 8, "access string");

        blob = (byte[])ext.Clone();
        BtfBuilder.Put(blob, core + 12, 13);
        Fails(spec, blob, core + 12, "kind");
    }

    [Fact]
    public void CoreRelocationKindsMatchTheKernel()
    {
        Assert.Equal(0u, (uint)BtfCoreRelocationKind.FieldByteOffset);
        Assert.Equal(5u, (uint)BtfCoreRelocationKind.FieldRShiftU64);
        Assert.Equal(6u, (uint)BtfCoreRelocationKind.TypeIdLocal);
        Assert.Equal(9u, (uint)BtfCoreRelocationKind.TypeSize);
        Assert.Equal(11u, (uint)BtfCoreRelocationKind.EnumValueValue);
        Assert.Equal(12u, (uint)BtfCoreRelocationKind.TypeMatches);
    }

    [Fact]
    public void ResultDoesNotKeepTheInput()
    {
        var f = Make();
        var (spec, ext) = f.Build();
        var parsed = BtfExt.Parse(ext, spec, ExtWhere);
        Array.Fill(ext, (byte)0xEE);
        AssertStandard(parsed, f, spec);
    }
}
