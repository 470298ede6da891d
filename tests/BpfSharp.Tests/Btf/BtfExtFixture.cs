using BpfSharp.Binary;
using BpfSharp.Btf;

namespace BpfSharp.Tests.Btf;

/// <summary>A BTF with a struct and two funcs, plus a BTF.ext builder over it, for <see cref="BtfExtTests"/>.</summary>
internal sealed class BtfExtFixture
{
    public required BtfBuilder Btf { get; init; }
    public required BtfExtBuilder Ext { get; init; }
    public uint Struct { get; init; }
    public uint Func1 { get; init; }
    public uint Func2 { get; init; }

    public (BtfSpec Spec, byte[] Ext) Build()
    {
        byte[] ext = Ext.Build();
        return (BtfSpec.Parse(Btf.Build(), new FormatLocation("test.o", ".BTF")), ext);
    }
}
