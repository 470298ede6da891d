using System.Net;
using BpfSharp.Kernel;
using BpfSharp.Loader;
using BpfSharp.Runtime.Maps;
using BpfSharp.Tests.TestSupport;
using static BpfSharp.Tests.Runtime.Maps.Specs;

namespace BpfSharp.Tests.Runtime.Maps;

/// <summary>The LPM trie: longest-prefix lookups, the kernel's errnos and iteration order, and a differential with the kernel's trie.</summary>
public class LpmTrieMapTests
{
    private static LpmTrieMap Trie(uint dataBytes = 4, uint valueSize = 4, uint maxEntries = 16) =>
        (LpmTrieMap)Create(MapType.LpmTrie, 4 + dataBytes, valueSize, maxEntries, MapFlags.NoPrealloc);

    /// <summary>A key: prefixlen (little-endian u32) and the address bytes in network order.</summary>
    private static byte[] Key(string address, uint prefixLength)
    {
        byte[] data = IPAddress.Parse(address).GetAddressBytes();
        var key = new byte[4 + data.Length];
        BitConverter.TryWriteBytes(key, prefixLength);
        data.CopyTo(key, 4);
        return key;
    }

    private static string Show(byte[] key) =>
        $"{new IPAddress(key.AsSpan(4).ToArray())}/{BitConverter.ToUInt32(key)}";

    private static uint? Lookup(BpfMap map, string address, uint? prefixLength = null)
    {
        var key = Key(address, prefixLength ?? (uint)(map.KeySize - 4) * 8);
        var value = new byte[map.ValueSize];
        int result = map.LookupElem(key, value);
        Assert.True(result is 0 or MapErrno.ENOENT, MapErrno.Name(result));
        return result == 0 ? BitConverter.ToUInt32(value) : null;
    }

    [Fact]
    public void Lookup_answers_the_longest_matching_prefix()
    {
        var map = Trie();
        Assert.Equal(0, map.UpdateElem(Key("10.0.0.0", 8), U32(8)));
        Assert.Equal(0, map.UpdateElem(Key("10.1.0.0", 16), U32(16)));
        Assert.Equal(0, map.UpdateElem(Key("10.1.2.0", 24), U32(24)));
        Assert.Equal(0, map.UpdateElem(Key("10.1.2.128", 25), U32(25)));
        Assert.Equal(24u, Lookup(map, "10.1.2.3"));
        Assert.Equal(25u, Lookup(map, "10.1.2.200"));
        Assert.Equal(16u, Lookup(map, "10.1.3.1"));
        Assert.Equal(8u, Lookup(map, "10.200.0.1"));
        Assert.Null(Lookup(map, "11.0.0.1"));
        // The key's own prefixlen limits the match: 10.1.2.200/20 only sees prefixes of 20 bits or fewer.
        Assert.Equal(16u, Lookup(map, "10.1.2.200", 20));
        Assert.Null(Lookup(map, "10.1.2.200", 7));
        Assert.Equal(4, map.Count);
    }

    [Fact]
    public void A_slash_zero_prefix_is_the_default_route()
    {
        var map = Trie();
        Assert.Equal(0, map.UpdateElem(Key("0.0.0.0", 0), U32(99)));
        Assert.Equal(0, map.UpdateElem(Key("192.168.0.0", 16), U32(1)));
        Assert.Equal(99u, Lookup(map, "8.8.8.8"));
        Assert.Equal(1u, Lookup(map, "192.168.7.7"));
        Assert.Equal(99u, Lookup(map, "192.168.7.7", 0));
        Assert.Equal(0, map.DeleteElem(Key("0.0.0.0", 0)));
        Assert.Null(Lookup(map, "8.8.8.8"));
    }

    [Fact]
    public void IPv6_keys_use_all_128_bits()
    {
        var map = Trie(dataBytes: 16, valueSize: 8);
        Assert.Equal(128, map.MaxPrefixLength);
        Assert.Equal(0, map.UpdateElem(Key("2001:db8::", 32), U64(32)));
        Assert.Equal(0, map.UpdateElem(Key("2001:db8::1", 128), U64(128)));
        Assert.Equal(0, map.UpdateElem(Key("2001:db8:8000::", 33), U64(33)));
        var value = new byte[8];
        Assert.Equal(0, map.LookupElem(Key("2001:db8::1", 128), value));
        Assert.Equal(128ul, BitConverter.ToUInt64(value));
        Assert.Equal(0, map.LookupElem(Key("2001:db8::2", 128), value));
        Assert.Equal(32ul, BitConverter.ToUInt64(value));
        Assert.Equal(0, map.LookupElem(Key("2001:db8:ffff::2", 128), value));
        Assert.Equal(33ul, BitConverter.ToUInt64(value));
        Assert.Equal(MapErrno.ENOENT, map.LookupElem(Key("2001:db9::", 128), value));
        Assert.Equal(MapErrno.EINVAL, map.UpdateElem(Key("2001:db8::", 129), U64(0)));
    }

