using BpfSharp.Loader;

namespace BpfSharp.Kernel;

/// <summary>A map created in the kernel: its descriptor and the operations on its elements.</summary>
public sealed unsafe class KernelMap : IDisposable
{
    private KernelMap(BpfFileDescriptor fd, string name, MapType type, uint keySize, uint valueSize)
    {
        Fd = fd;
        Name = name;
        Type = type;
        KeySize = keySize;
        ValueSize = valueSize;
    }

    /// <summary>The map's descriptor.</summary>
    public BpfFileDescriptor Fd { get; }

    /// <summary>The name the kernel knows it by.</summary>
    public string Name { get; }

    /// <summary>The map type.</summary>
    public MapType Type { get; }

    /// <summary>Key size in bytes.</summary>
    public uint KeySize { get; }

    /// <summary>Value size in bytes (per CPU for per-CPU maps).</summary>
    public uint ValueSize { get; }

    /// <summary>Bytes a lookup or update buffer needs: per-CPU maps hold one 8-byte aligned value per possible CPU.</summary>
    public int ValueBufferSize => IsPerCpu(Type) ? (int)((ValueSize + 7) & ~7u) * PossibleCpus.Count : (int)ValueSize;

    /// <summary>Creates a map. BTF ids are used when <paramref name="btf"/> is given.</summary>
    /// <exception cref="KernelException">The kernel refused the map.</exception>
    public static KernelMap Create(MapType type, uint keySize, uint valueSize, uint maxEntries, uint flags = 0, string name = "",
        BpfFileDescriptor? innerMap = null, uint numaNode = 0, ulong mapExtra = 0,
        BpfFileDescriptor? btf = null, uint btfKeyTypeId = 0, uint btfValueTypeId = 0)
    {
        Span<byte> buffer = stackalloc byte[BpfAttr.Size];
        var attr = new BpfAttr(buffer);
        attr.U32(0, (uint)type);
        attr.U32(4, keySize);
        attr.U32(8, valueSize);
        attr.U32(12, maxEntries);
        attr.U32(16, flags);
        if (innerMap is not null) attr.U32(20, (uint)innerMap.Value);
        attr.U32(24, numaNode);
        string kernelName = ObjectNames.Sanitize(name);
        attr.Name(28, kernelName);
        if (btf is not null)
        {
            attr.U32(48, (uint)btf.Value);
            attr.U32(52, btfKeyTypeId);
            attr.U32(56, btfValueTypeId);
        }
        attr.U64(64, mapExtra);
        long fd = NativeMethods.Bpf(BpfCommand.MapCreate, attr.Bytes[..80], out int errno);
        if (fd < 0) throw new KernelException(BpfCommand.MapCreate, errno, $"map '{name}' ({KernelNames.Of(type)}, key {keySize}, value {valueSize}, max {maxEntries}, flags 0x{flags:x})");
        return new KernelMap(new BpfFileDescriptor((int)fd), kernelName, type, keySize, valueSize);
    }

