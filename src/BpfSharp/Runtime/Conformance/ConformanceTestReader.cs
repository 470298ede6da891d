using System.Globalization;
using BpfSharp.Isa;

namespace BpfSharp.Runtime.Conformance;

/// <summary>
/// Reads the conformance suite's <c>.data</c> format: sections introduced by <c>-- NAME</c> lines (<c>asm</c>,
/// <c>raw</c>, <c>mem</c>, <c>result</c>, <c>error</c>; others such as <c>c</c> are ignored) and <c>#</c> comment lines.
/// </summary>
public static class ConformanceTestReader
{
    /// <summary>Reads a test file.</summary>
    public static ConformanceTest ReadFile(string path) => Parse(File.ReadAllText(path), Path.GetFileName(path));

    /// <summary>Parses the text of a test; a malformed test is a <see cref="FormatException"/> naming it.</summary>
    public static ConformanceTest Parse(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sections = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        foreach (var rawLine in text.Split('\n'))
        {
            string line = rawLine.TrimEnd('\r');
            if (line.StartsWith("-- ", StringComparison.Ordinal))
            {
                string section = line[3..].Trim();
                if (!sections.TryGetValue(section, out current)) sections[section] = current = new List<string>();
                continue;
            }
            // Comment lines are dropped everywhere except in C source, which is ignored anyway.
            if (current is null || line.TrimStart().StartsWith('#')) continue;
            current.Add(line);
        }

        Instruction[] program;
        try
        {
            if (sections.TryGetValue("asm", out var asm)) program = ConformanceAssembler.Assemble(string.Join('\n', asm));
            else if (sections.TryGetValue("raw", out var raw)) program = ParseRaw(raw);
            else program = [];
        }
        catch (FormatException e)
        {
            throw new FormatException($"{name}: {e.Message}", e);
        }

        byte[] memory = sections.TryGetValue("mem", out var mem) ? ParseHexBytes(string.Join(' ', mem), name) : [];
        ulong? result = null;
        if (sections.TryGetValue("result", out var res) && res.FirstOrDefault(l => l.Trim().Length > 0) is { } value)
            result = ParseNumber(value.Trim(), name);
        string? error = sections.TryGetValue("error", out var err) ? err.LastOrDefault(l => l.Trim().Length > 0)?.Trim() : null;
        return new ConformanceTest(name, program, memory, result, error);
    }

    /// <summary>Bytes written as hex pairs separated by white space (<c>00 01 ff</c>).</summary>
    public static byte[] ParseHexBytes(string text, string name = "input")
    {
        var tokens = text.Split([' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);
        var bytes = new byte[tokens.Length];
        for (int i = 0; i < tokens.Length; i++)
            if (tokens[i].Length > 2 || !byte.TryParse(tokens[i], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out bytes[i]))
                throw new FormatException($"{name}: '{tokens[i]}' is not a hex byte");
        return bytes;
    }

    private static Instruction[] ParseRaw(List<string> lines)
    {
        var bytes = new List<byte>();
        foreach (var line in lines)
        {
            string t = line.Trim();
            if (t.Length == 0) continue;
            ulong word = ParseNumber(t, "raw");
            for (int b = 0; b < 8; b++) bytes.Add((byte)(word >> (8 * b)));
        }
        return Instruction.ReadAll(bytes.ToArray());
    }

    private static ulong ParseNumber(string text, string name)
    {
        bool ok = text.Contains("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(text.Replace("0x", "", StringComparison.OrdinalIgnoreCase), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong value)
            : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        return ok ? value : throw new FormatException($"{name}: '{text}' is not a number");
    }
}