    [Fact]
    public void Update_and_delete_give_the_kernels_errnos()
    {
        var map = Trie(maxEntries: 2);
        Assert.Equal(MapErrno.ENOENT, map.UpdateElem(Key("10.0.0.0", 8), U32(1), MapFlags.Exist));
        Assert.Equal(0, map.UpdateElem(Key("10.0.0.0", 8), U32(1), MapFlags.NoExist));
        Assert.Equal(MapErrno.EEXIST, map.UpdateElem(Key("10.0.0.0", 8), U32(2), MapFlags.NoExist));
        Assert.Equal(0, map.UpdateElem(Key("10.0.0.0", 8), U32(3), MapFlags.Exist));
        Assert.Equal(MapErrno.EINVAL, map.UpdateElem(Key("10.0.0.0", 8), U32(1), 3));
        Assert.Equal(MapErrno.EINVAL, map.UpdateElem(Key("10.0.0.0", 8), U32(1), MapFlags.Lock));
        Assert.Equal(MapErrno.EINVAL, map.Update(Key("10.0.0.0", 8), U32(1), MapFlags.Lock, 0));
        Assert.Equal(MapErrno.EINVAL, map.UpdateElem(Key("10.0.0.0", 33), U32(1)));
        Assert.Equal(MapErrno.EINVAL, map.DeleteElem(Key("10.0.0.0", 33)));
        Assert.Equal(MapErrno.ENOENT, map.LookupElem(Key("10.0.0.0", 33), new byte[4]));
        Assert.Equal(0, map.UpdateElem(Key("10.1.0.0", 16), U32(1)));
        // Full: a new prefix is -ENOSPC (-ENOENT first for BPF_EXIST); present prefixes are still replaced.
        Assert.Equal(MapErrno.ENOSPC, map.UpdateElem(Key("10.2.0.0", 16), U32(1)));
        Assert.Equal(MapErrno.ENOSPC, map.UpdateElem(Key("10.2.0.0", 16), U32(1), MapFlags.NoExist));
        Assert.Equal(MapErrno.ENOENT, map.UpdateElem(Key("10.2.0.0", 16), U32(1), MapFlags.Exist));
        // Nor is a prefix between two elements one.
        Assert.Equal(MapErrno.ENOSPC, map.UpdateElem(Key("10.0.0.0", 12), U32(1)));
        Assert.Equal(0, map.UpdateElem(Key("10.1.0.0", 16), U32(5)));
        Assert.Equal(MapErrno.ENOENT, map.DeleteElem(Key("10.0.0.0", 16)));
        Assert.Equal(MapErrno.ENOENT, map.DeleteElem(Key("10.0.0.0", 9)));
        Assert.Equal(0, map.DeleteElem(Key("10.77.77.77", 8))); // the host bits do not matter
        Assert.Equal(MapErrno.ENOENT, map.DeleteElem(Key("10.0.0.0", 8)));
        Assert.Equal(1, map.Count);
        Assert.Equal(MapErrno.ENOTSUPP, map.LookupAndDeleteElem(Key("10.1.0.0", 16), new byte[4]));
    }

    [Fact]
    public void Host_bits_are_stored_as_written_and_returned_by_get_next_key()
    {
        var map = Trie();
        Assert.Equal(0, map.UpdateElem(Key("10.1.2.3", 8), U32(1)));
        var next = new byte[8];
        Assert.Equal(0, map.GetNextKey([], next));
        Assert.Equal("10.1.2.3/8", Show(next));
        Assert.Equal(MapErrno.EEXIST, map.UpdateElem(Key("10.9.9.9", 8), U32(2), MapFlags.NoExist));
        Assert.Equal(0, map.UpdateElem(Key("10.9.9.9", 8), U32(2)));
        Assert.Equal(0, map.GetNextKey([], next));
        Assert.Equal("10.9.9.9/8", Show(next));
        Assert.Equal(MapErrno.ENOENT, map.GetNextKey(Key("10.0.0.0", 8), next));
        Assert.Equal(2u, Lookup(map, "10.5.5.5"));
    }

