using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;

namespace Quasar.Bench;

// Entry point of the benchmark project. Two modes (see shared BENCH.md):
//   macro [options]  - the macro workloads of BENCH.md (Macro/MacroRunner.cs)
//   anything else    - BenchmarkDotNet micro-benchmarks; all arguments go to BenchmarkSwitcher,
//                      e.g. --filter '*SequenceCodec*' --job short
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "macro")
        {
            return RunMacro(args[1..]);
        }

        return RunMicro(args);
    }

    private static int RunMicro(string[] args)
    {
        IConfig config = DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return 0;
    }

    private static int RunMacro(string[] args) => Macro.MacroRunner.Run(args);
}
