using System.Buffers.Binary;
using BpfSharp.Loader;

namespace BpfSharp.Runtime.Maps;

/// <summary>
/// BPF_MAP_TYPE_TASK_STORAGE, SK_STORAGE, INODE_STORAGE and CGRP_STORAGE, emulated with an opaque 64-bit owner id
/// standing for the task, socket, inode or cgroup. Programs use <see cref="TryGet"/> (bpf_*_storage_get, with
/// BPF_LOCAL_STORAGE_GET_F_CREATE) and <see cref="Remove"/> (bpf_*_storage_delete). User space addresses an owner
/// through the 4-byte key (where the kernel takes a descriptor), read as a u32 owner id. Each owner's value is its
/// own array, so it stays valid for a holder after deletion.
/// </summary>
public sealed class LocalStorageMap : BpfMap
{
    private readonly Dictionary<ulong, byte[]> _values = [];

    /// <summary>Creates the map; sizes are assumed valid (see <see cref="BpfMapFactory"/>).</summary>
    public LocalStorageMap(MapSpec spec) : base(spec)
    {
        if (spec.Type is not (MapType.TaskStorage or MapType.SkStorage or MapType.InodeStorage or MapType.CgrpStorage))
            throw new ArgumentException($"not a local storage map: {spec.Type}", nameof(spec));
    }

    /// <summary>The number of owners with storage.</summary>
    public int Count => _values.Count;

    /// <summary>
    /// bpf_*_storage_get: the owner's storage; with BPF_LOCAL_STORAGE_GET_F_CREATE a missing one is created from
    /// <paramref name="initial"/> (zeroes when empty). False (the helper's NULL) when absent without the flag, or
    /// for unknown flags.
    /// </summary>
    public bool TryGet(ulong owner, ReadOnlySpan<byte> initial, ulong flags, out MemorySlice value)
    {
        value = default;
        if ((flags & ~MapFlags.StorageGetCreate) != 0) return false;
        if (!_values.TryGetValue(owner, out var bytes))
        {
            if ((flags & MapFlags.StorageGetCreate) == 0) return false;
            bytes = new byte[ValueSize];
            if (!initial.IsEmpty) initial[..Math.Min(initial.Length, (int)ValueSize)].CopyTo(bytes);
            _values[owner] = bytes;
        }
        value = MemorySlice.Of(bytes);
        return true;
    }

    /// <summary>bpf_*_storage_delete: 0, or -ENOENT when the owner has no storage.</summary>
    public int Remove(ulong owner) => _values.Remove(owner) ? 0 : MapErrno.ENOENT;

    /// <summary>The owner's storage by a 4-byte key holding a u32 owner id.</summary>
    public override bool TryLookup(ReadOnlySpan<byte> key, int cpu, out MemorySlice value) =>
        TryGet(Owner(key), [], 0, out value);

    /// <summary>-EOPNOTSUPP: programs use the storage helpers.</summary>
    public override int Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags, int cpu) => MapErrno.EOPNOTSUPP;

    /// <inheritdoc/>
    public override int Delete(ReadOnlySpan<byte> key) => Remove(Owner(key));

    /// <inheritdoc/>
    protected override int LookupElemCore(ReadOnlySpan<byte> key, Span<byte> value, ulong flags)
    {
        if (!_values.TryGetValue(Owner(key), out var bytes)) return MapErrno.ENOENT;
        bytes.CopyTo(value);
        return 0;
    }

    /// <inheritdoc/>
    protected override int UpdateElemCore(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags)
    {
        if ((flags & ~MapFlags.Lock) > MapFlags.Exist) return MapErrno.EINVAL;
        ulong owner = Owner(key);
        bool present = _values.TryGetValue(owner, out var bytes);
        if (present && (flags & MapFlags.NoExist) != 0) return MapErrno.EEXIST;
        if (!present && (flags & MapFlags.Exist) != 0) return MapErrno.ENOENT;
        if (bytes is null || (flags & MapFlags.Lock) == 0) _values[owner] = bytes = new byte[ValueSize];
        value.CopyTo(bytes);
        return 0;
    }

    private static ulong Owner(ReadOnlySpan<byte> key) => BinaryPrimitives.ReadUInt32LittleEndian(key);
}
