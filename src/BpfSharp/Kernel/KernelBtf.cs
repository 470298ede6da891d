using System.Text;

namespace BpfSharp.Kernel;

/// <summary>BPF_BTF_LOAD: hands a BTF blob to the kernel (needed for func/line info, CO-RE and BTF-typed maps).</summary>
public static unsafe class KernelBtf
{
    /// <summary>Loads <paramref name="data"/>; on failure the exception carries the kernel's BTF log.</summary>
    /// <exception cref="KernelException">The kernel refused the BTF.</exception>
    public static BpfFileDescriptor Load(ReadOnlySpan<byte> data)
    {
        var (fd, errno, _) = LoadOnce(data, logLevel: 0);
        if (fd >= 0) return new BpfFileDescriptor((int)fd);
        var (retry, _, log) = LoadOnce(data, logLevel: 1);
        if (retry >= 0) return new BpfFileDescriptor((int)retry);
        throw new KernelException(BpfCommand.BtfLoad, errno, string.IsNullOrWhiteSpace(log) ? null : log.Trim().Split('\n')[^1]);
    }

    private static (long Fd, int Errno, string Log) LoadOnce(ReadOnlySpan<byte> data, uint logLevel)
    {
        byte[] log = logLevel == 0 ? [] : new byte[1 << 20];
        Span<byte> buffer = stackalloc byte[BpfAttr.Size];
        var attr = new BpfAttr(buffer);
        fixed (byte* pData = data)
        fixed (byte* pLog = log)
        {
            attr.Pointer(0, pData);
            attr.U32(16, (uint)data.Length);
            if (log.Length > 0)
            {
                attr.Pointer(8, pLog);
                attr.U32(20, (uint)log.Length);
                attr.U32(24, logLevel);
            }
            long fd = NativeMethods.Bpf(BpfCommand.BtfLoad, attr.Bytes[..40], out int errno);
            int nul = Array.IndexOf(log, (byte)0);
            return (fd, errno, Encoding.UTF8.GetString(log, 0, nul < 0 ? log.Length : nul));
        }
    }
}
