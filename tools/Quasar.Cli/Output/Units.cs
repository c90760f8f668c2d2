using System.Globalization;

namespace Quasar.Cli.Output;

/// <summary>Number formats shared by the plain, live and summary views, so they read the same everywhere.</summary>
internal static class Units
{
    /// <summary>A count with thousands separators: 1,234,567.</summary>
    /// <param name="value">The count.</param>
    /// <returns>The formatted count.</returns>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A rate in messages per second, whole messages.</summary>
    /// <param name="perSecond">Messages per second.</param>
    /// <returns>The formatted rate with its unit.</returns>
    public static string Rate(double perSecond) => Count((long)Math.Round(perSecond)) + " msg/s";

    /// <summary>A latency given in microseconds, in the unit that keeps it short (µs, ms or s).</summary>
    /// <param name="microseconds">The latency.</param>
    /// <returns>The formatted latency with its unit.</returns>
    public static string Latency(long microseconds) => microseconds switch
    {
        < 1_000 => microseconds.ToString(CultureInfo.InvariantCulture) + " µs",
        < 1_000_000 => (microseconds / 1_000.0).ToString("0.00", CultureInfo.InvariantCulture) + " ms",
        _ => (microseconds / 1_000_000.0).ToString("0.00", CultureInfo.InvariantCulture) + " s",
    };

    /// <summary>A size in bytes, in binary units.</summary>
    /// <param name="bytes">The size.</param>
    /// <returns>The formatted size with its unit.</returns>
    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => bytes.ToString(CultureInfo.InvariantCulture) + " B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        < 1024L * 1024 * 1024 => (bytes / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        _ => (bytes / (1024.0 * 1024 * 1024)).ToString("0.00", CultureInfo.InvariantCulture) + " GiB",
    };
}
