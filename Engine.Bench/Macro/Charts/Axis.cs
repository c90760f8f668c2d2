using System.Globalization;

namespace Quasar.Bench.Macro.Charts;

/// <summary>
/// Maps values between <see cref="Min"/> and <see cref="Max"/> onto pixels, linearly or on a
/// log-10 scale, and picks the tick values to label (1-2-5 steps).
/// </summary>
public sealed class Axis
{
    /// <summary>The mantissas of the ticks: 1-2-5 steps read well on both kinds of axis.</summary>
    private static readonly double[] Steps = [1, 2, 5, 10];

    private readonly double pixelAtMin;
    private readonly double pixelAtMax;

    /// <param name="min">Smallest value shown (above 0 on a log scale).</param>
    /// <param name="max">Largest value shown.</param>
    /// <param name="log">Log-10 scale instead of linear.</param>
    /// <param name="pixelAtMin">Pixel coordinate of <paramref name="min"/> (for a y axis the bottom, the larger number).</param>
    /// <param name="pixelAtMax">Pixel coordinate of <paramref name="max"/>.</param>
    public Axis(double min, double max, bool log, double pixelAtMin, double pixelAtMax)
    {
        if (log && min <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(min), min, "a log axis starts above 0");
        }

        Min = min;
        Max = max > min ? max : min + (log ? min : 1);
        Log = log;
        this.pixelAtMin = pixelAtMin;
        this.pixelAtMax = pixelAtMax;
    }

    public double Min { get; }

    public double Max { get; }

    public bool Log { get; }

    /// <summary>An axis over <paramref name="values"/>, widened a little so nothing sits on the edge (linear axes start at 0).</summary>
    public static Axis Over(IEnumerable<double> values, bool log, double pixelAtMin, double pixelAtMax)
    {
        double[] all = [.. values.Where(v => double.IsFinite(v) && (!log || v > 0))];
        if (all.Length == 0)
        {
            return new Axis(1, 10, log, pixelAtMin, pixelAtMax);
        }

        return log
            ? new Axis(all.Min() / 1.3, all.Max() * 1.3, log: true, pixelAtMin, pixelAtMax)
            : new Axis(Math.Min(0, all.Min()), all.Max() * 1.1, log: false, pixelAtMin, pixelAtMax);
    }

    /// <summary>The pixel coordinate of <paramref name="value"/> (clamped to the axis).</summary>
    public double Map(double value)
    {
        double clamped = Math.Clamp(value, Min, Max);
        double fraction = Log
            ? (Math.Log10(clamped) - Math.Log10(Min)) / (Math.Log10(Max) - Math.Log10(Min))
            : (clamped - Min) / (Max - Min);
        return pixelAtMin + (fraction * (pixelAtMax - pixelAtMin));
    }

    /// <summary>Values to draw grid lines at: 1-2-5 steps on a linear axis, 1, 2 and 5 per decade on a log one.</summary>
    public IReadOnlyList<double> Ticks()
    {
        var ticks = new List<double>();
        if (Log)
        {
            for (double decade = Math.Pow(10, Math.Floor(Math.Log10(Min))); decade <= Max; decade *= 10)
            {
                ticks.AddRange(Steps.SkipLast(1).Select(m => m * decade).Where(v => v >= Min && v <= Max));
            }

            return ticks;
        }

        double raw = (Max - Min) / 5;
        double power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = Steps.Select(m => m * power).First(s => s >= raw);
        for (double value = Math.Ceiling(Min / step) * step; value <= Max + (step / 1000); value += step)
        {
            ticks.Add(value);
        }

        return ticks;
    }

    /// <summary>A tick's label: 1.5, 20, 2.5K, 10M.</summary>
    public static string Label(double value)
    {
        double size = Math.Abs(value);
        return size >= 1e9 ? (value / 1e9).ToString("0.##", CultureInfo.InvariantCulture) + "G"
            : size >= 1e6 ? (value / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + "M"
            : size >= 1e4 ? (value / 1e3).ToString("0.##", CultureInfo.InvariantCulture) + "K"
            : value.ToString("0.##", CultureInfo.InvariantCulture);
    }
}