    [Fact]
    public void Get_next_key_walks_in_post_order_and_restarts_from_a_missing_key()
    {
        var map = Trie(maxEntries: 100);
        string[] inserted = ["0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "10.2.0.0/16", "10.1.1.0/24", "10.1.128.0/24", "10.128.0.0/9",
            "128.0.0.0/1", "192.168.1.1/32", "192.168.0.0/16", "0.0.0.0/2"];
        foreach (var text in inserted)
        {
            var parts = text.Split('/');
            Assert.Equal(0, map.UpdateElem(Key(parts[0], uint.Parse(parts[1])), U32(1)));
        }
        // The order Linux 6.18 gives for these keys.
        string[] expected = ["10.1.1.0/24", "10.1.128.0/24", "10.1.0.0/16", "10.2.0.0/16", "10.128.0.0/9", "10.0.0.0/8", "0.0.0.0/2",
            "192.168.1.1/32", "192.168.0.0/16", "128.0.0.0/1", "0.0.0.0/0"];
        var walked = new List<string>();
        byte[] previous = [], next = new byte[8];
        while (map.GetNextKey(previous, next) == 0)
        {
            walked.Add(Show(next));
            previous = (byte[])next.Clone();
        }
        Assert.Equal(expected, walked);
        Assert.Equal(expected, map.Keys().Select(Show));
        // A missing key (or a branch point, or a prefixlen beyond the data) restarts from the first key.
        Assert.Equal(0, map.GetNextKey(Key("10.0.0.0", 14), next)); // the branch point of 10.1/16 and 10.2/16
        Assert.Equal("10.1.1.0/24", Show(next));
        Assert.Equal(MapErrno.ENOENT, map.DeleteElem(Key("10.0.0.0", 14)));
        Assert.Equal(0, map.GetNextKey(Key("10.3.0.0", 16), next));
        Assert.Equal("10.1.1.0/24", Show(next));
        Assert.Equal(0, map.GetNextKey(Key("10.1.1.0", 33), next));
        Assert.Equal("10.1.1.0/24", Show(next));
        Assert.Equal(0, map.GetNextKey(Key("10.1.1.0", 24), next));
        Assert.Equal("10.1.128.0/24", Show(next));
        // Deleting keeps the order of the rest.
        Assert.Equal(0, map.DeleteElem(Key("10.0.0.0", 8)));
        Assert.Equal(0, map.DeleteElem(Key("10.1.128.0", 24)));
        Assert.Equal(expected.Except(["10.0.0.0/8", "10.1.128.0/24"]), map.Keys().Select(Show));
    }

    [Fact]
    public void A_program_keeps_its_value_memory_when_the_element_is_replaced_or_deleted()
    {
        var map = Trie();
        Assert.Equal(0, map.Update(Key("10.0.0.0", 8), U32(1), MapFlags.Any, 0));
        Assert.True(map.TryLookup(Key("10.1.1.1", 32), 0, out var held));
        Assert.Equal(0, map.Update(Key("10.0.0.0", 8), U32(2), MapFlags.Any, 0));
        Assert.Equal(0, map.Delete(Key("10.0.0.0", 8)));
        Assert.Equal(1u, BitConverter.ToUInt32(held.Span));
        Assert.False(map.TryLookup(Key("10.1.1.1", 32), 0, out _));
    }

    [Fact]
    public void Batches_are_the_generic_ones()
    {
        var map = Trie();
        byte[] keys = [.. Key("10.0.0.0", 8), .. Key("10.1.0.0", 16), .. Key("10.1.0.0", 40)];
        byte[] values = [.. U32(8), .. U32(16), .. U32(40)];
        uint count = 3;
        Assert.Equal(MapErrno.EINVAL, map.UpdateBatch(keys, values, ref count));
        Assert.Equal(2u, count);
        byte[] outKeys = new byte[24], outValues = new byte[12], token = new byte[8];
        count = 3;
        Assert.Equal(MapErrno.ENOENT, map.LookupBatch([], token, outKeys, outValues, ref count));
        Assert.Equal(2u, count);
        Assert.Equal("10.1.0.0/16", Show(outKeys[..8]));
        count = 1;
        Assert.Equal(MapErrno.ENOTSUPP, map.LookupAndDeleteBatch([], token, outKeys, outValues, ref count));
    }

