using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/BpfSharp.Benchmarks -- --filter '*'
// dotnet run -c Release --project bench/BpfSharp.Benchmarks -- --measure [seconds] [workload...]   (Stopwatch table, no BDN)
if (args.Length > 0 && args[0] == "--measure") return BpfSharp.Benchmarks.RuntimeMeasurement.Run(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(BpfSharp.Benchmarks.LoaderBenchmarks).Assembly).Run(args);
return 0;
