using System.Globalization;

namespace Quasar.Bench.Macro;

/// <summary>What one child process measures: one workload on one engine in its own directory.</summary>
public sealed record ChildSpec(string Workload, string Engine, int Entries, string Directory, int Reads, int Seed)
{
    /// <summary>The hidden command line: <c>macro-child --workload W1 --engine sqlite --entries N --dir D --reads R --seed S</c>.</summary>
    public IEnumerable<string> ToArguments() =>
    [
        ChildRun.Command,
        "--workload", Workload,
        "--engine", Engine,
        "--entries", Entries.ToString(CultureInfo.InvariantCulture),
        "--dir", Directory,
        "--reads", Reads.ToString(CultureInfo.InvariantCulture),
        "--seed", Seed.ToString(CultureInfo.InvariantCulture),
    ];

    public static ChildSpec Parse(IReadOnlyList<string> args)
    {
        string Required(string name) => Options.Get(args, name) ?? throw new ArgumentException($"macro-child needs {name}");
        return new ChildSpec(
            Required("--workload").ToUpperInvariant(),
            Required("--engine").ToLowerInvariant(),
            int.Parse(Required("--entries"), CultureInfo.InvariantCulture),
            Required("--dir"),
            int.Parse(Options.Get(args, "--reads") ?? "100000", CultureInfo.InvariantCulture),
            int.Parse(Options.Get(args, "--seed") ?? "42", CultureInfo.InvariantCulture));
    }
}
