using BenchmarkDotNet.Running;

// Pass BenchmarkDotNet's own arguments, e.g. --filter '*' --job short.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
