using System.Buffers.Binary;
using BpfSharp.Isa;
using BpfSharp.Runtime;
using static BpfSharp.Tests.Runtime.RuntimeTestSupport;

namespace BpfSharp.Tests.Runtime;

/// <summary>The memory model: every access is checked against the region it points into, and errors say where.</summary>
public class AddressSpaceTests
{
    [Fact]
    public void Reading_below_the_stack_names_the_instruction_address_size_and_region()
    {
        var e = Fails("r0 = *(u64 *)(r10 -520)\nexit");
        Assert.Equal(0, e.InstructionIndex);
        Assert.Equal(8, e.AccessSize);
        Assert.Equal(AddressSpace.StackTop(0) - 520, e.Address);
        // 520 below the top of stack[0] wraps into the region before it (NULL): no region is named.
        Assert.Contains("insn 0: invalid read of 8 bytes at 0x", e.Message);
    }

    [Fact]
    public void Reading_past_the_top_of_the_stack_is_out_of_bounds_of_the_frame()
    {
        var e = Fails("r0 = *(u32 *)(r10 -2)\nexit");
        Assert.Equal("stack[0]", e.RegionName);
        Assert.Equal($"insn 0: invalid read of 4 bytes at 0x{AddressSpace.StackTop(0) - 2:x}: offset 510 is out of bounds of stack[0] (512 bytes)", e.Message);
    }

    [Fact]
    public void A_null_pointer_and_an_unmapped_address_belong_to_no_region()
    {
        var nullRead = Fails("r1 = 0\nr0 = *(u8 *)(r1 +3)\nexit");
        Assert.Equal("insn 1: invalid read of 1 bytes at 0x3: NULL pointer (no region)", nullRead.Message);
        Assert.Null(nullRead.RegionName);
        var wild = Fails("r1 = 0x123400000000 ll\n*(u16 *)(r1 +0) = 1\nexit");
        Assert.Equal("insn 2: invalid write of 2 bytes at 0x123400000000: no region", wild.Message);
    }

    [Fact]
    public void A_read_only_region_refuses_stores_and_atomics()
    {
        var interpreter = new Interpreter();
        ulong ctx = interpreter.Memory.Map(MemorySlice.Of(new byte[16]), MemoryRegionKind.Context, "ctx", writable: false);
        var store = Assert.Throws<BpfRuntimeException>(() => interpreter.Run(Program("*(u32 *)(r1 +0) = 1\nexit"), ctx));
        Assert.Equal($"insn 0: invalid write of 4 bytes at 0x{ctx:x}: ctx is read-only", store.Message);
        var atomic = Assert.Throws<BpfRuntimeException>(() => interpreter.Run(Program("r2 = 1\nlock *(u64 *)(r1 +8) += r2\nexit"), ctx));
        Assert.Equal("ctx", atomic.RegionName);
        Assert.Equal(0UL, interpreter.Run(Program("r0 = *(u64 *)(r1 +8)\nexit"), ctx).ReturnValue);
    }

    [Fact]
    public void An_access_straddling_the_end_of_a_region_fails_and_leaves_the_bytes_around_it()
    {
        var backing = new byte[32];
        Array.Fill(backing, (byte)0xcc);
        var interpreter = new Interpreter();
        ulong mem = interpreter.Memory.Map(new MemorySlice(backing, 8, 16), MemoryRegionKind.Input, "mem", writable: true);
        var e = Assert.Throws<BpfRuntimeException>(() => interpreter.Run(Program("*(u64 *)(r1 +12) = 0\nexit"), mem));
        Assert.Equal("mem", e.RegionName);
        Assert.All(backing, b => Assert.Equal(0xcc, b));
        interpreter.Run(Program("*(u64 *)(r1 +8) = 0\nr0 = 0\nexit"), mem);
        Assert.Equal(0, backing[16 + 7]);
        Assert.Equal(0xcc, backing[24]);
    }

