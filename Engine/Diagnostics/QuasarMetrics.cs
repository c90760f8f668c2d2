using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Quasar.Diagnostics;

/// <summary>
/// The engine's instruments on the <see cref="System.Diagnostics.Metrics.Meter"/> named
/// <c>Quasar</c>. Recording costs next to nothing while no listener is enabled.
/// </summary>
public static class QuasarMetrics
{
    /// <summary>The meter's name, for <c>MeterListener</c> and OpenTelemetry configuration.</summary>
    public const string MeterName = "Quasar";

    /// <summary>The meter all instruments belong to.</summary>
    public static Meter Meter { get; } = new(MeterName);

    /// <summary>Entries appended to ledgers (tag <c>ledger</c>).</summary>
    internal static readonly Counter<long> EntriesWritten = Meter.CreateCounter<long>("quasar.ledger.entries_written", "{entry}", "Entries appended to ledgers.");

    /// <summary>Payload bytes appended to ledgers (tag <c>ledger</c>).</summary>
    internal static readonly Counter<long> BytesWritten = Meter.CreateCounter<long>("quasar.ledger.bytes_written", "By", "Payload bytes appended to ledgers.");

    /// <summary>Ledger write batches (tag <c>ledger</c>).</summary>
    internal static readonly Counter<long> WriteBatches = Meter.CreateCounter<long>("quasar.ledger.write_batches", "{batch}", "Batches written to ledgers.");

    /// <summary>Entries returned by ledger reads (tag <c>ledger</c>).</summary>
    internal static readonly Counter<long> EntriesRead = Meter.CreateCounter<long>("quasar.ledger.entries_read", "{entry}", "Entries returned by ledger reads.");

    /// <summary>Duration of each data sync (fdatasync) in milliseconds.</summary>
    internal static readonly Histogram<double> FsyncDuration = Meter.CreateHistogram<double>("quasar.storage.fsync.duration", "ms", "Duration of each data sync to disk.");

    /// <summary>Entries deleted by cleaners (tag <c>ledger</c>).</summary>
    internal static readonly Counter<long> EntriesCleaned = Meter.CreateCounter<long>("quasar.cleaner.entries_deleted", "{entry}", "Entries deleted by cleaners.");

    /// <summary>Entries queued in producers and not yet written (tag <c>ledger</c>).</summary>
    internal static readonly UpDownCounter<long> ProducerQueueDepth = Meter.CreateUpDownCounter<long>("quasar.producer.queue_depth", "{entry}", "Entries queued in producers, not yet written.");

    /// <summary>The tag naming a ledger.</summary>
    internal static KeyValuePair<string, object?> LedgerTag(string prefix) => new("ledger", prefix);

    /// <summary>Records the duration of a data sync that started at <paramref name="startTimestamp"/>.</summary>
    internal static void RecordFsync(long startTimestamp)
    {
        if (FsyncDuration.Enabled)
        {
            FsyncDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds);
        }
    }
}
