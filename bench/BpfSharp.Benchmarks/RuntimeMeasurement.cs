using System.Diagnostics;
using System.Globalization;

namespace BpfSharp.Benchmarks;

/// <summary>
/// A quick Stopwatch measurement of the runtime workloads, without BenchmarkDotNet (seconds instead of minutes,
/// for profiling and before/after comparisons): per workload, the interpreter's time per run (best of ten rounds),
/// instructions per run, ns per instruction, the kernel's BPF_PROG_TEST_RUN mean on the same input and the ratio.
/// Timings are only ever printed here, never asserted (no unit test may depend on the machine's speed).
/// </summary>
/// <remarks><c>dotnet run -c Release --project bench/BpfSharp.Benchmarks -- --measure [seconds] [workload...]</c></remarks>
public static class RuntimeMeasurement
{
    /// <summary>Runs the measurement with the arguments after <c>--measure</c>; returns the process exit code.</summary>
    public static int Run(IReadOnlyList<string> args)
    {
        double seconds = 1;
        var names = new List<string>();
        foreach (string a in args)
        {
            if (double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out double s)) seconds = s;
            else names.Add(a);
        }
        if (names.Count == 0) names.AddRange(RuntimeWorkload.Names);
        Console.WriteLine($"// kernel: {RuntimeWorkload.JitState()}; interpreter: {(ThreadClock.IsAvailable ? "thread CPU time" : "wall time")}, best of 10 rounds over {seconds:0.#} s per workload, after a warm-up");
        Console.WriteLine($"{"Workload",-16} {"Insns/run",10} {"Interp ns/run",14} {"ns/insn",8} {"Kernel ns/run",14} {"Ratio",9}  Notes");
        int failures = 0;
        foreach (string name in names)
        {
            using var workload = RuntimeWorkload.Create(name);
            double interpreter = TimePerRun(workload, seconds);
            var kernel = workload.KernelNanosecondsPerRun();
            string notes = workload.KernelProblem ?? "";
            if (kernel is { } k && k.ReturnValue != (uint)workload.ReturnValue)
            {
                notes = $"RETURN VALUES DIFFER: kernel {k.ReturnValue}, interpreter {(uint)workload.ReturnValue}";
                failures++;
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-16} {workload.Instructions,10:N0} {interpreter,14:N1} {interpreter / workload.Instructions,8:N2} {Format(kernel?.Nanoseconds),14} {Ratio(interpreter, kernel?.Nanoseconds),9}  {notes}"));
        }
        return failures == 0 ? 0 : 1;
    }

    /// <summary>
    /// Time of one interpreter run: the thread's CPU time where <see cref="ThreadClock"/> is available (else wall
    /// time), the best of ten rounds of about a tenth of <paramref name="seconds"/> each, after a warm-up of a fifth
    /// of that. CPU time and the best round because the machine is shared: other processes only ever add time.
    /// </summary>
    public static double TimePerRun(RuntimeWorkload workload, double seconds)
    {
        // Warm-up: lets tiered JIT promote the dispatch loop (OSR, then tier 1) before anything is timed.
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < seconds / 5) workload.Run();
        double best = double.MaxValue;
        for (int round = 0; round < 10; round++)
        {
            long runs = 0;
            var watch = Stopwatch.StartNew();
            long cpu = ThreadClock.IsAvailable ? ThreadClock.Nanoseconds() : 0;
            // Batches keep the clock reads out of short runs' figures.
            while (watch.Elapsed.TotalSeconds < seconds / 10)
            {
                for (int i = 0; i < 16; i++) workload.Run();
                runs += 16 * RuntimeWorkload.RunsPerCall;
            }
            double elapsed = ThreadClock.IsAvailable ? ThreadClock.Nanoseconds() - cpu : watch.Elapsed.TotalNanoseconds;
            best = Math.Min(best, elapsed / runs);
        }
        return best;
    }

    private static string Format(double? ns) => ns is { } v ? v.ToString("N1", CultureInfo.InvariantCulture) : "-";

    private static string Ratio(double interpreter, double? kernel) =>
        kernel is { } k && k > 0 ? (interpreter / k).ToString("N1", CultureInfo.InvariantCulture) + "x" : "-";
}
