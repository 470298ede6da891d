namespace BpfSharp.Kernel;

/// <summary>
/// The number of possible CPUs (/sys/devices/system/cpu/possible): the size of a per-CPU map value buffer and
/// libbpf's default size of a perf event array.
/// </summary>
public static class PossibleCpus
{
    private static readonly Lazy<int> CountValue = new(Read);

    /// <summary>The number of possible CPUs.</summary>
    public static int Count => CountValue.Value;

    /// <summary>Parses a CPU list such as "0-3,5" into a count.</summary>
    public static int Parse(string list)
    {
        int count = 0;
        foreach (var part in list.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var range = part.Split('-');
            int first = int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
            int last = range.Length > 1 ? int.Parse(range[1], System.Globalization.CultureInfo.InvariantCulture) : first;
            count += last - first + 1;
        }
        return Math.Max(count, 1);
    }

    private static int Read()
    {
        try
        {
            return Parse(File.ReadAllText("/sys/devices/system/cpu/possible"));
        }
        catch (IOException)
        {
            return Environment.ProcessorCount;
        }
    }
}
