using System.Runtime.InteropServices;

namespace BpfSharp.Kernel;

/// <summary>The libc entry points the kernel bridge needs: syscall(2) for bpf and gettid, and close(2).</summary>
internal static unsafe partial class NativeMethods
{
    private const string Libc = "libc.so.6";

    [LibraryImport(Libc, EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall3(long number, long arg1, void* arg2, long arg3);

    [LibraryImport(Libc, EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall0(long number);

    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    /// <summary>bpf(2): returns the result, or -1 with the errno in <paramref name="errno"/>.</summary>
    public static long Bpf(BpfCommand command, Span<byte> attr, out int errno)
    {
        fixed (byte* p = attr)
        {
            long result = Syscall3(BpfSyscallNumber, (long)command, p, attr.Length);
            errno = result < 0 ? Marshal.GetLastPInvokeError() : 0;
            return result;
        }
    }

    /// <summary>The calling thread's kernel thread id (what cgroup v1 'tasks' files take).</summary>
    public static int GetThreadId() => (int)Syscall0(GetTidSyscallNumber);

    // Syscall numbers differ per architecture (arch/*/entry/syscalls).
    private static long BpfSyscallNumber => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 321,
        Architecture.Arm64 => 280,
        Architecture.X86 => 357,
        Architecture.Arm => 386,
        _ => throw new PlatformNotSupportedException($"bpf(2) syscall number unknown for {RuntimeInformation.ProcessArchitecture}"),
    };

    private static long GetTidSyscallNumber => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 186,
        Architecture.Arm64 => 178,
        Architecture.X86 => 224,
        Architecture.Arm => 224,
        _ => throw new PlatformNotSupportedException($"gettid syscall number unknown for {RuntimeInformation.ProcessArchitecture}"),
    };
}
