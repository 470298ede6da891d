using System.Globalization;
using BpfSharp.Isa;
using BpfSharp.Loader;

namespace BpfSharp.Kernel;

/// <summary>
/// Finds out whether bpf(2) is permitted here by loading the smallest program there is (a socket filter
/// returning 0), and when it is not, why: not Linux, no bpf(2), not root and no CAP_BPF, a seccomp filter.
/// </summary>
public static class KernelProbe
{
    private static readonly Lazy<KernelAvailability> Cached = new(Probe);

    /// <summary>The probe's answer, computed once per process.</summary>
    public static KernelAvailability Availability => Cached.Value;

    private const int CapSysAdmin = 21, CapBpf = 39;

    private static KernelAvailability Probe()
    {
        if (!OperatingSystem.IsLinux()) return new(false, $"bpf() needs Linux; this is {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        ProgramLoadResult result;
        try
        {
            result = KernelProgram.Load(new ProgramLoadRequest
            {
                Type = ProgramType.SocketFilter,
                Instructions = [new Instruction(0xb7, 0, 0, 0, 0), new Instruction(0x95, 0, 0, 0, 0)],
            });
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or PlatformNotSupportedException)
        {
            return new(false, $"cannot call bpf(): {e.Message}");
        }
        using (result.Program)
        {
            if (result.Succeeded) return new(true, $"bpf() permitted (Linux {Release()})");
        }
        return new(false, Explain(result.Errno));
    }

    private static string Explain(int errno)
    {
        if (errno == Errno.ENOSYS) return "the kernel has no bpf() system call (ENOSYS)";
        if (errno != Errno.EPERM) return $"bpf(BPF_PROG_LOAD) of a trivial program failed: {Errno.Describe(errno)}";
        var status = ReadStatus();
        if (status.TryGetValue("Seccomp", out var seccomp) && seccomp.Trim() == "2")
            return "bpf() is blocked by a seccomp filter (EPERM); containers usually need --privileged or a profile allowing bpf";
        bool root = status.TryGetValue("Uid", out var uid) && uid.Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) == "0";
        ulong caps = status.TryGetValue("CapEff", out var capEff) && ulong.TryParse(capEff.Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong c) ? c : 0;
        bool capable = (caps & (1UL << CapSysAdmin)) != 0 || (caps & (1UL << CapBpf)) != 0;
        if (!root && !capable)
            return "not root and no CAP_BPF or CAP_SYS_ADMIN (EPERM): run as root or grant CAP_BPF";
        return "bpf() returned EPERM although the process looks privileged (a security module or a sandbox may forbid it)";
    }

    private static Dictionary<string, string> ReadStatus()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                int colon = line.IndexOf(':');
                if (colon > 0) result[line[..colon]] = line[(colon + 1)..].Trim();
            }
        }
        catch (IOException)
        {
        }
        return result;
    }

    /// <summary>The running kernel's release (/proc/sys/kernel/osrelease), or "unknown release".</summary>
    public static string Release()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        }
        catch (IOException)
        {
            return "unknown release";
        }
    }
}
