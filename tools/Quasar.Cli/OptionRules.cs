using System.CommandLine;

namespace Quasar.Cli;

/// <summary>
/// Range checks for numeric options, shared by the commands. A value out of range is a parse
/// error, so it exits with <see cref="ExitCodes.Usage"/> like an unknown option.
/// </summary>
internal static class OptionRules
{
    /// <summary>Rejects a given value below <paramref name="minimum"/> (an absent value passes).</summary>
    /// <param name="option">The optional option.</param>
    /// <param name="minimum">The smallest value accepted.</param>
    public static void AtLeast(this Option<int?> option, int minimum) =>
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is int value && value < minimum)
            {
                result.AddError($"{option.Name} must be at least {minimum}.");
            }
        });

    /// <summary>Rejects a value outside <paramref name="minimum"/>..<paramref name="maximum"/>.</summary>
    /// <param name="option">The option.</param>
    /// <param name="minimum">The smallest value accepted.</param>
    /// <param name="maximum">The largest value accepted.</param>
    public static void Between(this Option<int> option, int minimum, int maximum) =>
        option.Validators.Add(result =>
        {
            int value = result.GetValueOrDefault<int>();
            if (value < minimum || value > maximum)
            {
                result.AddError($"{option.Name} must be between {minimum} and {maximum}.");
            }
        });
}