    /// <summary>Looks a key up; false when it is not there.</summary>
    public bool TryLookup(ReadOnlySpan<byte> key, Span<byte> value)
    {
        CheckKey(key);
        if (value.Length < ValueBufferSize) throw new ArgumentException($"value buffer needs {ValueBufferSize} bytes", nameof(value));
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            long r = ElementCommand(BpfCommand.MapLookupElem, k, v, 0, out int errno);
            if (r == 0) return true;
            if (errno == Errno.ENOENT) return false;
            throw new KernelException(BpfCommand.MapLookupElem, errno, $"map '{Name}'");
        }
    }

    /// <summary>Creates or replaces an element (flags: 0 any, 1 no-exist, 2 exist).</summary>
    public void Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags = 0)
    {
        CheckKey(key);
        if (value.Length < ValueBufferSize) throw new ArgumentException($"value buffer needs {ValueBufferSize} bytes", nameof(value));
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            if (ElementCommand(BpfCommand.MapUpdateElem, k, v, flags, out int errno) < 0)
                throw new KernelException(BpfCommand.MapUpdateElem, errno, $"map '{Name}'");
        }
    }

    /// <summary>BPF_MAP_LOOKUP_ELEM returning the kernel's answer: 0 or a negative errno (flags: 0 or BPF_F_LOCK).</summary>
    public int LookupResult(ReadOnlySpan<byte> key, Span<byte> value, ulong flags = 0)
    {
        CheckKey(key);
        if (value.Length < ValueBufferSize) throw new ArgumentException($"value buffer needs {ValueBufferSize} bytes", nameof(value));
        fixed (byte* k = key)
        fixed (byte* v = value)
            return ElementCommand(BpfCommand.MapLookupElem, k, v, flags, out int errno) < 0 ? -errno : 0;
    }

    /// <summary>BPF_MAP_UPDATE_ELEM returning the kernel's answer: 0 or a negative errno.</summary>
    public int UpdateResult(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags = 0)
    {
        CheckKey(key);
        if (value.Length < ValueBufferSize) throw new ArgumentException($"value buffer needs {ValueBufferSize} bytes", nameof(value));
        fixed (byte* k = key)
        fixed (byte* v = value)
            return ElementCommand(BpfCommand.MapUpdateElem, k, v, flags, out int errno) < 0 ? -errno : 0;
    }

    /// <summary>BPF_MAP_DELETE_ELEM: 0 or a negative errno.</summary>
    public int DeleteResult(ReadOnlySpan<byte> key)
    {
        CheckKey(key);
        fixed (byte* k = key)
            return ElementCommand(BpfCommand.MapDeleteElem, k, null, 0, out int errno) < 0 ? -errno : 0;
    }

    /// <summary>BPF_MAP_GET_NEXT_KEY: 0 or a negative errno; an empty <paramref name="key"/> asks for the first key.</summary>
    public int GetNextKeyResult(ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        if (!key.IsEmpty) CheckKey(key);
        if (nextKey.Length < KeySize) throw new ArgumentException($"next key buffer needs {KeySize} bytes", nameof(nextKey));
        fixed (byte* k = key)
        fixed (byte* n = nextKey)
            return ElementCommand(BpfCommand.MapGetNextKey, key.IsEmpty ? null : k, n, 0, out int errno) < 0 ? -errno : 0;
    }

    /// <summary>BPF_MAP_LOOKUP_AND_DELETE_ELEM (hash maps; queue/stack pop with an empty key): 0 or a negative errno.</summary>
    public int LookupAndDeleteResult(ReadOnlySpan<byte> key, Span<byte> value, ulong flags = 0)
    {
        CheckKey(key);
        if (value.Length < ValueBufferSize) throw new ArgumentException($"value buffer needs {ValueBufferSize} bytes", nameof(value));
        fixed (byte* k = key)
        fixed (byte* v = value)
            return ElementCommand(BpfCommand.MapLookupAndDeleteElem, key.IsEmpty ? null : k, v, flags, out int errno) < 0 ? -errno : 0;
    }

    /// <summary>
    /// BPF_MAP_LOOKUP_BATCH or BPF_MAP_LOOKUP_AND_DELETE_BATCH (<paramref name="delete"/>): 0 or a negative errno;
    /// <paramref name="count"/> becomes the kernel's count. An empty <paramref name="inBatch"/> starts from the beginning.
    /// </summary>
    public int LookupBatchResult(ReadOnlySpan<byte> inBatch, Span<byte> outBatch, Span<byte> keys, Span<byte> values, ref uint count,
        ulong elemFlags = 0, ulong flags = 0, bool delete = false)
    {
        fixed (byte* i = inBatch)
        fixed (byte* o = outBatch)
        fixed (byte* k = keys)
        fixed (byte* v = values)
            return BatchCommand(delete ? BpfCommand.MapLookupAndDeleteBatch : BpfCommand.MapLookupBatch, inBatch.IsEmpty ? null : i, o, k, v, ref count, elemFlags, flags);
    }

    /// <summary>BPF_MAP_UPDATE_BATCH: 0 or a negative errno; <paramref name="count"/> becomes the number updated.</summary>
    public int UpdateBatchResult(ReadOnlySpan<byte> keys, ReadOnlySpan<byte> values, ref uint count, ulong elemFlags = 0, ulong flags = 0)
    {
        fixed (byte* k = keys)
        fixed (byte* v = values)
            return BatchCommand(BpfCommand.MapUpdateBatch, null, null, k, v, ref count, elemFlags, flags);
    }

    /// <summary>BPF_MAP_DELETE_BATCH: 0 or a negative errno; <paramref name="count"/> becomes the number deleted.</summary>
    public int DeleteBatchResult(ReadOnlySpan<byte> keys, ref uint count, ulong elemFlags = 0, ulong flags = 0)
    {
        fixed (byte* k = keys)
            return BatchCommand(BpfCommand.MapDeleteBatch, null, null, k, null, ref count, elemFlags, flags);
    }

    private int BatchCommand(BpfCommand command, byte* inBatch, byte* outBatch, byte* keys, byte* values, ref uint count, ulong elemFlags, ulong flags)
    {
        Span<byte> buffer = stackalloc byte[BpfAttr.Size];
        var attr = new BpfAttr(buffer);
        attr.Pointer(0, inBatch);
        attr.Pointer(8, outBatch);
        attr.Pointer(16, keys);
        attr.Pointer(24, values);
        attr.U32(32, count);
        attr.U32(36, (uint)Fd.Value);
        attr.U64(40, elemFlags);
        attr.U64(48, flags);
        long r = NativeMethods.Bpf(command, attr.Bytes[..56], out int errno);
        count = attr.ReadU32(32);
        return r < 0 ? -errno : 0;
    }

    /// <summary>Makes the map read-only for user space (how .rodata is sealed before programs load).</summary>
    public void Freeze()
    {
        Span<byte> buffer = stackalloc byte[BpfAttr.Size];
        var attr = new BpfAttr(buffer);
        attr.U32(0, (uint)Fd.Value);
        if (NativeMethods.Bpf(BpfCommand.MapFreeze, attr.Bytes[..32], out int errno) < 0)
            throw new KernelException(BpfCommand.MapFreeze, errno, $"map '{Name}'");
    }

    /// <inheritdoc/>
    public void Dispose() => Fd.Dispose();

    private long ElementCommand(BpfCommand command, byte* key, byte* value, ulong flags, out int errno)
    {
        Span<byte> buffer = stackalloc byte[BpfAttr.Size];
        var attr = new BpfAttr(buffer);
        attr.U32(0, (uint)Fd.Value);
        attr.Pointer(8, key);
        attr.Pointer(16, value);
        attr.U64(24, flags);
        return NativeMethods.Bpf(command, attr.Bytes[..32], out errno);
    }

    private void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize) throw new ArgumentException($"map '{Name}' has {KeySize}-byte keys, got {key.Length}", nameof(key));
    }

    private static bool IsPerCpu(MapType type) =>
        type is MapType.PercpuArray or MapType.PercpuHash or MapType.LruPercpuHash or MapType.PercpuCgroupStorage;
}
