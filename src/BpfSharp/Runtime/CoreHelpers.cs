using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using BpfSharp.Kernel;
using BpfSharp.Loader;

namespace BpfSharp.Runtime;

/// <summary>
/// The helpers the runtime implements itself: maps through the <see cref="Maps.BpfMap"/> contract, time,
/// randomness, the current task, tail calls, printing, bounded reads, bpf_loop, string conversion and spin locks.
/// Results follow the kernel's conventions (0 or a negative errno in r0).
/// </summary>
public static class CoreHelpers
{
    private const int ERANGE = 34;
    private const int MaxLoops = 1 << 23;
    private const int MaxPrintfArgs = 12;

    /// <summary>Every core helper.</summary>
    public static IReadOnlyList<HelperFunction> All { get; } =
    [
        new(1, "bpf_map_lookup_elem", MapLookup),
        new(2, "bpf_map_update_elem", MapUpdate),
        new(3, "bpf_map_delete_elem", MapDelete),
        new(4, "bpf_probe_read", ProbeRead),
        new(5, "bpf_ktime_get_ns", (x, in a) => x.Options.MonotonicClock?.Invoke() ?? MonotonicNanoseconds()),
        new(6, "bpf_trace_printk", TracePrintk),
        new(7, "bpf_get_prandom_u32", (x, in a) => x.NextRandom()),
        new(8, "bpf_get_smp_processor_id", (x, in a) => (uint)x.Options.Cpu),
        new(12, "bpf_tail_call", TailCall),
        new(14, "bpf_get_current_pid_tgid", (x, in a) => x.Options.PidTgid),
        new(15, "bpf_get_current_uid_gid", (x, in a) => x.Options.UidGid),
        new(16, "bpf_get_current_comm", CurrentComm),
        new(45, "bpf_probe_read_str", ProbeReadString),
        new(93, "bpf_spin_lock", SpinLock),
        new(94, "bpf_spin_unlock", SpinUnlock),
        new(105, "bpf_strtol", (x, in a) => StringToInteger(x, a, signed: true)),
        new(106, "bpf_strtoul", (x, in a) => StringToInteger(x, a, signed: false)),
        new(112, "bpf_probe_read_user", ProbeRead),
        new(113, "bpf_probe_read_kernel", ProbeRead),
        new(114, "bpf_probe_read_user_str", ProbeReadString),
        new(115, "bpf_probe_read_kernel_str", ProbeReadString),
        new(125, "bpf_ktime_get_boot_ns", (x, in a) => x.Options.BootClock?.Invoke() ?? MonotonicNanoseconds()),
        new(165, "bpf_snprintf", Snprintf),
        new(181, "bpf_loop", Loop),
    ];

    private static ulong MonotonicNanoseconds() => (ulong)(Stopwatch.GetTimestamp() * (1_000_000_000.0 / Stopwatch.Frequency));

    private static ulong MapLookup(BpfExecution x, in HelperArguments a)
    {
        var map = x.MapArgument(a.R1, a.InstructionIndex);
        var key = x.Memory.GetSpan(a.R2, (int)map.KeySize, false, a.InstructionIndex);
        if (!map.TryLookup(key, x.Options.Cpu, out var value)) return 0;
        return x.Memory.Map(value, MemoryRegionKind.MapValue, map.ValueRegionName, (map.Flags & MapSpec.FlagReadOnlyProgram) == 0);
    }

    private static ulong MapUpdate(BpfExecution x, in HelperArguments a)
    {
        var map = x.MapArgument(a.R1, a.InstructionIndex);
        var key = x.Memory.GetSpan(a.R2, (int)map.KeySize, false, a.InstructionIndex);
        var value = x.Memory.GetSpan(a.R3, (int)map.ValueSize, false, a.InstructionIndex);
        return (ulong)(long)map.Update(key, value, a.R4, x.Options.Cpu);
    }

    private static ulong MapDelete(BpfExecution x, in HelperArguments a)
    {
        var map = x.MapArgument(a.R1, a.InstructionIndex);
        var key = x.Memory.GetSpan(a.R2, (int)map.KeySize, false, a.InstructionIndex);
        return (ulong)(long)map.Delete(key);
    }

