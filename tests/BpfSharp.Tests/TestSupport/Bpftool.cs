using System.Diagnostics;

namespace BpfSharp.Tests.TestSupport;

/// <summary>Runs the system's bpftool, when there is one.</summary>
internal static class Bpftool
{
    public static string? Path { get; } = new[] { "/usr/sbin/bpftool", "/usr/bin/bpftool", "/usr/local/sbin/bpftool" }.FirstOrDefault(File.Exists);

    public static bool BpffsMounted =>
        File.Exists("/proc/mounts") && File.ReadLines("/proc/mounts").Any(l => l.Split(' ') is [_, "/sys/fs/bpf", "bpf", ..]);

    public static (int ExitCode, string Output) Run(params string[] args)
    {
        var start = new ProcessStartInfo(Path!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit(60_000);
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
