using System.Globalization;
using System.Text;

namespace Quasar.Bench.Macro;

/// <summary>
/// One measured workload run: printed and parsed as one machine-readable line,
/// <c>workload=W1 engine=quasar start=warm name=value ... mode="..."</c> (the mode, how the engine
/// runs the workload, always last; <c>start</c> says warm or cold, BENCH.md "Warm and cold").
/// </summary>
public sealed record Result(string Workload, string Mode, Dictionary<string, double> Metrics)
{
    /// <summary>The <see cref="Start"/> of a child that warmed up before measuring.</summary>
    public const string WarmStart = "warm";

    /// <summary>The <see cref="Start"/> of a child that measured its first and only run (<c>--cold</c>).</summary>
    public const string ColdStart = "cold";

    public string Engine { get; init; } = "quasar";

    /// <summary><see cref="WarmStart"/> or <see cref="ColdStart"/>.</summary>
    public string Start { get; init; } = WarmStart;

    public override string ToString()
    {
        var line = new StringBuilder($"workload={Workload} engine={Engine} start={Start}");
        foreach ((string name, double value) in Metrics)
        {
            line.Append(CultureInfo.InvariantCulture, $" {name}={value:0.###}");
        }

        return line.Append(CultureInfo.InvariantCulture, $" mode=\"{Mode}\"").ToString();
    }

    /// <summary>Reads a line written by <see cref="ToString"/>.</summary>
    /// <exception cref="FormatException">The line is not such a line.</exception>
    public static Result Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        int modeAt = line.IndexOf(" mode=\"", StringComparison.Ordinal);
        if (modeAt < 0 || !line.EndsWith('"'))
        {
            throw new FormatException($"not a result line: {line}");
        }

        string mode = line[(modeAt + 7)..^1];
        string? workload = null;
        string? engine = null;
        string start = WarmStart;
        var metrics = new Dictionary<string, double>();
        foreach (string field in line[..modeAt].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = field.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"bad field '{field}' in: {line}");
            }

            string name = field[..equals];
            string value = field[(equals + 1)..];
            switch (name)
            {
                case "workload":
                    workload = value;
                    break;
                case "engine":
                    engine = value;
                    break;
                case "start":
                    start = value;
                    break;
                default:
                    metrics[name] = double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
                    break;
            }
        }

        if (workload is null || engine is null)
        {
            throw new FormatException($"no workload or engine in: {line}");
        }

        return new Result(workload, mode, metrics) { Engine = engine, Start = start };
    }
}
