using BenchmarkDotNet.Running;

// Pick benchmarks with --filter, e.g.
//   dotnet run -c Release --project benchmarks/Autograd.Benchmarks -- --filter '*SeedGraph*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
