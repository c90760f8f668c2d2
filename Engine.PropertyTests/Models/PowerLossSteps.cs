using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Quasar.Tests.Support.PowerLoss;

namespace Quasar.PropertyTests.Models;

/// <summary>
/// Runs of the model properties that cut the power: <c>QUASAR_POWERLOSS_RUNS</c> scenarios each
/// (default 40, short for CI; a soak of 100,000+ steps is about 5,000 runs per property).
/// </summary>
public sealed class PowerLossPropertyAttribute() : KnobPropertyAttribute("QUASAR_POWERLOSS_RUNS", 40);

/// <summary>Generating, shrinking and counting the power losses of the model properties.</summary>
internal static class PowerLossSteps
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, long[]> Counts = new(StringComparer.Ordinal);

    /// <summary>Every way to lose power, the simple ones more often than their share.</summary>
    public static Gen<PowerLossMode> Modes { get; } =
        from keep in Gen.Frequency(
            (2, Gen.Constant(Survivors.None)),
            (1, Gen.Constant(Survivors.All)),
            (3, Gen.Constant(Survivors.Prefix)),
            (4, Gen.Constant(Survivors.Random)))
        from seed in Gen.Choose(0, 9999)
        from tails in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        select new PowerLossMode(keep, keep is Survivors.Prefix or Survivors.Random ? seed : 0, tails);

    /// <summary>Where in the next call the power goes: at its n-th change of the disk.</summary>
    public static Gen<int> Changes { get; } = Gen.Frequency((3, Gen.Choose(0, 3)), (2, Gen.Choose(4, 12)));

    /// <summary>Simpler losses: nothing kept, then without zero tails.</summary>
    public static IEnumerable<PowerLossMode> Shrink(PowerLossMode mode)
    {
        if (mode.Keep != Survivors.None)
        {
            yield return PowerLossMode.KeepNone with { ZeroFilledTails = mode.ZeroFilledTails };
        }

        if (mode.ZeroFilledTails)
        {
            yield return mode with { ZeroFilledTails = false };
        }
    }

    /// <summary>
    /// Runs <paramref name="call"/> with the power set to go at its <paramref name="atChange"/>-th
    /// change of the disk; a call that makes fewer changes completes, and the power goes right
    /// after it. True when the power went inside the call.
    /// </summary>
    public static bool CutDuring(PowerLossFileSystem files, int atChange, PowerLossMode mode, Action call)
    {
        files.CutAt(atChange, mode);
        call();
        if (files.Disarm())
        {
            files.PowerLoss(mode);
            return false;
        }

        return true;
    }

    /// <summary>How a call fails when the power went during it: an I/O error (several, from a dispose).</summary>
    public static bool IsPowerFailure(Exception? error) =>
        error is IOException || (error is AggregateException aggregate && aggregate.InnerExceptions.All(IsPowerFailure));

    /// <summary>Counts the steps and power losses of one run of <paramref name="property"/>.</summary>
    public static void Count(string property, int runSteps, int runLosses)
    {
        long[] counts = Counts.GetOrAdd(property, _ => new long[3]);
        Interlocked.Increment(ref counts[0]);
        Interlocked.Add(ref counts[1], runSteps);
        Interlocked.Add(ref counts[2], runLosses);
        string? path = Environment.GetEnvironmentVariable("QUASAR_POWERLOSS_STATS");
        if (!string.IsNullOrEmpty(path))
        {
            // For soak reports: the file's last line per property holds its totals.
            File.AppendAllText(path, $"{property}: {Interlocked.Read(ref counts[0])} runs, {Interlocked.Read(ref counts[1])} steps, {Interlocked.Read(ref counts[2])} power losses{Environment.NewLine}");
        }
    }
}
