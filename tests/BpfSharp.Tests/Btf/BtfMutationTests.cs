using BpfSharp.Tests.TestSupport;
using BpfSharp.Binary;
using BpfSharp.Btf;
using Xunit.Abstractions;

namespace BpfSharp.Tests.Btf;

/// <summary>
/// Seeded mutation testing: corrupt real and built blobs (byte flips, interesting 32-bit values at aligned
/// offsets, truncations) and require that parsing either succeeds or throws <see cref="BpfFormatException"/>,
/// and that every query on whatever parsed works. Runs under a time limit so a hang fails instead of stalling.
/// </summary>
public class BtfMutationTests(ITestOutputHelper output)
{
    private const int Seed = 0x0B7F_2026;
    private static readonly FormatLocation BtfWhere = new("mutant.o", ".BTF");
    private static readonly FormatLocation ExtWhere = new("mutant.o", ".BTF.ext");
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    private static readonly string[] CorpusObjects =
    [
        "cilium-examples/xdp_bpf_bpfel.o", "cilium-examples/tcprtt_bpf_bpfel.o", "new_linux/sockex1_kern.o",
        "new_linux/sockex3_kern.o", "build/twostackvars.o", "build/map_in_map.o",
    ];

    /// <summary>(name, .BTF, .BTF.ext) pairs: the built sample always, corpus objects when present.</summary>
    private static List<(string Name, byte[] Btf, byte[] Ext)> Sources()
    {
        var (btf, ext) = BtfSamples.AllKinds();
        var sources = new List<(string, byte[], byte[])> { ("built sample", btf, ext) };
        if (TestCorpus.Directory is not null)
        {
            foreach (var relative in CorpusObjects.Where(r => File.Exists(TestCorpus.PathOf(r))))
            {
                string path = TestCorpus.PathOf(relative);
                sources.Add((relative, TestObjects.Section(path, ".BTF")!, TestObjects.Section(path, ".BTF.ext")!));
            }
        }
        return sources;
    }

    [Fact]
    public void MutatedBtfParsesOrFailsCleanly()
    {
        var sources = Sources();
        output.WriteLine($"sources: {string.Join(", ", sources.Select(s => s.Name))}");
        var stats = RunBounded(() =>
        {
            var rng = new Random(Seed);
            int parsed = 0, rejected = 0;
            for (int i = 0; i < 4000; i++)
            {
                var (name, btf, ext) = sources[i % sources.Count];
                var (mutant, how) = Mutate(btf, rng);
                BtfSpec spec;
                try
                {
                    spec = BtfSpec.Parse(mutant, BtfWhere);
                }
                catch (BpfFormatException)
                {
                    rejected++;
                    continue;
                }
                catch (Exception e)
                {
                    throw new Xunit.Sdk.XunitException($"iteration {i} ({name}, {how}): Parse threw {e}");
                }
                parsed++;
                Exercise(spec, $"iteration {i} ({name}, {how})");
                // The unmutated BTF.ext against the mutated BTF: names and ids may no longer fit.
                try
                {
                    Exercise(BtfExt.Parse(ext, spec, ExtWhere));
                }
                catch (BpfFormatException)
                {
                }
                catch (Exception e)
                {
                    throw new Xunit.Sdk.XunitException($"iteration {i} ({name}, {how}): BtfExt.Parse threw {e}");
                }
            }
            return (parsed, rejected);
        });
        output.WriteLine($"BTF mutants: {stats.parsed} parsed, {stats.rejected} rejected");
        Assert.True(stats.parsed > 100 && stats.rejected > 100, $"mutations are not reaching both outcomes: {stats}");
    }

    [Fact]
    public void MutatedBtfExtParsesOrFailsCleanly()
    {
        var sources = Sources().Select(s => (s.Name, Spec: BtfSpec.Parse(s.Btf, BtfWhere), s.Ext)).ToList();
        var stats = RunBounded(() =>
        {
            var rng = new Random(Seed + 1);
            int parsed = 0, rejected = 0;
            for (int i = 0; i < 3000; i++)
            {
                var (name, spec, ext) = sources[i % sources.Count];
                var (mutant, how) = Mutate(ext, rng);
                try
                {
                    Exercise(BtfExt.Parse(mutant, spec, ExtWhere));
                    parsed++;
                }
                catch (BpfFormatException)
                {
                    rejected++;
                }
                catch (Exception e)
                {
                    throw new Xunit.Sdk.XunitException($"iteration {i} ({name}, {how}): BtfExt.Parse threw {e}");
                }
            }
            return (parsed, rejected);
        });
        output.WriteLine($"BTF.ext mutants: {stats.parsed} parsed, {stats.rejected} rejected");
        Assert.True(stats.parsed > 100 && stats.rejected > 100, $"mutations are not reaching both outcomes: {stats}");
    }

    [Fact]
    public void EveryTruncationOfTheSampleFailsCleanly()
    {
        var (btf, ext) = BtfSamples.AllKinds();
        var spec = BtfSpec.Parse(btf, BtfWhere);
        for (int length = 0; length < btf.Length; length++)
            Assert.Throws<BpfFormatException>(() => BtfSpec.Parse(btf.AsSpan(0, length), BtfWhere));
        for (int length = 0; length < ext.Length; length++)
            Assert.Throws<BpfFormatException>(() => BtfExt.Parse(ext.AsSpan(0, length), spec, ExtWhere));
    }

