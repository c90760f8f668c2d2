namespace Quasar.Bench.Macro;

/// <summary>
/// The macro workloads of BENCH.md. Today: our engine only, in one process (the quick form the
/// ledger issue asks for); peers and per-run child processes come with the benchmark issue.
/// Usage: macro [--quick] [--workloads W1,W2,W3,W4,W6] [--dir PATH]
/// </summary>
public static class MacroRunner
{
    public static int Run(string[] args)
    {
        bool quick = args.Contains("--quick");
        var workloads = new HashSet<string>(Option(args, "--workloads")?.Split(',') ?? ["W1", "W2", "W3", "W4", "W6"], StringComparer.OrdinalIgnoreCase);
        string root = Option(args, "--dir") ?? Path.Combine(Path.GetTempPath(), "quasar-bench");
        Directory.CreateDirectory(root);
        int entries = quick ? 100_000 : 1_000_000;
        Console.WriteLine($"# quasar macro workloads, {entries:N0} entries, {Environment.ProcessorCount} cores, {DateTime.UtcNow:u}");
        foreach (Result result in LedgerWorkloads.Run(root, entries, workloads))
        {
            Console.WriteLine(result);
        }

        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
