using System.Text.Encodings.Web;
using System.Text.Json;

namespace BpfSharp.Stats;

/// <summary>
/// Writes rows as JSON Lines: one object per row (or per compared program), one per line, as <c>list -o json</c> does,
/// so that output can be streamed and concatenated.
/// </summary>
/// <remarks>
/// <para>A row object has a key per selected field, named as the CSV column (<c>file_name</c>, <c>total_insns</c>...):
/// names, verdicts and types as strings, counts as integers, <c>mem_peak</c> as MiB with up to two decimals, null for
/// a value not reported. Extra keys: <c>file_path</c> (the path as given) beside <c>file_name</c>;
/// <c>duration_min</c> and <c>duration_max</c> beside <c>duration</c> when the program was verified more than once
/// (<c>duration</c> is then the median); <c>mem_peak_bytes</c> beside <c>mem_peak</c>; <c>backend</c> when known;
/// <c>message</c> (the verifier's error, or why it was not verified, or null) for a failure, not_verified or
/// unsupported verdict; <c>errno</c> when the load failed with one.</para>
/// <para>A compared program is <c>{"file_name", "prog_name", "a", "b", "diff"}</c> for <c>-C</c> and
/// <c>{"file_name", "prog_name", "kernel", "bpfsharp", "diff"}</c> for the backend comparison: each side a row object
/// without the name keys (null when absent), and <c>diff</c> the DIFF cells by field name (null for N/A).</para>
/// </remarks>
public static class StatJsonWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes one object per row.</summary>
    public static void WriteRows(Stream stream, IEnumerable<StatRow> rows, IReadOnlyList<StatField> fields) =>
        WriteLines(stream, rows, (json, row) =>
        {
            json.WriteStartObject();
            WriteFields(json, row, fields);
            json.WriteEndObject();
        });

    /// <summary>Writes one object per compared program of <c>-C</c>.</summary>
    public static void WriteComparison(Stream stream, IEnumerable<StatJoinRow> rows, IReadOnlyList<StatField> fields) =>
        WriteJoined(stream, JoinLayout.Comparison, rows, fields);

    /// <summary>Writes one object per program of the backend comparison.</summary>
    public static void WriteBackends(Stream stream, IEnumerable<StatJoinRow> rows, IReadOnlyList<StatField> fields) =>
        WriteJoined(stream, JoinLayout.Backends, rows, fields);

    private static void WriteJoined(Stream stream, JoinLayout layout, IEnumerable<StatJoinRow> rows, IReadOnlyList<StatField> fields)
    {
        var stats = fields.Where(f => !StatFields.Get(f).IsKey).ToArray();
        WriteLines(stream, rows, (json, row) =>
        {
            json.WriteStartObject();
            json.WriteString(StatFields.Get(StatField.FileName).Name, row.FileName);
            json.WriteString(StatFields.Get(StatField.ProgramName).Name, row.ProgramName);
            WriteSide(json, layout.SideKeys[0], row.A, stats);
            WriteSide(json, layout.SideKeys[1], row.B, stats);
            json.WriteStartObject("diff");
            foreach (var field in stats)
            {
                string cell = layout.Diff(row, field);
                if (cell == StatValue.NotAvailable) json.WriteNull(StatFields.Get(field).Name);
                else json.WriteString(StatFields.Get(field).Name, cell);
            }
            json.WriteEndObject();
            json.WriteEndObject();
        });
    }

    private static void WriteSide(Utf8JsonWriter json, string key, StatRow? row, IReadOnlyList<StatField> fields)
    {
        if (row is null)
        {
            json.WriteNull(key);
            return;
        }
        json.WriteStartObject(key);
        WriteFields(json, row, fields);
        json.WriteEndObject();
    }

    private static void WriteFields(Utf8JsonWriter json, StatRow row, IReadOnlyList<StatField> fields)
    {
        foreach (var field in fields)
        {
            string name = StatFields.Get(field).Name;
            WriteValue(json, name, row.GetValue(field));
            if (field == StatField.FileName) json.WriteString("file_path", row.FileName);
            if (field == StatField.Duration && row.Durations.Count > 1)
            {
                WriteValue(json, "duration_min", StatValue.FromNumber(row.DurationMin));
                WriteValue(json, "duration_max", StatValue.FromNumber(row.DurationMax));
            }
            if (field == StatField.MemoryPeak && !row.GetValue(field).IsMissing)
            {
                json.WriteNumber("mem_peak_bytes", row.Result.MemoryPeakBytes!.Value);
            }
        }
        if (row.Backend is not null) json.WriteString("backend", row.Backend);
        bool hasVerdict = !row.GetValue(StatField.Verdict).IsMissing;
        if (hasVerdict && row.Result.Verdict != Verdict.Success) json.WriteString("message", row.Result.Message);
        if (row.Result.Errno is { } errno) json.WriteNumber("errno", errno);
    }

    private static void WriteValue(Utf8JsonWriter json, string name, StatValue value)
    {
        if (value.IsMissing) json.WriteNull(name);
        else if (value.Kind != StatKind.Number) json.WriteString(name, value.Text);
        else if (value.Number is { } n && n == Math.Floor(n) && Math.Abs(n) < 1e15) json.WriteNumber(name, (long)n);
        else json.WriteNumber(name, Math.Round(value.Number!.Value, 2));
    }

    private static void WriteLines<T>(Stream stream, IEnumerable<T> items, Action<Utf8JsonWriter, T> write)
    {
        using var json = new Utf8JsonWriter(stream, Options);
        foreach (var item in items)
        {
            write(json, item);
            json.Flush();
            stream.WriteByte((byte)'\n');
            json.Reset();
        }
    }
}
