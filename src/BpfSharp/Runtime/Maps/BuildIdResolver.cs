namespace BpfSharp.Runtime.Maps;

/// <summary>
/// Maps instruction pointers of a live process to (build ID, file offset), as the kernel does for stack trace
/// maps created with BPF_F_STACK_BUILD_ID: the mapping comes from /proc/PID/maps, the build ID from the mapped
/// file's GNU build-ID note, the offset is the mapping's file offset plus the distance from its start.
/// Two independent cache slots, as in the kernel's stack_map_build_id_cache: the last range that resolved and the
/// last range that did not (anonymous memory, a file without a build ID), so a trace alternating between a binary
/// and a build-ID-less region does not re-resolve the binary every frame. A new mapping of the file in the
/// resolved slot reuses its build ID without reparsing. Unresolved frames come back as
/// <see cref="StackBuildIdStatus.Ip"/> entries.
/// </summary>
public sealed class BuildIdResolver
{
    private readonly string _mapsPath;
    private CachedRange _resolved, _unresolved;

    private record struct CachedRange(ulong Start, ulong End, ulong FileOffset, ulong Inode, string? Path, byte[]? BuildId)
    {
        public readonly bool Covers(ulong ip) => End != 0 && ip >= Start && ip < End;
    }

    /// <summary>A resolver for process <paramref name="processId"/>.</summary>
    public BuildIdResolver(int processId)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(processId);
        ProcessId = processId;
        _mapsPath = $"/proc/{processId}/maps";
    }

    /// <summary>A resolver for the calling process.</summary>
    public static BuildIdResolver ForCurrentProcess() => new(Environment.ProcessId);

    /// <summary>The process whose addresses are resolved.</summary>
    public int ProcessId { get; }

    /// <summary>Addresses answered from one of the two cache slots.</summary>
    public long CacheHits { get; private set; }

    /// <summary>Mapping lookups (reads of /proc/PID/maps): cache misses.</summary>
    public long MappingLookups { get; private set; }

    /// <summary>Build-ID notes read from files.</summary>
    public long BuildIdParses { get; private set; }

    /// <summary>Empties both cache slots (the kernel's cache lives for one stack; <see cref="ResolveStack"/> resets it).</summary>
    public void ResetCache() => _resolved = _unresolved = default;

    /// <summary>Resolves a whole stack with a fresh cache, as one bpf_get_stackid/bpf_get_stack call does.</summary>
    public StackBuildId[] ResolveStack(ReadOnlySpan<ulong> ips)
    {
        ResetCache();
        var result = new StackBuildId[ips.Length];
        for (int i = 0; i < ips.Length; i++) result[i] = Resolve(ips[i]);
        return result;
    }

    /// <summary>Resolves one address, using and filling the cache.</summary>
    public StackBuildId Resolve(ulong ip)
    {
        if (_resolved.Covers(ip))
        {
            CacheHits++;
            return Valid(_resolved, ip);
        }
        if (_unresolved.Covers(ip))
        {
            CacheHits++;
            return StackBuildId.FromIp(ip);
        }
        MappingLookups++;
        if (FindMapping(ip) is not { } mapping) return StackBuildId.FromIp(ip);
        if (!mapping.IsFileBacked)
        {
            _unresolved = new CachedRange(mapping.Start, mapping.End, 0, 0, null, null);
            return StackBuildId.FromIp(ip);
        }
        // Another mapping of the file whose build ID is cached: no need to parse it again.
        if (_resolved.End != 0 && _resolved.Inode == mapping.Inode && _resolved.Path == mapping.Path)
        {
            _resolved = _resolved with { Start = mapping.Start, End = mapping.End, FileOffset = mapping.FileOffset };
            return Valid(_resolved, ip);
        }
        BuildIdParses++;
        byte[]? buildId = ElfBuildIdReader.Read(FileOf(mapping));
        if (buildId is null)
        {
            _unresolved = new CachedRange(mapping.Start, mapping.End, 0, 0, null, null);
            return StackBuildId.FromIp(ip);
        }
        var padded = new byte[StackBuildId.BuildIdSize];
        buildId.CopyTo(padded, 0);
        _resolved = new CachedRange(mapping.Start, mapping.End, mapping.FileOffset, mapping.Inode, mapping.Path, padded);
        return Valid(_resolved, ip);
    }

    /// <summary>The process's current mappings.</summary>
    public IReadOnlyList<ProcessMapping> ReadMappings()
    {
        var result = new List<ProcessMapping>();
        try
        {
            foreach (var line in File.ReadLines(_mapsPath))
                if (ProcessMapping.Parse(line) is { } mapping) result.Add(mapping);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A process that is gone or hidden has no mappings: every address stays unresolved.
        }
        return result;
    }

    private ProcessMapping? FindMapping(ulong ip)
    {
        foreach (var mapping in ReadMappings())
            if (ip >= mapping.Start && ip < mapping.End) return mapping;
        return null;
    }

    // Another process's file is read through its map_files link when the path is not reachable from here.
    private string FileOf(ProcessMapping mapping) =>
        ProcessId == Environment.ProcessId || File.Exists(mapping.Path) ? mapping.Path : $"/proc/{ProcessId}/map_files/{mapping.Start:x}-{mapping.End:x}";

    private static StackBuildId Valid(in CachedRange range, ulong ip) =>
        new(StackBuildIdStatus.Valid, range.BuildId, range.FileOffset + (ip - range.Start));
}