    public static TheoryData<uint, uint, uint, uint, int> Creations => new()
    {
        { 8, 4, 1, MapFlags.NoPrealloc, 0 },
        { 8, 4, 1, 0, MapErrno.EINVAL },
        { 4, 4, 1, MapFlags.NoPrealloc, MapErrno.EINVAL },
        { 5, 4, 1, MapFlags.NoPrealloc, 0 },
        { 260, 4, 1, MapFlags.NoPrealloc, 0 },
        { 261, 4, 1, MapFlags.NoPrealloc, MapErrno.EINVAL },
        { 8, 0, 1, MapFlags.NoPrealloc, MapErrno.EINVAL },
        { 8, LpmTrieMap.MaxValueSize, 1, MapFlags.NoPrealloc, 0 },
        { 8, LpmTrieMap.MaxValueSize + 1, 1, MapFlags.NoPrealloc, MapErrno.EINVAL },
        { 8, 4, 0, MapFlags.NoPrealloc, MapErrno.EINVAL },
        { 8, 4, uint.MaxValue, MapFlags.NoPrealloc, 0 },
        { 8, 4, 1, MapFlags.NoPrealloc | MapFlags.NumaNode | MapFlags.ReadOnly | MapFlags.ReadOnlyProgram, 0 },
        { 8, 4, 1, MapFlags.NoPrealloc | MapFlags.NoCommonLru, MapErrno.EINVAL },
        { 8, 4, 1, MapFlags.NoPrealloc | MapFlags.ZeroSeed, MapErrno.EINVAL },
        { 8, 4, 1, MapFlags.NoPrealloc | MapFlags.Mmapable, MapErrno.EINVAL },
    };

    [Theory]
    [MemberData(nameof(Creations))]
    public void Creation_follows_the_kernels_rules(uint keySize, uint valueSize, uint maxEntries, uint flags, int errno)
    {
        int actual = 0;
        try
        {
            BpfMapFactory.Create(Of(MapType.LpmTrie, keySize, valueSize, maxEntries, flags));
        }
        catch (MapCreateException e)
        {
            actual = e.Errno;
        }
        Assert.Equal(errno, actual);
    }

    [KernelTheory]
    [MemberData(nameof(Creations))]
    public void The_creation_rules_are_the_running_kernels(uint keySize, uint valueSize, uint maxEntries, uint flags, int errno)
    {
        int actual = 0;
        try
        {
            using var map = KernelMap.Create(MapType.LpmTrie, keySize, valueSize, maxEntries, flags, "lpm");
        }
        catch (KernelException e)
        {
            actual = -e.ErrorNumber;
        }
        Assert.Equal(errno, actual);
    }

