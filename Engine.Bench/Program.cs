using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;

namespace Quasar.Bench;

// Entry point of the benchmark project. Two modes (see shared BENCH.md):
//   macro [options]  - the macro workloads of BENCH.md against our engine and its peers
//                      (Macro/MacroRunner.cs); each measured run is a child process started with
//                      the hidden command 'macro-child' (Macro/ChildRun.cs)
//   macro-report FILE... [--svg DIR] - one report and chart from the run lines of saved macro outputs
//   growth [options] - W8, cost as the ledger grows (Macro/Growth/GrowthRunner.cs; on demand only),
//                      each size measured by the hidden child command 'growth-child'
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

        if (args.Length > 0 && args[0] == Macro.SavedRuns.Command)
        {
            return Macro.SavedRuns.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == Macro.ChildRun.Command)
        {
            return Macro.ChildRun.RunChild(args[1..]);
        }

        if (args.Length > 0 && args[0] == Macro.Growth.GrowthRunner.Command)
        {
            return Macro.Growth.GrowthRunner.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == Macro.Growth.GrowthChild.Command)
        {
            return Macro.Growth.GrowthChild.Run(args[1..]);
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
