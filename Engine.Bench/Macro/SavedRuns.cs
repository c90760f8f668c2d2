namespace Quasar.Bench.Macro;

/// <summary>
/// <c>macro-report FILE... [--svg DIR]</c>: the report and charts of the <c>run rep=K ...</c> lines
/// saved from one or more <c>macro</c> outputs, as one table. A full warm and cold run of every
/// workload takes longer than a quiet spell of a shared machine lasts; this lets the workloads be
/// measured in separate runs and still be reported and charted together.
/// </summary>
public static class SavedRuns
{
    public const string Command = "macro-report";

    private const string RunPrefix = "run rep=";

    public static int Run(string[] args)
    {
        string? svg = Options.Get(args, "--svg");
        string[] files = [.. args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || args[i - 1] != "--svg"))];
        if (files.Length == 0)
        {
            Console.Error.WriteLine($"usage: {Command} FILE... [--svg DIR]");
            return 2;
        }

        var results = new List<Result>();
        var headers = new List<string>();
        foreach (string file in files)
        {
            foreach (string line in File.ReadLines(file))
            {
                if (line.StartsWith("# quasar macro benchmark", StringComparison.Ordinal))
                {
                    headers.Add(line.TrimStart('#', ' '));
                }
                else if (line.StartsWith(RunPrefix, StringComparison.Ordinal))
                {
                    // "run rep=K <result>": the result starts after the rep field.
                    results.Add(Result.Parse(line[(line.IndexOf(' ', RunPrefix.Length) + 1)..]));
                }
            }
        }

        MacroRunner.PrintReport(results, limits: null, string.Join("; then ", headers), svg);
        return 0;
    }
}
