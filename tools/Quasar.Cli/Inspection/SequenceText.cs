using System.Globalization;

namespace Quasar.Cli.Inspection;

/// <summary>How the operator commands show a sequence's timestamp: UTC, to the second, the same everywhere.</summary>
internal static class SequenceText
{
    /// <summary>The UTC time <see cref="Sequence.Split"/> gives <paramref name="sequence"/>, as <c>2026-12-06T15:13:35Z</c>.</summary>
    /// <param name="sequence">A sequence.</param>
    /// <returns>Its timestamp.</returns>
    public static string Time(ulong sequence) =>
        Sequence.Split(sequence).Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A sequence followed by its timestamp: <c>7716207492304911541 (2026-12-06T15:13:35Z)</c>; 0 (none) alone.</summary>
    /// <param name="sequence">A sequence.</param>
    /// <returns>The text.</returns>
    public static string WithTime(ulong sequence) =>
        sequence == 0 ? "0" : string.Create(CultureInfo.InvariantCulture, $"{sequence} ({Time(sequence)})");
}
