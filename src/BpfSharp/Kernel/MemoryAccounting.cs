using System.Globalization;

namespace BpfSharp.Kernel;

/// <summary>
/// Measures the kernel memory charged while an action runs (the verifier's memory during BPF_PROG_LOAD), from a
/// dedicated child memory cgroup: cgroup v2's memory.peak (reset through its file descriptor, Linux 6.12+), or
/// on cgroup v1 hosts memory.kmem.max_usage_in_bytes, reset before each measurement. On v1 only the measuring
/// thread moves into the child cgroup; on v2 the whole process does (v2 groups threads by process).
/// </summary>
public sealed class MemoryAccounting : IDisposable
{
    private readonly string _child;
    private readonly string _parent;
    private readonly bool _v2;
    private readonly object _gate = new();

    private MemoryAccounting(string parent, string child, bool v2)
    {
        _parent = parent;
        _child = child;
        _v2 = v2;
    }

    /// <summary>How memory is measured ("cgroup v1 memory.kmem.max_usage_in_bytes in ...").</summary>
    public string Description => _v2 ? $"cgroup v2 memory.peak of {_child}" : $"cgroup v1 memory.kmem.max_usage_in_bytes of {_child}";

    /// <summary>Sets up a child cgroup, or returns null with the reason memory cannot be measured here.</summary>
    public static MemoryAccounting? TryCreate(out string reason)
    {
        try
        {
            var mounts = File.ReadAllLines("/proc/self/mountinfo");
            var groups = File.ReadAllLines("/proc/self/cgroup");
            string name = $"bpfsharp-{Environment.ProcessId}";

            // cgroup v2 with the memory controller available to our group.
            string? v2Mount = mounts.Select(ParseMount).FirstOrDefault(m => m.Type == "cgroup2").Point;
            string? v2Path = groups.FirstOrDefault(l => l.StartsWith("0::", StringComparison.Ordinal))?[3..];
            if (v2Mount is not null && v2Path is not null)
            {
                string parent = Combine(v2Mount, v2Path);
                if (File.Exists(Path.Combine(parent, "cgroup.controllers")) &&
                    File.ReadAllText(Path.Combine(parent, "cgroup.controllers")).Split(' ', '\n').Contains("memory"))
                {
                    string child = Path.Combine(parent, name);
                    Directory.CreateDirectory(child);
                    if (File.Exists(Path.Combine(child, "memory.peak")))
                    {
                        reason = "";
                        return new MemoryAccounting(parent, child, v2: true);
                    }
                    TryRemove(child);
                }
            }

            // cgroup v1 memory hierarchy with kernel memory accounting files.
            var v1 = mounts.Select(ParseMount).FirstOrDefault(m => m.Type == "cgroup" && m.Options.Split(',').Contains("memory"));
            string? v1Path = groups.Select(l => l.Split(':', 3)).FirstOrDefault(f => f.Length == 3 && f[1].Split(',').Contains("memory"))?[2];
            if (v1.Point is not null && v1Path is not null)
            {
                string parent = Combine(v1.Point, v1Path);
                string child = Path.Combine(parent, name);
                Directory.CreateDirectory(child);
                if (File.Exists(Path.Combine(child, "memory.kmem.max_usage_in_bytes")))
                {
                    reason = "";
                    return new MemoryAccounting(parent, child, v2: false);
                }
                TryRemove(child);
                reason = "cgroup v1 memory controller without kernel memory accounting (memory.kmem.*)";
                return null;
            }
            reason = "no cgroup v2 memory controller available to this process and no cgroup v1 memory hierarchy";
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reason = $"cannot set up a memory cgroup: {e.Message}";
            return null;
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> on the calling thread inside the child cgroup and returns the peak memory
    /// charged above the starting usage, in bytes (null when the cgroup files could not be used).
    /// </summary>
    public long? Measure(Action action)
    {
        lock (_gate)
        {
            return _v2 ? MeasureV2(action) : MeasureV1(action);
        }
    }

    private long? MeasureV1(Action action)
    {
        string tid = NativeMethods.GetThreadId().ToString(CultureInfo.InvariantCulture);
        bool moved = false;
        try
        {
            File.WriteAllText(Path.Combine(_child, "tasks"), tid);
            moved = true;
            File.WriteAllText(Path.Combine(_child, "memory.kmem.max_usage_in_bytes"), "0");
            long before = ReadLong(Path.Combine(_child, "memory.kmem.usage_in_bytes"));
            action();
            long peak = ReadLong(Path.Combine(_child, "memory.kmem.max_usage_in_bytes"));
            return Math.Max(0, peak - before);
        }
        catch (IOException) when (!moved)
        {
            action();
            return null;
        }
        finally
        {
            if (moved) TryWrite(Path.Combine(_parent, "tasks"), tid);
        }
    }

    private long? MeasureV2(Action action)
    {
        string pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        bool moved = false;
        try
        {
            File.WriteAllText(Path.Combine(_child, "cgroup.procs"), pid);
            moved = true;
            // Writing to memory.peak resets the peak seen through this file descriptor (Linux 6.12+).
            using var peakFile = new FileStream(Path.Combine(_child, "memory.peak"), FileMode.Open, FileAccess.ReadWrite);
            long before = ReadLong(Path.Combine(_child, "memory.current"));
            peakFile.Write("reset\n"u8);
            action();
            peakFile.Position = 0;
            using var reader = new StreamReader(peakFile, leaveOpen: true);
            long peak = long.Parse(reader.ReadToEnd().Trim(), CultureInfo.InvariantCulture);
            return Math.Max(0, peak - before);
        }
        catch (IOException) when (!moved)
        {
            action();
            return null;
        }
        finally
        {
            if (moved) TryWrite(Path.Combine(_parent, "cgroup.procs"), pid);
        }
    }

    /// <summary>Removes the child cgroup.</summary>
    public void Dispose() => TryRemove(_child);

    private static (string? Point, string Type, string Options) ParseMount(string line)
    {
        // mountinfo: id parent major:minor root mount-point options [optional...] - fstype source super-options
        var fields = line.Split(' ');
        int dash = Array.IndexOf(fields, "-");
        if (dash < 0 || fields.Length < dash + 4) return (null, "", "");
        return (fields[4], fields[dash + 1], fields[dash + 3]);
    }

    private static string Combine(string mount, string path) => path == "/" ? mount : mount + path;

    private static long ReadLong(string path) => long.Parse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture);

    private static void TryWrite(string path, string text)
    {
        try
        {
            File.WriteAllText(path, text);
        }
        catch (IOException)
        {
        }
    }

    private static void TryRemove(string directory)
    {
        try
        {
            Directory.Delete(directory);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