    private static ulong TailCall(BpfExecution x, in HelperArguments a)
    {
        var map = x.MapArgument(a.R2, a.InstructionIndex, "R2");
        if (map.Type != MapType.ProgArray)
            throw new BpfRuntimeException(a.InstructionIndex, $"bpf_tail_call needs a prog array, map {map.Name} is {KernelNames.Of(map.Type)}");
        uint index = (uint)a.R3;
        // Like the kernel: an index out of range, an empty slot or the tail-call limit make the call fall through.
        if (index >= map.MaxEntries || x.TailCalls >= x.Options.MaxTailCalls) return HelperReturn.Errno(Errno.ENOENT);
        Span<byte> key = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(key, index);
        switch (map.LookupObject(key))
        {
            case null:
                return HelperReturn.Errno(Errno.ENOENT);
            case RuntimeProgram program:
                x.TailCalls++;
                x.RequestTailCall(program);
                return 0;
            case var other:
                throw new BpfRuntimeException(a.InstructionIndex, $"prog array {map.Name} holds a {other.GetType().Name} at {index}, not a RuntimeProgram");
        }
    }

    private static ulong CurrentComm(BpfExecution x, in HelperArguments a)
    {
        int size = (int)Math.Min((uint)a.R2, int.MaxValue);
        var buffer = x.Memory.GetSpan(a.R1, size, true, a.InstructionIndex);
        if (size == 0) return HelperReturn.Errno(Errno.EINVAL);
        buffer.Clear();
        var comm = Encoding.Latin1.GetBytes(x.Options.Comm);
        comm.AsSpan(0, Math.Min(comm.Length, Math.Min(15, size - 1))).CopyTo(buffer);
        return 0;
    }

    private static ulong ProbeRead(BpfExecution x, in HelperArguments a)
    {
        int size = (int)Math.Min((uint)a.R2, int.MaxValue);
        var destination = x.Memory.GetSpan(a.R1, size, true, a.InstructionIndex);
        // Only memory the program was given can be read; anything else is the kernel's fault path.
        if (!x.Memory.TryGetSpan(a.R3, size, false, out var source))
        {
            destination.Clear();
            return HelperReturn.Errno(Errno.EFAULT);
        }
        source.CopyTo(destination);
        return 0;
    }

    private static ulong ProbeReadString(BpfExecution x, in HelperArguments a)
    {
        int size = (int)Math.Min((uint)a.R2, int.MaxValue);
        var destination = x.Memory.GetSpan(a.R1, size, true, a.InstructionIndex);
        if (size == 0) return 0;
        int region = x.Memory.FindRegion(a.R3);
        if (region >= 0)
        {
            var r = x.Memory[region];
            int offset = (int)(uint)a.R3;
            var available = r.Array.AsSpan(r.Offset + offset, Math.Min(r.Length - offset, size - 1));
            int nul = available.IndexOf((byte)0);
            int length = nul >= 0 ? nul : available.Length;
            // Without a NUL before the region ends (and before the buffer is full) the string runs into memory the
            // program was not given: that is a fault.
            if (nul >= 0 || length == size - 1)
            {
                available[..length].CopyTo(destination);
                destination[length] = 0;
                return (ulong)(length + 1);
            }
        }
        destination.Clear();
        return HelperReturn.Errno(Errno.EFAULT);
    }

    private static ulong TracePrintk(BpfExecution x, in HelperArguments a)
    {
        int size = (int)Math.Min((uint)a.R2, int.MaxValue);
        var format = x.Memory.GetSpan(a.R1, size, false, a.InstructionIndex);
        if (size == 0 || format[^1] != 0) return HelperReturn.Errno(Errno.EINVAL);
        int end = format.IndexOf((byte)0);
        ReadOnlySpan<ulong> args = [a.R3, a.R4, a.R5];
        var text = BpfFormatter.Format(x.Memory, format[..end], args);
        if (text is null) return HelperReturn.Errno(Errno.EINVAL);
        x.WriteTrace(text.EndsWith('\n') ? text[..^1] : text);
        return (ulong)text.Length;
    }