    /// <summary>
    /// The same seeded random updates (random flags and prefixlens, some beyond the data), lookups, deletes and
    /// get-next-key on a runtime trie and a kernel trie: every errno, value and next key equal. Keys come from a
    /// small pool of bit patterns so prefixes nest, share branch points and collide, and host bits are random.
    /// </summary>
    [KernelTheory]
    [InlineData(1u, 4u, 12u, 1)]
    [InlineData(4u, 8u, 20u, 2)]
    [InlineData(4u, 3u, 6u, 3)]
    [InlineData(16u, 8u, 40u, 4)]
    [InlineData(2u, 5u, 300u, 5)]
    public void Random_operations_give_the_kernels_results(uint dataBytes, uint valueSize, uint maxEntries, int seed)
    {
        uint keySize = 4 + dataBytes;
        int bits = (int)dataBytes * 8;
        var runtime = Create(MapType.LpmTrie, keySize, valueSize, maxEntries, MapFlags.NoPrealloc);
        using var kernel = KernelMap.Create(MapType.LpmTrie, keySize, valueSize, maxEntries, MapFlags.NoPrealloc, "lpmdiff");
        var random = new Random(seed);
        var trie = (LpmTrieMap)runtime;
        ulong[] updateFlags = [MapFlags.Any, MapFlags.Any, MapFlags.Any, MapFlags.NoExist, MapFlags.NoExist, MapFlags.Exist, MapFlags.Exist, 3, MapFlags.Lock];
        var pool = new byte[6][];
        for (int i = 0; i < pool.Length; i++) random.NextBytes(pool[i] = new byte[dataBytes]);
        byte[] key = new byte[keySize], value = new byte[valueSize], fromKernel = new byte[valueSize], fromRuntime = new byte[valueSize];
        byte[] nextKernel = new byte[keySize], nextRuntime = new byte[keySize];
        for (int step = 0; step < 3000; step++)
        {
            // A pooled pattern, some of its bits flipped after a random point, and a prefixlen biased to the pool's.
            pool[random.Next(pool.Length)].CopyTo(key, 4);
            if (random.Next(3) == 0)
            {
                int from = random.Next(bits);
                for (int b = from; b < bits; b++) if (random.Next(4) == 0) key[4 + b / 8] ^= (byte)(0x80 >> (b % 8));
            }
            uint prefix = random.Next(20) switch
            {
                0 => (uint)bits + (uint)random.Next(1, 3),
                1 => 0,
                2 => (uint)bits,
                _ => (uint)random.Next(Math.Min(bits, 12) + 1) + (bits > 12 ? (uint)random.Next(bits - 12 + 1) / 4 * 4 : 0),
            };
            BitConverter.TryWriteBytes(key, prefix);
            int op = random.Next(10);
            // Half the deletes and a third of the updates take an element the map holds, its host bits re-randomized.
            if (((op is 7 && random.Next(2) == 0) || (op < 4 && random.Next(3) == 0)) && trie.Count > 0)
            {
                var held = trie.Keys().ElementAt(random.Next(trie.Count));
                held.CopyTo(key, 0);
                int heldPrefix = (int)BitConverter.ToUInt32(held);
                for (int b = heldPrefix; b < bits; b++) if (random.Next(2) == 0) key[4 + b / 8] ^= (byte)(0x80 >> (b % 8));
            }
            string what;
            int expected, actual;
            if (op < 4)
            {
                random.NextBytes(value);
                ulong flags = updateFlags[random.Next(updateFlags.Length)];
                what = $"update flags {flags}";
                expected = kernel.UpdateResult(key, value, flags);
                actual = flags == MapFlags.Lock ? runtime.Update(key, value, flags, 0) : runtime.UpdateElem(key, value, flags);
            }
            else if (op < 7)
            {
                what = "lookup";
                Array.Clear(fromKernel);
                Array.Clear(fromRuntime);
                expected = kernel.LookupResult(key, fromKernel);
                actual = runtime.LookupElem(key, fromRuntime);
                if (expected == 0) Assert.True(fromKernel.SequenceEqual(fromRuntime), $"step {step}: values differ for {Convert.ToHexString(key)}");
            }
            else if (op < 8)
            {
                what = "delete";
                expected = kernel.DeleteResult(key);
                actual = runtime.DeleteElem(key);
            }
            else
            {
                // From NULL, from the key, or from a key the map holds (as stored, host bits included).
                byte[] from = random.Next(4) switch
                {
                    0 => [],
                    1 => key,
                    _ => runtime.GetNextKey([], nextRuntime) == 0 ? (byte[])nextRuntime.Clone() : key,
                };
                if (from.Length > 0 && from != key && random.Next(2) == 0 && runtime.GetNextKey(from, nextRuntime) == 0) from = (byte[])nextRuntime.Clone();
                what = from.Length == 0 ? "get_next_key(NULL)" : $"get_next_key({Convert.ToHexString(from)})";
                Array.Clear(nextKernel);
                Array.Clear(nextRuntime);
                expected = kernel.GetNextKeyResult(from, nextKernel);
                actual = runtime.GetNextKey(from, nextRuntime);
                if (expected == 0) Assert.True(nextKernel.SequenceEqual(nextRuntime),
                    $"step {step}: {what}: kernel {Convert.ToHexString(nextKernel)}, runtime {Convert.ToHexString(nextRuntime)}");
            }
            Assert.True(expected == actual, $"step {step}: {what} key {Convert.ToHexString(key)}: kernel {MapErrno.Name(expected)}, runtime {MapErrno.Name(actual)}");
        }
        // Finally the whole iteration, stored bytes included, and every element's value.
        var kernelKeys = new List<string>();
        byte[] previous = [];
        while (kernel.GetNextKeyResult(previous, nextKernel) == 0)
        {
            kernelKeys.Add(Convert.ToHexString(nextKernel));
            previous = (byte[])nextKernel.Clone();
            Assert.Equal(0, kernel.LookupResult(previous, fromKernel));
            Assert.Equal(0, runtime.LookupElem(previous, fromRuntime));
            Assert.Equal(fromKernel, fromRuntime);
        }
        Assert.Equal(kernelKeys, trie.Keys().Select(Convert.ToHexString));
    }
}
