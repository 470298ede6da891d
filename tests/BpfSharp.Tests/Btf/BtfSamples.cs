using BpfSharp.Btf;

namespace BpfSharp.Tests.Btf;

/// <summary>Ready-made BTF and BTF.ext blobs covering every kind and every BTF.ext record type.</summary>
internal static class BtfSamples
{
    public static (byte[] Btf, byte[] Ext) AllKinds()
    {
        var b = new BtfBuilder();
        uint i32 = b.Int("int", 4, BtfIntFlags.Signed);
        uint ch = b.Int("char", 1, BtfIntFlags.Char);
        uint u64 = b.Typedef("u64", b.Int("unsigned long long", 8));
        uint fwd = b.Fwd("sock", union: false);
        uint node = b.NextId;
        b.Struct("node", 24, ("next", node + 1, 0), ("val", i32, 64), ("", node + 2, 96));
        b.Ptr(node);
        b.Union("", 8, ("a", i32, 0), ("b", u64, 0));
        uint bits = b.BitfieldStruct("bits", 4, ("x", i32, 0, 3), ("y", i32, 3, 5));
        uint e = b.Enum("color", 4, false, ("RED", 0), ("GREEN", 1));
        uint e64 = b.Enum64("big", 8, true, ("NEG", unchecked((ulong)-1L)));
        uint arr = b.Array(b.Const(b.Volatile(ch)), i32, 16);
        uint tagged = b.Ptr(b.TypeTag("user", b.Restrict(b.Ptr(fwd))));
        uint proto = b.FuncProto(i32, ("ctx", b.Ptr(node)), ("n", u64), ("", 0));
        uint func = b.Func("prog", proto);
        uint helper = b.Func("helper", b.FuncProto(0), BtfFuncLinkage.Static);
        uint v1 = b.Var("counter", u64);
        uint v2 = b.Var("name", arr, BtfVarLinkage.Static);
        b.Datasec(".data", 24, (v1, 0, 8), (v2, 8, 16));
        b.Float("double", 8);
        b.DeclTag("kfunc", func, -1);
        b.DeclTag("arg", func, 1);
        b.DeclTag("field", node, 2);
        b.Typedef("misc", b.Ptr(b.Array(tagged, i32, 2)));
        _ = (bits, e, e64);

        var ext = new BtfExtBuilder(b) { FuncRecordSize = 12 };
        ext.Func("xdp", 0, func);
        ext.Func("xdp", 64, helper);
        ext.Line("xdp", 0, "prog.c", "int prog(struct node *ctx)", 10, 1);
        ext.Line("xdp", 8, "prog.c", "return ctx->val;", 11, 12);
        ext.Line("xdp", 64, "prog.c", "", 20, 0);
        ext.Core("xdp", 8, node, "0:1", 0);
        ext.Core("xdp", 16, node, "0", (uint)BtfCoreRelocationKind.TypeSize);
        byte[] extBytes = ext.Build();
        return (b.Build(), extBytes);
    }
}
