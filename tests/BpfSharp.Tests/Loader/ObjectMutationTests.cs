using System.Diagnostics;
using BpfSharp.Isa;
using BpfSharp.Loader;
using BpfSharp.Tests.TestSupport;
using Xunit.Abstractions;

namespace BpfSharp.Tests.Loader;

/// <summary>
/// Seeded mutation fuzzing of the whole object reader (ELF, BTF, maps, linking) and the disassembler over every
/// real object: truncations, byte flips, interesting values written into headers and tables. Nothing but a
/// <see cref="BpfFormatException"/> may escape, and nothing may hang. CI runs
/// <see cref="DefaultMutationsPerObject"/> mutations per object; set BPFSHARP_FUZZ_MUTATIONS for a longer run
/// and BPFSHARP_FUZZ_SEED to explore other seeds.
/// </summary>
public class ObjectMutationTests(ITestOutputHelper output)
{
    private const int DefaultMutationsPerObject = 40;
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(4);

    private static readonly ulong[] Interesting =
        [0, 1, 7, 8, 0x18, 0x40, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, ulong.MaxValue, 0x7fffffffffffffff];

    private static List<(string Name, byte[] Bytes)> Sources()
    {
        var sources = new List<(string, byte[])>();
        foreach (var path in Directory.EnumerateFiles(TestObjects.InRepository("tests/objects"), "*.o")
                     .Concat(Directory.EnumerateFiles(TestObjects.InRepository("samples"), "*.o")))
            sources.Add((Path.GetRelativePath(TestObjects.RepositoryRoot, path), File.ReadAllBytes(path)));
        if (TestCorpus.Directory is not null)
        {
            foreach (var path in Directory.EnumerateFiles(TestCorpus.Directory, "*.o", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                sources.Add((Path.GetRelativePath(TestCorpus.Directory, path), File.ReadAllBytes(path)));
        }
        return sources;
    }

    [Fact]
    public void Mutated_objects_raise_only_format_errors_and_never_hang()
    {
        int perObject = int.TryParse(Environment.GetEnvironmentVariable("BPFSHARP_FUZZ_MUTATIONS"), out int n) ? n : DefaultMutationsPerObject;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("BPFSHARP_FUZZ_SEED"), out int s) ? s : 20261122;
        var sources = Sources();
        Assert.True(sources.Count >= 3);

        string current = "";
        int parsed = 0, rejected = 0;
        Exception? escaped = null;
        byte[]? failing = null;
        var worker = new Thread(() =>
        {
            var random = new Random(seed);
            foreach (var (name, original) in sources)
            {
                for (int i = 0; i < perObject && escaped is null; i++)
                {
                    var mutant = Mutate(original, random, out string how);
                    current = $"{name} mutation {i} ({how})";
                    try
                    {
                        var spec = ObjectLoader.Load(mutant, name);
                        foreach (var program in spec.Programs)
                            foreach (var _ in Disassembler.Lines(program.Instructions, program.Symbols)) { }
                        parsed++;
                    }
                    catch (BpfFormatException)
                    {
                        rejected++;
                    }
                    catch (Exception e)
                    {
                        escaped = e;
                        failing = mutant;
                    }
                }
            }
        }, 16 * 1024 * 1024);
        var watch = Stopwatch.StartNew();
        worker.IsBackground = true;
        worker.Start();
        bool finished = worker.Join(Budget);
        output.WriteLine($"seed {seed}: {sources.Count} objects x {perObject} mutations: {parsed} parsed, {rejected} rejected with BpfFormatException, {watch.Elapsed.TotalSeconds:F1} s");

        Assert.True(finished, $"no result within {Budget}: hung on {current}");
        if (escaped is not null)
        {
            string saved = Path.Combine(Path.GetTempPath(), "bpfsharp-fuzz-failure.o");
            File.WriteAllBytes(saved, failing!);
            Assert.Fail($"{current}: {escaped.GetType().Name} escaped (input saved to {saved}): {escaped}");
        }
        Assert.True(rejected > 0 && parsed > 0, "the mutations should both break and spare some objects");
    }

    private static byte[] Mutate(byte[] original, Random random, out string how)
    {
        var bytes = (byte[])original.Clone();
        switch (random.Next(5))
        {
            case 0:
            {
                int length = random.Next(bytes.Length);
                how = $"truncated to {length}";
                return bytes[..length];
            }
            case 1:
            {
                int flips = 1 + random.Next(8);
                for (int k = 0; k < flips; k++) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                how = $"{flips} bit flips";
                return bytes;
            }
            case 2:
            {
                // Header and section header table fields: where offsets, sizes and counts live.
                int at = HeaderishOffset(bytes, random);
                WriteInteresting(bytes, at, random);
                how = $"interesting value at 0x{at:x}";
                return bytes;
            }
            case 3:
            {
                int count = 1 + random.Next(16);
                for (int k = 0; k < count; k++) WriteInteresting(bytes, random.Next(bytes.Length), random);
                how = $"{count} interesting values";
                return bytes;
            }
            default:
            {
                int length = 1 + random.Next(64);
                int from = random.Next(bytes.Length), to = random.Next(bytes.Length);
                length = Math.Min(length, Math.Min(bytes.Length - from, bytes.Length - to));
                Array.Copy(original, from, bytes, to, length);
                how = $"copied {length} bytes from 0x{from:x} to 0x{to:x}";
                return bytes;
            }
        }
    }

    private static int HeaderishOffset(byte[] bytes, Random random)
    {
        if (bytes.Length < 64 || random.Next(3) == 0) return random.Next(Math.Min(64, bytes.Length));
        ulong shoff = BitConverter.ToUInt64(bytes, 0x28);
        int shnum = BitConverter.ToUInt16(bytes, 0x3c);
        if (shoff >= (ulong)bytes.Length || shnum == 0) return random.Next(bytes.Length);
        long at = (long)shoff + random.Next(shnum) * 64L + random.Next(64);
        return at < bytes.Length ? (int)at : random.Next(bytes.Length);
    }

    private static void WriteInteresting(byte[] bytes, int at, Random random)
    {
        ulong value = Interesting[random.Next(Interesting.Length)];
        int width = 1 << random.Next(4);
        for (int k = 0; k < width && at + k < bytes.Length; k++) bytes[at + k] = (byte)(value >> (8 * k));
    }
}
