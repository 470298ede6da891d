using System.Globalization;
using BpfSharp.Stats;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// What the reference kernel said about one corpus program, as recorded in corpus-kernel-verdicts.tsv so the
/// agreement tests run on machines where bpf() is not permitted.
/// </summary>
internal sealed record CorpusKernelVerdict(string Path, string Program, Verdict Verdict, long? Insns, long? States, long? PeakStates, string Message)
{
    public const string FileName = "tests/BpfSharp.Tests/Verifier/corpus-kernel-verdicts.tsv";

    public string Key => Path + "/" + Program;

    public string ToLine() => string.Join('\t', Path, Program, VerdictNames.ToText(Verdict),
        Num(Insns), Num(States), Num(PeakStates), Message.Replace('\t', ' ').Replace('\n', ' '));

    private static string Num(long? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "-";

    public static CorpusKernelVerdict Parse(string line, int lineNo)
    {
        var f = line.Split('\t');
        if (f.Length != 7) throw new FormatException($"{FileName}:{lineNo}: expected 7 tab-separated fields, got {f.Length}");
        return new CorpusKernelVerdict(f[0], f[1], VerdictNames.TryParse(f[2], out var verdict) ? verdict : throw new FormatException($"{FileName}:{lineNo}: unknown verdict {f[2]}"), N(f[3]), N(f[4]), N(f[5]), f[6]);
        static long? N(string s) => s == "-" ? null : long.Parse(s, CultureInfo.InvariantCulture);
    }

    /// <summary>The kernel release the file was recorded on (its first line, "# kernel RELEASE").</summary>
    public static string RecordedKernel(string[] lines) =>
        lines.Length > 0 && lines[0].StartsWith("# kernel ", StringComparison.Ordinal) ? lines[0]["# kernel ".Length..].Trim() : "";

    public static Dictionary<string, CorpusKernelVerdict> Load(out string kernel) => Load(FileName, out kernel);

    /// <summary>Reads a file of recorded answers in this format, by its path relative to the repository root.</summary>
    public static Dictionary<string, CorpusKernelVerdict> Load(string fileName, out string kernel)
    {
        var lines = File.ReadAllLines(TestSupport.TestObjects.InRepository(fileName));
        kernel = RecordedKernel(lines);
        var map = new Dictionary<string, CorpusKernelVerdict>(StringComparer.Ordinal);
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0 || lines[i][0] == '#') continue;
            var v = Parse(lines[i], i + 1);
            map[v.Key] = v;
        }
        return map;
    }
}
