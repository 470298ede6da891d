using System.Buffers.Binary;
using BpfSharp.Kernel;
using BpfSharp.Loader;
using BpfSharp.Runtime.Context;
using BpfSharp.Runtime.Packets;
using BpfSharp.Tests.TestSupport;

namespace BpfSharp.Tests.Runtime.Context;

/// <summary>
/// Re-proves <see cref="TestRunContexts"/> and <see cref="ContextImage.Build"/> on the running kernel: a program
/// reading each field runs on generated frames with and without ctx_in, and must return what the image holds;
/// the kernel must refuse exactly the inputs the image refuses, with the same errno.
/// </summary>
public class ContextTableKernelTests
{
    public static TheoryData<string> Types() => new() { "socket_filter", "sched_cls", "xdp" };

    private static ProgramType TypeOf(string name) => KernelNames.TryParse(name, out ProgramType type) ? type : throw new ArgumentException(name);

    // The frames every check runs on: one of each kind and every truncation, from a fixed seed.
    private static readonly GeneratedPacket[] Packets = [.. new PacketGenerator(5).EveryKind()];

    // No ctx_in, a zeroed one, one with every settable field set to a legal value.
    private static IEnumerable<(string Name, byte[]? Context)> Contexts(ProgramType type, int frameLength)
    {
        yield return ("no ctx_in", null);
        if (type == ProgramType.Xdp)
        {
            yield return ("zero ctx_in (data_end 0)", new byte[24]);
            if (frameLength <= 3520 && frameLength >= 22) yield return ("8 bytes of metadata", Xdp(8, (uint)frameLength, 1, 0));
            if (frameLength <= 3520) yield return ("data_end at half", Xdp(0, (uint)frameLength / 2, 0, 0));
            yield break;
        }
        yield return ("zero ctx_in", new byte[192]);
        var full = new byte[192];
        void Put(int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(full.AsSpan(offset), value);
        Put(8, 0x11223344); Put(32, 7); Put(36, 5); Put(40, 1);
        for (int i = 0; i < 5; i++) Put(48 + 4 * i, 0xc0 + (uint)i);
        BinaryPrimitives.WriteUInt64LittleEndian(full.AsSpan(152), 0x1_0000_1234);
        Put(160, TestRunContexts.MaximumWireLength); Put(164, 9); Put(176, 1400);
        BinaryPrimitives.WriteUInt64LittleEndian(full.AsSpan(184), 0x2_0000_0099);
        yield return ("every settable field", full);
    }

    private static byte[] Xdp(uint data, uint dataEnd, uint ingress, uint queue)
    {
        var context = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(context, data);
        BinaryPrimitives.WriteUInt32LittleEndian(context.AsSpan(4), dataEnd);
        BinaryPrimitives.WriteUInt32LittleEndian(context.AsSpan(12), ingress);
        BinaryPrimitives.WriteUInt32LittleEndian(context.AsSpan(16), queue);
        return context;
    }

    // A reader for each 1-, 4- or 8-byte piece of a scalar field (cb element by element, u64 halves separately),
    // with what it returns from the image's context.
    private static IEnumerable<(string Name, string Text, Func<ContextImage, uint> Expected)> Readers(TestRunContextLayout layout)
    {
        foreach (var field in layout.Fields.Where(f => f.Readable))
        {
            if (field.Source == ContextValueSource.Pointer) continue;
            int offset = field.Offset;
            if (field.Size == 1)
                yield return (field.Name, $"r0 = *(u8 *)(r1 +{offset})\nexit", i => i.Context[offset]);
            else if (field.Size == 8)
            {
                yield return (field.Name + " (low)", $"r0 = *(u64 *)(r1 +{offset})\nexit", i => BinaryPrimitives.ReadUInt32LittleEndian(i.Context.AsSpan(offset)));
                yield return (field.Name + " (high)", $"r0 = *(u64 *)(r1 +{offset})\nr0 >>= 32\nexit", i => BinaryPrimitives.ReadUInt32LittleEndian(i.Context.AsSpan(offset + 4)));
            }
            else
                for (int o = offset; o < field.End; o += 4)
                {
                    int at = o;
                    yield return ($"{field.Name}+{at - offset}", $"r0 = *(u32 *)(r1 +{at})\nexit", i => BinaryPrimitives.ReadUInt32LittleEndian(i.Context.AsSpan(at)));
                }
        }
        var data = layout.Fields.FirstOrDefault(f => f.Pointer == ContextPointerKind.PacketData);
        var end = layout.Fields.FirstOrDefault(f => f.Pointer == ContextPointerKind.PacketEnd);
        var meta = layout.Fields.FirstOrDefault(f => f.Pointer == ContextPointerKind.PacketMeta);
        if (data is not null && end is not null && meta is not null)
        {
            yield return ("data_end - data", $"r2 = *(u32 *)(r1 +{data.Offset})\nr3 = *(u32 *)(r1 +{end.Offset})\nr0 = r3\nr0 -= r2\nexit",
                i => (uint)(i.DataEndOffset - i.DataOffset));
            yield return ("data - data_meta", $"r2 = *(u32 *)(r1 +{data.Offset})\nr3 = *(u32 *)(r1 +{meta.Offset})\nr0 = r2\nr0 -= r3\nexit",
                i => (uint)(i.DataOffset - i.MetaOffset));
        }
        if (layout.Fields.FirstOrDefault(f => f.Pointer == ContextPointerKind.Socket) is { } sk)
            yield return ("sk != NULL", $"r0 = *(u64 *)(r1 +{sk.Offset})\nif r0 == 0 goto +2\nr0 = 1\nexit\nr0 = 0\nexit", _ => 1);
    }

    [KernelTheory]
    [MemberData(nameof(Types))]
    public void Every_readable_field_reads_what_the_context_image_holds(string typeName)
    {
        var type = TypeOf(typeName);
        var layout = TestRunContexts.Of(type)!;
        var readers = Readers(layout).Select(r => (r.Name, Program: TestRunProbe.MustLoad(type, r.Text), r.Expected)).ToList();
        using var trivial = TestRunProbe.MustLoad(type, "r0 = 0\nexit");
        int runs = 0;
        try
        {
            foreach (var packet in Packets)
            {
                foreach (var (contextName, context) in Contexts(type, packet.Frame.Length))
                {
                    string input = $"{packet} with {contextName}";
                    var image = ContextImage.Build(type, packet.Frame, context);
                    Assert.False(image.Unsupported, $"{input}: {image.Reason}");
                    var (_, errno) = TestRunProbe.Run(trivial, packet.Frame, context);
                    Assert.True(errno == image.Errno, $"{input}: kernel errno {errno}, image says {image.Errno} ({image.Reason})");
                    if (image.Image is not { } built) continue;
                    foreach (var (name, program, expected) in readers)
                    {
                        var (result, runErrno) = TestRunProbe.Run(program, packet.Frame, context);
                        Assert.True(result is not null, $"{input}, {name}: errno {runErrno}");
                        Assert.True(expected(built) == result.ReturnValue,
                            $"{typeName} {name} on {input}: kernel 0x{result.ReturnValue:x}, image 0x{expected(built):x}");
                        runs++;
                    }
                }
            }
        }
        finally
        {
            foreach (var reader in readers) reader.Program.Dispose();
        }
        Assert.True(runs > 1000, $"only {runs} runs");
    }

    [KernelTheory]
    [MemberData(nameof(Types))]
    public void The_verifier_refuses_reads_of_exactly_the_unreadable_fields(string typeName)
    {
        var type = TypeOf(typeName);
        foreach (var field in TestRunContexts.Of(type)!.Fields)
        {
            string size = field.Size switch { 1 => "u8", 8 => "u64", _ => "u32" };
            var (program, log) = TestRunProbe.Load(type, $"r0 = *({size} *)(r1 +{field.Offset})\nr0 = 0\nexit");
            program?.Dispose();
            Assert.True(field.Readable == program is not null, $"{typeName} {field.Name}: table says readable={field.Readable}; kernel: {log.Trim().Split('\n')[^1]}");
        }
    }

    [KernelTheory]
    [MemberData(nameof(Types))]
    public void Ctx_in_is_refused_where_the_image_refuses_it(string typeName)
    {
        var type = TypeOf(typeName);
        var layout = TestRunContexts.Of(type)!;
        using var trivial = TestRunProbe.MustLoad(type, "r0 = 0\nexit");
        byte[] frame = Packets[0].Frame;
        var cases = new List<(string, byte[])>();
        // One byte set at every offset of the struct: non-settable bytes are EINVAL.
        for (int offset = 0; offset < layout.Size; offset++)
        {
            var context = type == ProgramType.Xdp ? Xdp(0, (uint)frame.Length, 0, 0) : new byte[layout.Size];
            context[offset] |= 4;
            cases.Add(($"byte {offset} ({layout.FieldAt(offset)?.Name ?? "padding"})", context));
        }
        var longer = new byte[layout.Size + 8];
        if (type == ProgramType.Xdp) Xdp(0, (uint)frame.Length, 0, 0).CopyTo(longer, 0);
        cases.Add(("longer, zero tail", longer.ToArray()));
        longer[^1] = 1;
        cases.Add(("longer, non-zero tail", longer));
        if (type == ProgramType.Xdp)
        {
            uint n = (uint)frame.Length;
            foreach (var (name, context) in new[]
                     {
                         ("metadata 3", Xdp(3, n, 0, 0)), ("metadata 216", Xdp(216, n, 0, 0)), ("metadata 220", Xdp(220, n, 0, 0)),
                         ("metadata to 14 before the end", Xdp(n - 14 & ~3u, n, 0, 0)), ("metadata to 13 before the end", Xdp(n - 13 + 3 & ~3u, n, 0, 0)),
                         ("data_end past data_in", Xdp(0, n + 1, 0, 0)), ("data_end 13", Xdp(0, 13, 0, 0)),
                         ("queue without device", Xdp(0, n, 0, 1)), ("loopback queue 1", Xdp(0, n, 1, 1)), ("loopback queue 0", Xdp(0, n, 1, 0)),
                     })
                cases.Add((name, context));
        }
        else
        {
            foreach (var (name, offset, value) in new[]
                     {
                         ("gso_segs 65535", 164, 65535u), ("gso_segs 65536", 164, 65536u), ("wire_len 65536", 160, 65536u),
                         ("wire_len 65537", 160, 65537u), ("wire_len len", 160, (uint)frame.Length), ("wire_len len-15", 160, (uint)frame.Length - 15),
                         ("ifindex 1", 40, 1u), ("gso_size max", 176, uint.MaxValue), ("mark max", 8, uint.MaxValue),
                     })
            {
                var context = new byte[192];
                BinaryPrimitives.WriteUInt32LittleEndian(context.AsSpan(offset), value);
                cases.Add((name, context));
            }
        }
        int checkedCases = 0;
        foreach (var (name, context) in cases)
        {
            var image = ContextImage.Build(type, frame, context);
            if (image.Unsupported) continue;
            var (_, errno) = TestRunProbe.Run(trivial, frame, context);
            Assert.True(errno == image.Errno, $"{typeName} ctx_in {name}: kernel errno {errno}, image {image.Errno} ({image.Reason})");
            checkedCases++;
        }
        Assert.True(checkedCases > layout.Size, $"only {checkedCases} cases checked");
    }

    [KernelTheory]
    [MemberData(nameof(Types))]
    public void Data_in_sizes_are_refused_where_the_layout_says(string typeName)
    {
        var type = TypeOf(typeName);
        var layout = TestRunContexts.Of(type)!;
        using var trivial = TestRunProbe.MustLoad(type, "r0 = 0\nexit");
        foreach (int size in new[] { 0, 1, 13, 14, 15, 33, 34, 53, 54, 60, 1514, layout.LinearCapacity, layout.LinearCapacity + 1, layout.MaximumDataIn, layout.MaximumDataIn + 1 })
        {
            foreach (ushort etherType in new ushort[] { 0, EtherType.IPv4, EtherType.IPv6, EtherType.Vlan })
            {
                var frame = new byte[size];
                if (size >= 14) BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), etherType);
                var image = ContextImage.Build(type, frame);
                var (_, errno) = TestRunProbe.Run(trivial, frame, slack: 0);
                Assert.True(errno == image.Errno, $"{typeName} {size} bytes, type 0x{etherType:x4}: kernel errno {errno}, image {image.Errno} ({image.Reason})");
            }
        }
    }

    [KernelFact]
    public void Data_out_is_the_frame_as_each_type_returns_it()
    {
        byte[] frame = Packets[0].Frame;
        using var socketFilter = TestRunProbe.MustLoad(ProgramType.SocketFilter, "r0 = 0\nexit");
        var out1 = TestRunProbe.Run(socketFilter, frame).Result!.Data;
        Assert.Equal([.. new byte[14], .. frame[14..]], out1);

        // sched_cls: bpf_skb_change_head(skb, 20, 0) shows the frame from the new skb->data, new bytes zero.
        using var grow = TestRunProbe.MustLoad(ProgramType.SchedCls, "r2 = 20\nr3 = 0\ncall 43\nexit");
        var out2 = TestRunProbe.Run(grow, frame).Result!;
        Assert.Equal(0u, out2.ReturnValue);
        Assert.Equal([.. new byte[20], .. frame], out2.Data);

        // xdp: metadata from ctx_in comes back in front of the frame, and bytes past data_end (fragments) too.
        using var xdp = TestRunProbe.MustLoad(ProgramType.Xdp, "r0 = 2\nexit");
        var withMeta = TestRunProbe.Run(xdp, frame, Xdp(8, (uint)frame.Length, 0, 0)).Result!;
        Assert.Equal(frame, withMeta.Data);
        Assert.Equal(8u, BinaryPrimitives.ReadUInt32LittleEndian(withMeta.Context));
        var big = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        Assert.Equal(big, TestRunProbe.Run(xdp, big).Result!.Data);
        var image = ContextImage.Build(ProgramType.Xdp, big).Image!;
        Assert.Equal(big.Length - 3520, image.Fragments.Length);
    }

    [KernelFact]
    public void Xdp_headroom_and_tailroom_are_what_the_image_gives()
    {
        byte[] frame = Packets[0].Frame;
        var image = ContextImage.Build(ProgramType.Xdp, frame).Image!;
        var layout = image.Layout;
        foreach (var (helper, argument, expected) in new[]
                 {
                     (44, -layout.UsableHeadroom, 0L), (44, -layout.UsableHeadroom - 1, -22L), // bpf_xdp_adjust_head
                     (54, -layout.UsableHeadroom, 0L), (54, -layout.UsableHeadroom - 1, -22L), // bpf_xdp_adjust_meta
                     (65, image.Tailroom, 0L), (65, image.Tailroom + 1, -22L), // bpf_xdp_adjust_tail
                 })
        {
            using var program = TestRunProbe.MustLoad(ProgramType.Xdp, $"r2 = {argument}\ncall {helper}\nexit");
            var (result, errno) = TestRunProbe.Run(program, frame, slack: 4096);
            Assert.True(result is not null, $"helper {helper}({argument}): errno {errno}");
            Assert.True(expected == (int)result.ReturnValue, $"helper {helper}({argument}) returned {(int)result.ReturnValue}, expected {expected}");
        }
    }
}
