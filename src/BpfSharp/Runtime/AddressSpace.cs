using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace BpfSharp.Runtime;

/// <summary>
/// The memory a program can reach: a table of regions, each a <see cref="MemorySlice"/> with a kind, a name and
/// its permissions. An address is a tagged 64-bit value, the region index in the high 32 bits and the offset in
/// the low 32, so translating one is an array index plus one unsigned bounds compare, and an address that points
/// nowhere (NULL is region 0, never mapped) or past a region's end is an error instead of a stray access.
/// </summary>
/// <remarks>
/// Regions 1 to <see cref="MaxFrames"/> are the stack frames (512 bytes each, one per call depth). Others are added
/// by whoever prepares a run (ctx, packet, input memory) and during the run (map values, ring buffer records);
/// mapping the same slice again gives the same address, because programs compare pointers.
/// </remarks>
public sealed class AddressSpace
{
    /// <summary>Bytes of stack per frame, as in the kernel (MAX_BPF_STACK).</summary>
    public const int StackFrameSize = 512;

    /// <summary>Deepest bpf-to-bpf call chain, as in the kernel (MAX_CALL_FRAMES).</summary>
    public const int MaxFrames = 8;

    /// <summary>Regions a run may create before it is stopped (a guard against programs that map without end).</summary>
    public const int MaxRegions = 1 << 20;

    private const int FirstFreeRegion = MaxFrames + 1;

    private MemoryRegion[] _regions = new MemoryRegion[32];
    private int _count;
    private readonly byte[] _stack = new byte[MaxFrames * StackFrameSize];
    private readonly Dictionary<MemorySlice, int> _bySlice = new();
    private readonly Dictionary<object, int> _byObject = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates an address space holding only NULL and the stack frames.</summary>
    public AddressSpace()
    {
        _regions[0] = new MemoryRegion(new MemorySlice([], 0, 0), MemoryRegionKind.Null, "NULL", false, null, null);
        for (int f = 0; f < MaxFrames; f++)
            _regions[1 + f] = new MemoryRegion(new MemorySlice(_stack, f * StackFrameSize, StackFrameSize), MemoryRegionKind.Stack, $"stack[{f}]", true, null, null);
        _count = FirstFreeRegion;
    }

    /// <summary>Number of regions, NULL and the stack frames included.</summary>
    public int Count => _count;

