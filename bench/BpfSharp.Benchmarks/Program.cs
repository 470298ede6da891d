using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/BpfSharp.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(BpfSharp.Benchmarks.LoaderBenchmarks).Assembly).Run(args);