    private static ulong Snprintf(BpfExecution x, in HelperArguments a)
    {
        int dataLength = (int)Math.Min((uint)a.R5, int.MaxValue);
        if (dataLength % 8 != 0 || dataLength > MaxPrintfArgs * 8) return HelperReturn.Errno(Errno.EINVAL);
        var data = x.Memory.GetSpan(a.R4, dataLength, false, a.InstructionIndex);
        var args = new ulong[dataLength / 8];
        for (int i = 0; i < args.Length; i++) args[i] = BinaryPrimitives.ReadUInt64LittleEndian(data[(i * 8)..]);
        int fmtRegion = x.Memory.FindRegion(a.R3);
        if (fmtRegion < 0) return HelperReturn.Errno(Errno.EINVAL);
        var r = x.Memory[fmtRegion];
        var fmtBytes = r.Array.AsSpan(r.Offset + (int)(uint)a.R3, r.Length - (int)(uint)a.R3);
        int nul = fmtBytes.IndexOf((byte)0);
        if (nul < 0) return HelperReturn.Errno(Errno.EINVAL);
        var text = BpfFormatter.Format(x.Memory, fmtBytes[..nul], args);
        if (text is null) return HelperReturn.Errno(Errno.EINVAL);
        int size = (int)Math.Min((uint)a.R2, int.MaxValue);
        var output = x.Memory.GetSpan(a.R1, size, true, a.InstructionIndex);
        if (size > 0)
        {
            var bytes = Encoding.Latin1.GetBytes(text);
            int n = Math.Min(bytes.Length, size - 1);
            bytes.AsSpan(0, n).CopyTo(output);
            output[n] = 0;
        }
        return (ulong)(text.Length + 1);
    }

    private static ulong Loop(BpfExecution x, in HelperArguments a)
    {
        if (a.R4 != 0) return HelperReturn.Errno(Errno.EINVAL);
        uint count = (uint)a.R1;
        if (count > MaxLoops) return HelperReturn.Errno(Errno.E2BIG);
        for (uint i = 0; i < count; i++)
        {
            // The callback returns 0 to go on and 1 to stop.
            if (x.CallFunction(a.R2, a.InstructionIndex, i, a.R3) != 0) return i + 1;
        }
        return count;
    }

    private static ulong SpinLock(BpfExecution x, in HelperArguments a)
    {
        var word = x.Memory.GetSpan(a.R1, 4, true, a.InstructionIndex);
        x.Lock(a.R1, a.InstructionIndex);
        BinaryPrimitives.WriteUInt32LittleEndian(word, 1);
        return 0;
    }

    private static ulong SpinUnlock(BpfExecution x, in HelperArguments a)
    {
        var word = x.Memory.GetSpan(a.R1, 4, true, a.InstructionIndex);
        x.Unlock(a.R1, a.InstructionIndex);
        BinaryPrimitives.WriteUInt32LittleEndian(word, 0);
        return 0;
    }

    private static ulong StringToInteger(BpfExecution x, in HelperArguments a, bool signed)
    {
        int length = (int)Math.Min((uint)a.R2, int.MaxValue);
        ulong flags = a.R3;
        if (length == 0 || (flags & ~0x1fUL) != 0) return HelperReturn.Errno(Errno.EINVAL);
        int radix = (int)flags;
        if (radix is not (0 or 8 or 10 or 16)) return HelperReturn.Errno(Errno.EINVAL);
        var text = x.Memory.GetSpan(a.R1, length, false, a.InstructionIndex);
        int i = 0;
        while (i < text.Length && text[i] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r') i++;
        bool negative = false;
        if (i < text.Length && text[i] == '-')
        {
            if (!signed) return HelperReturn.Errno(Errno.EINVAL);
            negative = true;
            i++;
        }
        bool hexPrefix = i + 2 < text.Length + 1 && i + 1 < text.Length && text[i] == '0' && (text[i + 1] | 0x20) == 'x'
            && i + 2 < text.Length && Digit(text[i + 2]) is >= 0 and < 16;
        if (radix == 0) radix = hexPrefix ? 16 : i < text.Length && text[i] == '0' ? 8 : 10;
        if (radix == 16 && hexPrefix) i += 2;
        int start = i;
        ulong value = 0;
        bool overflow = false;
        for (; i < text.Length; i++)
        {
            int digit = Digit(text[i]);
            if (digit < 0 || digit >= radix) break;
            if (value > (ulong.MaxValue - (ulong)digit) / (ulong)radix) overflow = true;
            value = unchecked(value * (ulong)radix + (ulong)digit);
        }
        if (i == start) return HelperReturn.Errno(Errno.EINVAL);
        if (overflow) return HelperReturn.Errno(ERANGE);
        ulong result;
        if (signed)
        {
            if (negative ? value > 1UL << 63 : value > long.MaxValue) return HelperReturn.Errno(ERANGE);
            result = negative ? 0 - value : value;
        }
        else
        {
            result = value;
        }
        x.Memory.Store(a.R4, 8, result, a.InstructionIndex);
        return (ulong)i;
    }

    private static int Digit(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };
}