    /// <summary>The region at <paramref name="index"/>.</summary>
    public ref readonly MemoryRegion this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_count) throw new ArgumentOutOfRangeException(nameof(index));
            return ref _regions[index];
        }
    }

    /// <summary>The address of the first byte of region <paramref name="index"/>.</summary>
    public static ulong AddressOf(int index) => (ulong)(uint)index << 32;

    /// <summary>The region index an address is tagged with (whether or not such a region exists).</summary>
    public static int RegionIndexOf(ulong address) => (int)(uint)(address >> 32);

    /// <summary>The address one past the top of stack frame <paramref name="frame"/> (what r10 holds in it).</summary>
    public static ulong StackTop(int frame) => AddressOf(1 + frame) + StackFrameSize;

    /// <summary>The bytes of stack frame <paramref name="frame"/>.</summary>
    public Span<byte> StackFrame(int frame) => _stack.AsSpan(frame * StackFrameSize, StackFrameSize);

    /// <summary>
    /// Adds a region over <paramref name="slice"/> and returns its index; a slice already mapped keeps its index
    /// (and its first kind, name and permissions).
    /// </summary>
    public int Add(MemorySlice slice, MemoryRegionKind kind, string name, bool writable, ContextPointerField[]? pointerFields = null)
    {
        ArgumentNullException.ThrowIfNull(slice.Array);
        ArgumentNullException.ThrowIfNull(name);
        if (slice.Offset < 0 || slice.Length < 0 || slice.Offset > slice.Array.Length - slice.Length)
            throw new ArgumentOutOfRangeException(nameof(slice), $"slice [{slice.Offset}, +{slice.Length}) is outside its {slice.Array.Length}-byte array");
        if (kind is MemoryRegionKind.Null or MemoryRegionKind.Stack or MemoryRegionKind.Object or MemoryRegionKind.Function)
            throw new ArgumentException($"regions of kind {kind} are not mapped from memory", nameof(kind));
        if (_bySlice.TryGetValue(slice, out int existing)) return existing;
        int index = Append(new MemoryRegion(slice, kind, name, writable, pointerFields, null));
        _bySlice.Add(slice, index);
        if (kind == MemoryRegionKind.Packet && PacketRegion < 0) PacketRegion = index;
        return index;
    }

    /// <summary>Adds a region (see <see cref="Add"/>) and returns the address of its first byte.</summary>
    public ulong Map(MemorySlice slice, MemoryRegionKind kind, string name, bool writable, ContextPointerField[]? pointerFields = null) =>
        AddressOf(Add(slice, kind, name, writable, pointerFields));

    /// <summary>
    /// A handle for an object (a map) or a callable address (a <see cref="CodeAddress"/>): a region without bytes,
    /// so any access through it fails, that helpers turn back into the object with <see cref="TargetAt{T}"/>.
    /// The same object always gets the same handle.
    /// </summary>
    public ulong MapObject(object target, string name)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (_byObject.TryGetValue(target, out int existing)) return AddressOf(existing);
        var kind = target is CodeAddress ? MemoryRegionKind.Function : MemoryRegionKind.Object;
        int index = Append(new MemoryRegion(new MemorySlice([], 0, 0), kind, name, false, null, target));
        _byObject.Add(target, index);
        return AddressOf(index);
    }

    /// <summary>
    /// Points region <paramref name="index"/> at other bytes (xdp_adjust_head/tail moving the packet): its address
    /// stays, its length and backing change.
    /// </summary>
    public void Remap(int index, MemorySlice slice)
    {
        if (index < FirstFreeRegion || index >= _count) throw new ArgumentOutOfRangeException(nameof(index), "only added regions can be re-pointed");
        ArgumentNullException.ThrowIfNull(slice.Array);
        if (slice.Offset < 0 || slice.Length < 0 || slice.Offset > slice.Array.Length - slice.Length)
            throw new ArgumentOutOfRangeException(nameof(slice));
        ref var old = ref _regions[index];
        if (old.Target is not null) throw new ArgumentException("a handle region has no bytes to re-point", nameof(index));
        _bySlice.Remove(old.Slice);
        old = new MemoryRegion(slice, old.Kind, old.Name, old.Writable, old.PointerFields, null);
        _bySlice[slice] = index;
    }

    /// <summary>
    /// The region legacy packet loads (LD_ABS/LD_IND) read: the first region of kind <see cref="MemoryRegionKind.Packet"/>
    /// added, unless set otherwise; -1 when there is none.
    /// </summary>
    public int PacketRegion { get; set; } = -1;

    /// <summary>Removes every region but NULL and the stack frames.</summary>
    public void Clear() => Truncate(FirstFreeRegion);

    /// <summary>Removes the regions added after the first <paramref name="count"/> (those a run created).</summary>
    internal void Truncate(int count)
    {
        if (count >= _count) return;
        for (int i = count; i < _count; i++)
        {
            ref var r = ref _regions[i];
            if (r.Target is not null) _byObject.Remove(r.Target);
            else _bySlice.Remove(r.Slice);
            r = default;
        }
        _count = count;
        if (PacketRegion >= count) PacketRegion = -1;
    }

    private int Append(MemoryRegion region)
    {
        if (_count >= MaxRegions) throw new BpfRuntimeException(-1, $"more than {MaxRegions} memory regions in one run");
        if (_count == _regions.Length) Array.Resize(ref _regions, _regions.Length * 2);
        _regions[_count] = region;
        return _count++;
    }

    /// <summary>The object behind a handle made by <see cref="MapObject"/>, or null when the address is no such handle.</summary>
    public T? TargetAt<T>(ulong address) where T : class
    {
        uint index = (uint)(address >> 32);
        if ((uint)address != 0 || index >= (uint)_count) return null;
        return _regions[index].Target as T;
    }

    /// <summary>The index of the region <paramref name="address"/> points into (inside its bytes), or -1.</summary>
    public int FindRegion(ulong address)
    {
        uint index = (uint)(address >> 32);
        if (index == 0 || index >= (uint)_count) return -1;
        return (uint)address < (uint)_regions[index].Length ? (int)index : -1;
    }

    /// <summary>
    /// The bytes at <paramref name="address"/>, checked: the whole range lies in one region, writable when
    /// <paramref name="write"/>. Otherwise a <see cref="BpfRuntimeException"/> naming instruction <paramref name="pc"/>.
    /// </summary>
    public Span<byte> GetSpan(ulong address, int length, bool write, int pc)
    {
        if (length == 0) return [];
        return System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref Translate(address, length, write, pc), length);
    }

    /// <summary>Like <see cref="GetSpan"/> but false instead of an error (probe_read's -EFAULT).</summary>
    public bool TryGetSpan(ulong address, int length, bool write, out Span<byte> span)
    {
        span = default;
        if (length < 0) return false;
        if (length == 0) return true;
        uint index = (uint)(address >> 32);
        uint offset = (uint)address;
        if (index >= (uint)_count) return false;
        ref var r = ref _regions[index];
        if ((ulong)offset + (uint)length > (uint)r.Length || (write && !r.Writable)) return false;
        span = r.Array.AsSpan(r.Offset + (int)offset, length);
        return true;
    }

    /// <summary>
    /// The checked translation every load, store and atomic goes through: a reference to the first byte of
    /// <paramref name="size"/> bytes at <paramref name="address"/>, all inside one region.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ref byte Translate(ulong address, int size, bool write, int pc)
    {
        uint index = (uint)(address >> 32);
        uint offset = (uint)address;
        if (index < (uint)_count)
        {
            ref var r = ref _regions[index];
            if ((ulong)offset + (uint)size <= (uint)r.Length && (!write || r.Writable))
            {
                if (write && r.PointerFields is not null) CheckPointerFieldStore(in r, offset, size, address, pc);
                return ref r.Array[r.Offset + (int)offset];
            }
        }
        throw Fault(address, size, write, pc);
    }

    /// <summary>
    /// The interpreter's fast path: a reference to <paramref name="size"/> bytes at <paramref name="address"/> when
    /// they lie inside one region that has no pointer fields (and is writable when <paramref name="write"/>), else a
    /// null reference and the caller takes the general path (<see cref="Load"/>, <see cref="Store"/>), which handles
    /// pointer fields and reports faults. One region lookup and the same bounds compare as <see cref="Translate"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref byte FastTranslate(ulong address, int size, bool write)
    {
        uint index = (uint)(address >> 32);
        uint offset = (uint)address;
        var regions = _regions;
        if (index < (uint)_count)
        {
            ref var r = ref regions[index];
            if ((ulong)offset + (uint)size <= (uint)r.Length && r.PointerFields is null && (!write || r.Writable))
                return ref r.Array[r.Offset + (int)offset];
        }
        return ref Unsafe.NullRef<byte>();
    }

    /// <summary>A checked load of one byte (see <see cref="Load"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ulong Load8(ulong address, int pc)
    {
        ref byte b = ref FastTranslate(address, 1, false);
        return Unsafe.IsNullRef(ref b) ? Load(address, 1, pc) : b;
    }

    /// <summary>A checked little-endian load of 2 bytes (see <see cref="Load"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ulong Load16(ulong address, int pc)
    {
        ref byte b = ref FastTranslate(address, 2, false);
        if (Unsafe.IsNullRef(ref b)) return Load(address, 2, pc);
        ushort v = Unsafe.ReadUnaligned<ushort>(ref b);
        return BitConverter.IsLittleEndian ? v : BinaryPrimitives.ReverseEndianness(v);
    }

    /// <summary>A checked little-endian load of 4 bytes (see <see cref="Load"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ulong Load32(ulong address, int pc)
    {
        ref byte b = ref FastTranslate(address, 4, false);
        if (Unsafe.IsNullRef(ref b)) return Load(address, 4, pc);
        uint v = Unsafe.ReadUnaligned<uint>(ref b);
        return BitConverter.IsLittleEndian ? v : BinaryPrimitives.ReverseEndianness(v);
    }

    /// <summary>A checked little-endian load of 8 bytes (see <see cref="Load"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ulong Load64(ulong address, int pc)
    {
        ref byte b = ref FastTranslate(address, 8, false);
        if (Unsafe.IsNullRef(ref b)) return Load(address, 8, pc);
        ulong v = Unsafe.ReadUnaligned<ulong>(ref b);
        return BitConverter.IsLittleEndian ? v : BinaryPrimitives.ReverseEndianness(v);
    }

    /// <summary>A checked store of the low byte of <paramref name="value"/> (see <see cref="Store"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Store8(ulong address, ulong value, int pc)
    {
        ref byte b = ref FastTranslate(address, 1, true);
        if (Unsafe.IsNullRef(ref b)) Store(address, 1, value, pc);
        else b = (byte)value;
    }

    /// <summary>A checked little-endian store of the low 2 bytes of <paramref name="value"/> (see <see cref="Store"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Store16(ulong address, ulong value, int pc)
    {
        ref byte b = ref FastTranslate(address, 2, true);
        if (Unsafe.IsNullRef(ref b)) Store(address, 2, value, pc);
        else Unsafe.WriteUnaligned(ref b, BitConverter.IsLittleEndian ? (ushort)value : BinaryPrimitives.ReverseEndianness((ushort)value));
    }

    /// <summary>A checked little-endian store of the low 4 bytes of <paramref name="value"/> (see <see cref="Store"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Store32(ulong address, ulong value, int pc)
    {
        ref byte b = ref FastTranslate(address, 4, true);
        if (Unsafe.IsNullRef(ref b)) Store(address, 4, value, pc);
        else Unsafe.WriteUnaligned(ref b, BitConverter.IsLittleEndian ? (uint)value : BinaryPrimitives.ReverseEndianness((uint)value));
    }

    /// <summary>A checked little-endian store of 8 bytes (see <see cref="Store"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Store64(ulong address, ulong value, int pc)
    {
        ref byte b = ref FastTranslate(address, 8, true);
        if (Unsafe.IsNullRef(ref b)) Store(address, 8, value, pc);
        else Unsafe.WriteUnaligned(ref b, BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value));
    }

    /// <summary>A checked little-endian load of 1, 2, 4 or 8 bytes, zero-extended; pointer-valued ctx fields give their pointer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Load(ulong address, int size, int pc)
    {
        uint index = (uint)(address >> 32);
        if (index < (uint)_count && _regions[index].PointerFields is { } fields)
        {
            foreach (var f in fields)
                if (f.Offset == (uint)address && f.Size == size)
                {
                    Translate(address, size, false, pc);
                    return f.Value(this);
                }
        }
        ref byte b = ref Translate(address, size, false, pc);
        return size switch
        {
            1 => b,
            2 => BinaryPrimitives.ReadUInt16LittleEndian(System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref b, 2)),
            4 => BinaryPrimitives.ReadUInt32LittleEndian(System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref b, 4)),
            _ => BinaryPrimitives.ReadUInt64LittleEndian(System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref b, 8)),
        };
    }

    /// <summary>A checked little-endian store of the low 1, 2, 4 or 8 bytes of <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ulong address, int size, ulong value, int pc)
    {
        ref byte b = ref Translate(address, size, true, pc);
        switch (size)
        {
            case 1: b = (byte)value; break;
            case 2: BinaryPrimitives.WriteUInt16LittleEndian(System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref b, 2), (ushort)value); break;
            case 4: BinaryPrimitives.WriteUInt32LittleEndian(System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref b, 4), (uint)value); break;
            default: BinaryPrimitives.WriteUInt64LittleEndian(System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref b, 8), value); break;
        }
    }

    private void CheckPointerFieldStore(in MemoryRegion r, uint offset, int size, ulong address, int pc)
    {
        foreach (var f in r.PointerFields!)
            if (offset < (uint)(f.Offset + f.Size) && offset + (uint)size > (uint)f.Offset)
                throw new BpfRuntimeException(pc, $"invalid write of {size} bytes at {Hex(address)}: {r.Name} offset {f.Offset} is a pointer field and cannot be written",
                    address, size, r.Name);
    }

    /// <summary>Says what <paramref name="address"/> points to, for messages: <c>stack[0]+504</c>, <c>no region</c>.</summary>
    public string Describe(ulong address)
    {
        uint index = (uint)(address >> 32);
        if (index >= (uint)_count) return "no region";
        ref var r = ref _regions[index];
        return index == 0 ? "NULL" : $"{r.Name}+{(uint)address}";
    }

    private BpfRuntimeException Fault(ulong address, int size, bool write, int pc)
    {
        string access = write ? "write" : "read";
        uint index = (uint)(address >> 32);
        uint offset = (uint)address;
        if (index >= (uint)_count)
            return new BpfRuntimeException(pc, $"invalid {access} of {size} bytes at {Hex(address)}: no region", address, size, null);
        ref var r = ref _regions[index];
        string why = r.Kind switch
        {
            MemoryRegionKind.Null => "NULL pointer (no region)",
            MemoryRegionKind.Object or MemoryRegionKind.Function => $"{r.Name} is a handle, not memory",
            _ when write && !r.Writable && (ulong)offset + (uint)size <= (uint)r.Length => $"{r.Name} is read-only",
            _ => $"offset {offset} is out of bounds of {r.Name} ({r.Length} bytes)",
        };
        return new BpfRuntimeException(pc, $"invalid {access} of {size} bytes at {Hex(address)}: {why}", address, size, index == 0 ? null : r.Name);
    }

    internal static string Hex(ulong value) => $"0x{value:x}";
}
