using System.Globalization;
using System.Text;

namespace Quasar.Bench.Macro;

/// <summary>One measured workload: printed as one machine-readable line.</summary>
public sealed record Result(string Workload, string Mode, Dictionary<string, double> Metrics)
{
    public string Engine { get; init; } = "quasar";

    public override string ToString()
    {
        var line = new StringBuilder($"workload={Workload} engine={Engine}");
        foreach ((string name, double value) in Metrics)
        {
            line.Append(CultureInfo.InvariantCulture, $" {name}={value:0.###}");
        }

        return line.Append(CultureInfo.InvariantCulture, $" mode=\"{Mode}\"").ToString();
    }
}
