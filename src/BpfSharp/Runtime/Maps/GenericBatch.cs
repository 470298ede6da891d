namespace BpfSharp.Runtime.Maps;

/// <summary>
/// The kernel's generic batch operations (used by arrays, and for update/delete by hash maps): built on
/// get-next-key and single-element operations, with the last key as the batch token.
/// </summary>
internal static class GenericBatch
{
    // Only elem_flags are checked: the kernel's generic batches ignore batch.flags (checked against Linux 6.18).
    public static int CheckFlags(BpfMap map, ulong elemFlags, ulong flags)
    {
        _ = flags;
        if ((elemFlags & ~MapFlags.Lock) != 0) return MapErrno.EINVAL;
        if ((elemFlags & MapFlags.Lock) != 0 && !map.ValuesHaveSpinLock) return MapErrno.EINVAL;
        return 0;
    }

    public static int Lookup(BpfMap map, ReadOnlySpan<byte> inBatch, Span<byte> outBatch, Span<byte> keys, Span<byte> values,
        ref uint count, ulong elemFlags, ulong flags)
    {
        if (CheckFlags(map, elemFlags, flags) is not 0 and int bad) return bad;
        uint max = count;
        if (max == 0) return 0;
        count = 0;
        int keySize = (int)map.KeySize, valueSize = map.SyscallValueSize;
        byte[] previous = inBatch.ToArray(), key = new byte[keySize];
        bool hasPrevious = !inBatch.IsEmpty;
        uint copied = 0;
        int err = 0;
        while (copied < max)
        {
            err = map.GetNextKey(hasPrevious ? previous : [], key);
            if (err != 0) break;
            err = map.LookupElem(key, values.Slice((int)copied * valueSize, valueSize), elemFlags);
            if (err == 0)
            {
                key.CopyTo(keys[((int)copied * keySize)..]);
                copied++;
            }
            else if (err != MapErrno.ENOENT) return err; // the kernel gives up without reporting a count
            (previous, key) = (key, previous.Length == keySize ? previous : new byte[keySize]);
            hasPrevious = true;
        }
        count = copied;
        if (copied > 0) previous.CopyTo(outBatch);
        return err;
    }

    public static int Update(BpfMap map, ReadOnlySpan<byte> keys, ReadOnlySpan<byte> values, ref uint count, ulong elemFlags, ulong flags)
    {
        if (CheckFlags(map, elemFlags, flags) is not 0 and int bad) return bad;
        uint max = count;
        int keySize = (int)map.KeySize, valueSize = map.SyscallValueSize, err = 0;
        uint done = 0;
        for (; done < max; done++)
        {
            err = map.UpdateElem(keys.Slice((int)done * keySize, keySize), values.Slice((int)done * valueSize, valueSize), elemFlags);
            if (err != 0) break;
        }
        count = done;
        return err;
    }

    public static int Delete(BpfMap map, ReadOnlySpan<byte> keys, ref uint count, ulong elemFlags, ulong flags)
    {
        if (CheckFlags(map, elemFlags, flags) is not 0 and int bad) return bad;
        uint max = count;
        int keySize = (int)map.KeySize, err = 0;
        uint done = 0;
        for (; done < max; done++)
        {
            err = map.DeleteElem(keys.Slice((int)done * keySize, keySize));
            if (err != 0) break;
        }
        count = done;
        return err;
    }
}
