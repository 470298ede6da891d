using BpfSharp.Binary;
using BpfSharp.Btf;

namespace BpfSharp.Tests.Btf;

/// <summary>
/// Random (seeded) acyclic type graphs encoded with <see cref="BtfBuilder"/> must parse back to the same kinds,
/// names and references, with sizes matching an independent recursive model.
/// </summary>
public class BtfRoundTripTests
{
    [Fact]
    public void RandomGraphsRoundTrip()
    {
        var rng = new Random(20261122);
        for (int graph = 0; graph < 300; graph++)
        {
            var b = new BtfBuilder();
            var model = new List<BtfTypeModel> { new(BtfKind.Void, "", 0, 0, null, []) };
            int count = 1 + rng.Next(40);
            for (int i = 0; i < count; i++) model.Add(AddRandom(b, model, rng));

            var spec = BtfSpec.Parse(b.Build(), new FormatLocation($"graph{graph}.o", ".BTF"));
            Assert.Equal(model.Count, spec.Count);
            for (uint id = 0; id < model.Count; id++)
            {
                var m = model[(int)id];
                string where = $"graph {graph}, type {id} ({m.Kind})";
                Assert.True(m.Kind == spec.KindOf(id), where);
                Assert.True(m.Name == spec.NameOf(id), where);
                Assert.True(m.Size == (spec.TrySizeOf(id, out uint size) ? size : null), $"{where}: size {m.Size} vs {size}");
                Assert.True(SkipModifiers(model, id) == spec.SkipModifiers(id), where);
                switch (m.Kind)
                {
                    case BtfKind.Ptr or BtfKind.Typedef or BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.TypeTag:
                        Assert.Equal(m.Ref, spec.TypeOf(id));
                        break;
                    case BtfKind.Array:
                        Assert.Equal((m.Ref, m.Length), (spec.ArrayInfo(id).ElementType, spec.ArrayInfo(id).Length));
                        break;
                    case BtfKind.Struct or BtfKind.Union:
                        Assert.Equal(m.Members, spec.Members(id).Select(x => (x.Name, x.Type, x.BitOffset)));
                        break;
                }
                Assert.False(string.IsNullOrEmpty(spec.Format(id)));
            }
        }
    }

    private static BtfTypeModel AddRandom(BtfBuilder b, List<BtfTypeModel> model, Random rng)
    {
        uint AnyRef() => (uint)rng.Next(model.Count); // void included
        uint SizedRef()
        {
            var sized = Enumerable.Range(1, model.Count - 1).Where(i => model[i].Size is not null).ToList();
            return sized.Count == 0 ? 0 : (uint)sized[rng.Next(sized.Count)];
        }
        string name = rng.Next(3) == 0 ? "" : "t" + model.Count;
        switch (rng.Next(12))
        {
            case 0:
                uint intSize = new uint[] { 1, 2, 4, 8 }[rng.Next(4)];
                b.Int(name.Length > 0 ? name : "i", intSize, (BtfIntFlags)rng.Next(2));
                return new(BtfKind.Int, name.Length > 0 ? name : "i", 0, 0, intSize, []);
            case 1:
                uint target = AnyRef();
                b.Ptr(target);
                return new(BtfKind.Ptr, "", target, 0, 8, []);
            case 2:
                uint element = SizedRef();
                if (element == 0) goto case 1;
                uint length = (uint)rng.Next(6);
                b.Array(element, element, length);
                return new(BtfKind.Array, "", element, length, model[(int)element].Size * length, []);
            case 3 or 4:
                bool union = rng.Next(2) == 0;
                var members = new List<(string, uint, uint)>();
                uint offset = 0, largest = 0;
                for (int k = rng.Next(4); k > 0; k--)
                {
                    uint type = SizedRef();
                    if (type == 0) break;
                    uint memberSize = model[(int)type].Size!.Value;
                    members.Add(("m" + k, type, union ? 0 : offset * 8));
                    offset += memberSize;
                    largest = Math.Max(largest, memberSize);
                }
                uint aggregateSize = union ? largest : offset;
                if (union) b.Union(name, aggregateSize, [.. members]);
                else b.Struct(name, aggregateSize, [.. members]);
                return new(union ? BtfKind.Union : BtfKind.Struct, name, 0, 0, aggregateSize, [.. members]);
            case 5:
                b.Enum(name, 4, rng.Next(2) == 0, ("A" + model.Count, 1));
                return new(BtfKind.Enum, name, 0, 0, 4, []);
            case 6:
                b.Fwd(name.Length > 0 ? name : "f", rng.Next(2) == 0);
                return new(BtfKind.Fwd, name.Length > 0 ? name : "f", 0, 0, null, []);
            case 7:
                b.Float(name.Length > 0 ? name : "double", 8);
                return new(BtfKind.Float, name.Length > 0 ? name : "double", 0, 0, 8, []);
            default:
                uint inner = AnyRef();
                var kind = new[] { BtfKind.Typedef, BtfKind.Const, BtfKind.Volatile, BtfKind.Restrict, BtfKind.TypeTag }[rng.Next(5)];
                string qualifierName = kind is BtfKind.Typedef or BtfKind.TypeTag ? (name.Length > 0 ? name : "q") : "";
                switch (kind)
                {
                    case BtfKind.Typedef: b.Typedef(qualifierName, inner); break;
                    case BtfKind.Const: b.Const(inner); break;
                    case BtfKind.Volatile: b.Volatile(inner); break;
                    case BtfKind.Restrict: b.Restrict(inner); break;
                    default: b.TypeTag(qualifierName, inner); break;
                }
                return new(kind, qualifierName, inner, 0, model[(int)inner].Size, []);
        }
    }

    private static uint SkipModifiers(List<BtfTypeModel> model, uint id)
    {
        while (model[(int)id].Kind is BtfKind.Typedef or BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.TypeTag)
            id = model[(int)id].Ref;
        return id;
    }
}
