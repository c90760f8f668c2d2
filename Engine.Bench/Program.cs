using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;

namespace Quasar.Bench;

// Entry point of the benchmark project. Two modes (see shared BENCH.md):
//   macro [options]  - the macro workloads W1-W6 (reserved; not implemented yet)
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

    // Plug-in point for Macro/MacroRunner.cs: replace the body with `return MacroRunner.Run(args);`.
    private static int RunMacro(string[] args)
    {
        _ = args;
        Console.Error.WriteLine("macro runner not yet implemented: see issue 7");
        return 2;
    }
}
