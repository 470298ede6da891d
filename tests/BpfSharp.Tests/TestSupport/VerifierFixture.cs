using System.Globalization;
using BpfSharp.Isa;
using BpfSharp.Loader;

namespace BpfSharp.Tests.TestSupport;

/// <summary>A map a fixture declares: <c># map: NAME TYPE KEY_SIZE VALUE_SIZE MAX_ENTRIES [FLAGS]</c>.</summary>
public sealed record VerifierFixtureMap(string Name, MapType Type, uint KeySize, uint ValueSize, uint MaxEntries, uint Flags);

/// <summary>
/// One verifier behaviour fixture (<c>tests/BpfSharp.Tests/Verifier/Fixtures/TOPIC/NAME.bpf</c>): a small program,
/// its program type, license and maps, and what the Linux 6.18 verifier decides about it. The format is described
/// in the Fixtures folder's README.md.
/// </summary>
/// <param name="Name">The path relative to the Fixtures folder without the extension, e.g. <c>cfg/unreachable_insn</c>.</param>
/// <param name="Path">The file's full path.</param>
/// <param name="Description">The first header line: what the case checks and why it matters.</param>
/// <param name="ProgramType">The program type (default socket_filter).</param>
/// <param name="AttachType">The expected attach type, or null when none is given.</param>
/// <param name="License">The license string (default GPL).</param>
/// <param name="Maps">The maps, in index order (the order they are declared).</param>
/// <param name="ExpectAccept">True when the verifier accepts the program.</param>
/// <param name="Error">For a rejected program, the kernel's error line as <c>VerifierLogParser.ErrorMessage</c> extracts it.</param>
/// <param name="Insns">The "processed N insns" count, when pinned.</param>
/// <param name="States">The total_states count, when pinned.</param>
/// <param name="Instructions">The assembled program; maps are referenced by index (MapIdx / MapIdxValue).</param>
public sealed record VerifierFixture(
    string Name,
    string Path,
    string Description,
    ProgramType ProgramType,
    AttachType? AttachType,
    string License,
    IReadOnlyList<VerifierFixtureMap> Maps,
    bool ExpectAccept,
    string? Error,
    long? Insns,
    long? States,
    Instruction[] Instructions)
{
    /// <summary>The map names in index order, as <see cref="MapSymbols"/> takes them.</summary>
    public IReadOnlyList<string> MapNames => [.. Maps.Select(m => m.Name)];

    /// <summary>The topic: the folder the fixture is in.</summary>
    public string Topic => Name.Contains('/') ? Name[..Name.IndexOf('/')] : "";

    /// <summary>The separator between the header and the program.</summary>
    public const string Separator = "---";

    /// <summary>Reads the fixture at <paramref name="path"/>; <paramref name="name"/> defaults to the file name without extension.</summary>
    /// <exception cref="FormatException">The fixture is malformed; the message names the file and the line.</exception>
    public static VerifierFixture Load(string path, string? name = null) =>
        Parse(File.ReadAllText(path), name ?? System.IO.Path.GetFileNameWithoutExtension(path), path);

    /// <summary>Parses fixture <paramref name="text"/>.</summary>
    /// <exception cref="FormatException">The fixture is malformed; the message names the file and the line.</exception>
    public static VerifierFixture Parse(string text, string name, string path)
    {
        string[] lines = text.Split('\n');
        string? description = null;
        ProgramType programType = ProgramType.SocketFilter;
        AttachType? attachType = null;
        string license = "GPL";
        var maps = new List<VerifierFixtureMap>();
        bool? expectAccept = null;
        string? error = null;
        long? insns = null, states = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int separator = -1;

        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            FormatException Fail(string message) => new($"{path}:{i + 1}: {message}");
            if (line.TrimEnd() == Separator)
            {
                separator = i;
                break;
            }
            if (line.Trim().Length == 0) continue;
            if (!line.StartsWith('#')) throw Fail($"header lines start with '#' (the program follows a '{Separator}' line)");
            string content = line[1..].Trim();
            if (description is null)
            {
                if (content.Length == 0) throw Fail("the first line must say what the case checks");
                description = content;
                continue;
            }

            int colon = content.IndexOf(':');
            if (colon <= 0) throw Fail("expected 'key: value' (prog_type, attach_type, license, map, expect, error, insns, states)");
            string key = content[..colon].Trim();
            // Trailing blanks are dropped, as VerifierLogParser.ErrorMessage drops them from the kernel's line.
            string value = content[(colon + 1)..].Trim();
            if (key != "map" && !seen.Add(key)) throw Fail($"'{key}' is given twice");
            if (value.Length == 0) throw Fail($"'{key}' has no value");
            switch (key)
            {
                case "prog_type":
                    if (!KernelNames.TryParse(value, out ProgramType pt) || !Enum.IsDefined(pt)) throw Fail($"unknown program type '{value}'");
                    programType = pt;
                    break;
                case "attach_type":
                    if (!KernelNames.TryParse(value, out AttachType at) || !Enum.IsDefined(at)) throw Fail($"unknown attach type '{value}'");
                    attachType = at;
                    break;
                case "license":
                    license = value;
                    break;
                case "map":
                    maps.Add(ParseMap(value, maps, Fail));
                    break;
                case "expect":
                    expectAccept = value switch
                    {
                        "accept" => true,
                        "reject" => false,
                        _ => throw Fail($"expect is 'accept' or 'reject', not '{value}'"),
                    };
                    break;
                case "error":
                    error = value;
                    break;
                case "insns":
                    insns = Count(value, key, Fail);
                    break;
                case "states":
                    states = Count(value, key, Fail);
                    break;
                default:
                    throw Fail($"unknown key '{key}' (prog_type, attach_type, license, map, expect, error, insns, states)");
            }
        }

        if (description is null) throw new FormatException($"{path}: the fixture has no description line");
        if (separator < 0) throw new FormatException($"{path}: no '{Separator}' line separates the header from the program");
        if (expectAccept is null) throw new FormatException($"{path}: 'expect: accept' or 'expect: reject' is required");
        if (expectAccept.Value && error is not null) throw new FormatException($"{path}: an accepted program has no error line");
        if (!expectAccept.Value && error is null) throw new FormatException($"{path}: a rejected program needs its 'error:' line");

        // Blank out the header so the assembler's line numbers are the file's.
        string program = string.Concat(Enumerable.Repeat("\n", separator + 1)) + string.Join('\n', lines.Skip(separator + 1));
        Instruction[] instructions;
        try
        {
            instructions = Assembler.Assemble(program, new MapSymbols([.. maps.Select(m => m.Name)]), path);
        }
        catch (BpfFormatException e)
        {
            throw new FormatException($"{path}: the program does not assemble: {e.Message}", e);
        }
        if (instructions.Length == 0) throw new FormatException($"{path}: the program is empty");

        return new VerifierFixture(name, path, description, programType, attachType, license, maps, expectAccept.Value, error,
            insns, states, instructions);
    }

    private static VerifierFixtureMap ParseMap(string value, List<VerifierFixtureMap> maps, Func<string, FormatException> fail)
    {
        string[] f = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length is < 5 or > 6) throw fail("map: NAME TYPE KEY_SIZE VALUE_SIZE MAX_ENTRIES [FLAGS]");
        if (maps.Any(m => m.Name == f[0])) throw fail($"map '{f[0]}' is declared twice");
        if (!KernelNames.TryParse(f[1], out MapType type) || !Enum.IsDefined(type)) throw fail($"unknown map type '{f[1]}'");
        uint Number(string s, string what) =>
            (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? uint.TryParse(s[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint h) ? h : (uint?)null
                : uint.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out uint d) ? d : null)
            ?? throw fail($"map {what} '{s}' is not a number");
        return new VerifierFixtureMap(f[0], type, Number(f[2], "key size"), Number(f[3], "value size"), Number(f[4], "max entries"),
            f.Length > 5 ? Number(f[5], "flags") : 0);
    }

    private static long Count(string value, string key, Func<string, FormatException> fail) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : throw fail($"{key} is a count, not '{value}'");

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>Finds the fixture files of the repository.</summary>
public static class VerifierFixtures
{
    /// <summary>The Fixtures folder, relative to the repository root.</summary>
    public const string RelativeDirectory = "tests/BpfSharp.Tests/Verifier/Fixtures";

    /// <summary>The Fixtures folder.</summary>
    public static string Directory => TestObjects.InRepository(RelativeDirectory);

    /// <summary>The names (<c>topic/name</c>) of all fixture files, sorted.</summary>
    public static IReadOnlyList<string> Names() =>
        [.. System.IO.Directory.EnumerateFiles(Directory, "*.bpf", SearchOption.AllDirectories)
            .Select(p => System.IO.Path.GetRelativePath(Directory, p).Replace('\\', '/')[..^".bpf".Length])
            .Order(StringComparer.Ordinal)];

    /// <summary>Reads the fixture named <paramref name="name"/> (<c>topic/name</c>).</summary>
    public static VerifierFixture Load(string name) => VerifierFixture.Load(System.IO.Path.Combine(Directory, name + ".bpf"), name);

    /// <summary>Reads every fixture.</summary>
    public static IEnumerable<VerifierFixture> All() => Names().Select(Load);
}
