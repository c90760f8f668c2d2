using System.Globalization;

namespace Quasar.Tests.Support;

/// <summary>Knobs the long-running tests read from the environment (QUASAR_CRASH_ITERATIONS, QUASAR_STRESS_SECONDS, ...).</summary>
public static class TestEnvironment
{
    /// <summary>An integer from the environment, or null when unset or not a number.</summary>
    public static int? Int(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : null;
}
