using System.Globalization;
using FsCheck.Xunit;

namespace Quasar.PropertyTests;

/// <summary>
/// An FsCheck property whose run count comes from an environment variable, so CI runs it short
/// and a soak runs it long, and which replays a failure: FsCheck prints the two numbers of the
/// failing run's seed ("Falsifiable, after N tests (seed,gamma)"), and
/// <c>QUASAR_PROPERTY_REPLAY=seed,gamma</c> starts every property from that seed.
/// </summary>
public abstract class KnobPropertyAttribute : PropertyAttribute
{
    /// <summary>Takes the run count from <paramref name="runsVariable"/> (else <paramref name="defaultRuns"/>) and the replay seed from <c>QUASAR_PROPERTY_REPLAY</c>.</summary>
    protected KnobPropertyAttribute(string runsVariable, int defaultRuns)
    {
        MaxTest = Knob(runsVariable) ?? defaultRuns;
        string? replay = Environment.GetEnvironmentVariable("QUASAR_PROPERTY_REPLAY");
        if (!string.IsNullOrWhiteSpace(replay))
        {
            string seed = replay.Trim().Trim('(', ')');
            if (!System.Text.RegularExpressions.Regex.IsMatch(seed, @"^\d+,\d+(,\d+)?$"))
            {
                throw new InvalidOperationException($"QUASAR_PROPERTY_REPLAY='{replay}' is not a seed: give the two numbers FsCheck printed, as seed,gamma.");
            }

            Replay = seed;
        }
    }

    /// <summary>A positive integer from the environment variable <paramref name="name"/>; null when unset or not one.</summary>
    public static int? Knob(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value > 0 ? value : null;
}