    [Fact]
    public void The_same_slice_mapped_twice_has_one_address_and_regions_of_a_run_are_released()
    {
        var space = new AddressSpace();
        var bytes = new byte[8];
        ulong a = space.Map(MemorySlice.Of(bytes), MemoryRegionKind.MapValue, "v", true);
        Assert.Equal(a, space.Map(MemorySlice.Of(bytes), MemoryRegionKind.MapValue, "v", true));
        Assert.NotEqual(a, space.Map(new MemorySlice(bytes, 4, 4), MemoryRegionKind.MapValue, "v2", true));
        int count = space.Count;
        space.Clear();
        Assert.Equal(AddressSpace.MaxFrames + 1, space.Count);
        Assert.True(count > space.Count);
    }

    [Fact]
    public void Two_lookups_of_one_element_give_equal_pointers()
    {
        var map = new TestArrayMap("values", 8, 4);
        var program = Program("""
            r1 = 2
            *(u32 *)(r10 -4) = r1
            r1 = map[values] ll
            r2 = r10
            r2 += -4
            call bpf_map_lookup_elem
            r6 = r0
            r1 = map[values] ll
            r2 = r10
            r2 += -4
            call bpf_map_lookup_elem
            r1 = 9
            *(u64 *)(r0 +0) = r1
            r0 -= r6
            exit
            """, map);
        Assert.Equal(0UL, new Interpreter().Run(program).ReturnValue);
        Assert.Equal(9UL, BitConverter.ToUInt64(map.Value(2)));
    }

    [Fact]
    public void Pointer_valued_context_fields_load_the_packet_pointers_and_follow_a_remap()
    {
        // An xdp_md-like ctx: data at offset 0, data_end at offset 4, 32-bit fields that read as 64-bit pointers.
        var interpreter = new Interpreter();
        var space = interpreter.Memory;
        var packetBytes = new byte[64];
        packetBytes[20] = 0xab;
        int packet = space.Add(new MemorySlice(packetBytes, 0, 64), MemoryRegionKind.Packet, "packet", writable: true);
        ContextPointerField[] fields =
        [
            new(0, 4, s => AddressSpace.AddressOf(packet)),
            new(4, 4, s => AddressSpace.AddressOf(packet) + (ulong)s[packet].Length),
        ];
        ulong ctx = space.Map(MemorySlice.Of(new byte[24]), MemoryRegionKind.Context, "xdp_md", writable: true, fields);
        var program = Program("""
            r2 = *(u32 *)(r1 +0)
            r3 = *(u32 *)(r1 +4)
            r0 = r3
            r0 -= r2
            r4 = r2
            r4 += 21
            if r4 > r3 goto +2
            r4 = *(u8 *)(r2 +20)
            r0 += r4
            exit
            """);
        Assert.Equal(64UL + 0xab, interpreter.Run(program, ctx).ReturnValue);
        // xdp_adjust_head(+10): the packet region now starts 10 bytes later; data/data_end follow.
        space.Remap(packet, new MemorySlice(packetBytes, 10, 54));
        Assert.Equal(54UL, interpreter.Run(program, ctx).ReturnValue - packetBytes[30]);
        var e = Assert.Throws<BpfRuntimeException>(() => interpreter.Run(Program("*(u32 *)(r1 +4) = 0\nexit"), ctx));
        Assert.Contains("xdp_md offset 4 is a pointer field and cannot be written", e.Message);
    }

    [Fact]
    public void Handles_are_not_memory()
    {
        var map = new TestArrayMap("values", 8, 1);
        var e = Assert.Throws<BpfRuntimeException>(() => new Interpreter().Run(Program("r1 = map[values] ll\nr0 = *(u64 *)(r1 +0)\nexit", map)));
        Assert.Contains("map values is a handle, not memory", e.Message);
    }

    [Fact]
    public void Map_value_by_ld_imm64_points_into_element_zero()
    {
        var map = new TestArrayMap("globals", 16, 1);
        BinaryPrimitives.WriteUInt64LittleEndian(map.Value(0)[8..], 0x55);
        Assert.Equal(0x55UL, new Interpreter().Run(Program("r1 = map_value[globals]+8 ll\nr0 = *(u64 *)(r1 +0)\nexit", map)).ReturnValue);
        var readOnly = new TestArrayMap("rodata", 8, 1, flags: 0x80);
        var e = Assert.Throws<BpfRuntimeException>(() => new Interpreter().Run(Program("r1 = map_value[rodata]+0 ll\n*(u64 *)(r1 +0) = 1\nexit", readOnly)));
        Assert.Contains("value of map rodata is read-only", e.Message);
    }
}