    private static T RunBounded<T>(Func<T> work)
    {
        var task = Task.Run(work);
        Assert.True(task.Wait(Limit), $"mutation run did not finish within {Limit}");
        return task.Result;
    }

    private static readonly uint[] Interesting = [0, 1, 2, 3, 4, 7, 8, 12, 16, 24, 0x7f, 0x80, 0xff, 0xffff, 0x10000, 0x7fff_ffff, 0x8000_0000, 0xffff_fff0, 0xffff_ffff];

    private static (byte[] Mutant, string How) Mutate(byte[] original, Random rng)
    {
        var bytes = (byte[])original.Clone();
        int rounds = 1 + rng.Next(3);
        var how = new List<string>();
        for (int r = 0; r < rounds && bytes.Length > 0; r++)
        {
            switch (rng.Next(6))
            {
                case 0 or 1:
                    int at = rng.Next(bytes.Length);
                    byte flip = (byte)(1 << rng.Next(8));
                    bytes[at] ^= flip;
                    how.Add($"flip 0x{at:x}^0x{flip:x2}");
                    break;
                case 2 or 3:
                    if (bytes.Length < 4) break;
                    int word = rng.Next(bytes.Length / 4) * 4;
                    uint value = rng.Next(4) == 0 ? (uint)rng.Next() : Interesting[rng.Next(Interesting.Length)];
                    // Info words: sometimes keep vlen and plant a random kind and kind flag instead.
                    if (rng.Next(3) == 0) value = (BtfBuilder.Get(bytes, word) & 0xffff) | (uint)rng.Next(32) << 24 | (uint)rng.Next(2) << 31;
                    BtfBuilder.Put(bytes, word, value);
                    how.Add($"word 0x{word:x}=0x{value:x}");
                    break;
                case 4:
                    int length = rng.Next(bytes.Length);
                    bytes = bytes[..length];
                    how.Add($"truncate {length}");
                    break;
                default:
                    int pos = rng.Next(bytes.Length);
                    bytes[pos] = (byte)rng.Next(256);
                    how.Add($"byte 0x{pos:x}");
                    break;
            }
        }
        return (bytes, string.Join(", ", how));
    }

    /// <summary>Calls every query on every type; none may throw.</summary>
    internal static void Exercise(BtfSpec spec, string context = "")
    {
        try
        {
            for (uint id = 0; id < spec.Count; id++)
            {
                var kind = spec.KindOf(id);
                string name = spec.NameOf(id);
                if (spec.TrySizeOf(id, out uint size)) Assert.Equal(size, spec.SizeOf(id));
                spec.SkipModifiers(id);
                spec.SkipQualifiers(id);
                Assert.NotNull(spec.Format(id));
                if (name.Length > 0)
                {
                    Assert.True(spec.TryFind(name, kind, out uint found));
                    Assert.Equal((name, kind), (spec.NameOf(found), spec.KindOf(found)));
                }
                switch (kind)
                {
                    case BtfKind.Int: spec.IntEncoding(id); break;
                    case BtfKind.Ptr or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.TypeTag:
                        spec.KindOf(spec.TypeOf(id));
                        break;
                    case BtfKind.Array:
                        var array = spec.ArrayInfo(id);
                        spec.KindOf(array.ElementType);
                        spec.KindOf(array.IndexType);
                        break;
                    case BtfKind.Struct or BtfKind.Union:
                        foreach (var m in spec.Members(id)) spec.Format(m.Type);
                        break;
                    case BtfKind.Enum or BtfKind.Enum64:
                        spec.IsSignedEnum(id);
                        foreach (var v in spec.EnumValues(id)) _ = v.UnsignedValue;
                        break;
                    case BtfKind.Fwd: spec.ForwardKind(id); break;
                    case BtfKind.Func:
                        spec.FuncLinkage(id);
                        spec.Params(id);
                        spec.ReturnType(spec.TypeOf(id));
                        break;
                    case BtfKind.FuncProto:
                        foreach (var p in spec.Params(id)) spec.KindOf(p.Type);
                        spec.IsVariadic(id);
                        spec.KindOf(spec.ReturnType(id));
                        break;
                    case BtfKind.Var:
                        spec.VarLinkage(id);
                        spec.KindOf(spec.TypeOf(id));
                        break;
                    case BtfKind.Datasec:
                        foreach (var v in spec.DatasecVars(id)) spec.NameOf(v.Type);
                        break;
                    case BtfKind.DeclTag:
                        spec.DeclTagComponent(id);
                        spec.KindOf(spec.TypeOf(id));
                        break;
                }
            }
            for (uint offset = 0; offset < 64; offset++) spec.StringAt(offset);
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException($"{context}: query threw {e}");
        }
    }

    private static void Exercise(BtfExt ext)
    {
        Assert.All(ext.FuncInfos.Values.SelectMany(v => v), f => Assert.True(f.InstructionIndex >= 0));
        Assert.All(ext.LineInfos.Values.SelectMany(v => v), l => Assert.True(l.Column < 1024 && l.FileName is not null));
        Assert.All(ext.CoreRelocations.Values.SelectMany(v => v), c => Assert.True(c.Kind <= BtfCoreRelocationKind.TypeMatches));
    }
}
