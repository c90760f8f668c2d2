using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Quasar.Storage.Files;

namespace Quasar;

/// <summary>Options of a <see cref="Db"/>.</summary>
public sealed record DbOptions
{
    /// <summary>
    /// When true, <see cref="Ledger.Write"/>, <see cref="Ledger.Delete"/> and the table writes are
    /// durable (fdatasync) when they return; a ledger write costs exactly one data sync. When false,
    /// data reaches the operating system on every write and the disk on <see cref="Db.Sync"/> and
    /// <see cref="Db.Dispose"/>.
    /// </summary>
    public bool SyncWrites { get; init; }

    /// <summary>Receives open, recovery, segment roll and deletion messages; null for none.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>
    /// The size at which a ledger starts a new segment file (default 64 MiB). Not a cap: a batch
    /// larger than this gets a segment of its own. Must be at least 1 and at most 64 GiB.
    /// </summary>
    public long SegmentSize { get; init; } = 64 * 1024 * 1024;

    /// <summary>
    /// The largest <see cref="SegmentSize"/>: a segment's index maps 16 bytes per 16 bytes of
    /// data, so this bounds one mapping to 64 GiB of address space and keeps every slot count and
    /// byte offset far from overflow (storage review F17).
    /// </summary>
    internal const long MaxSegmentSize = 64L * 1024 * 1024 * 1024;

    /// <summary>
    /// The most sealed segments, across all the ledgers of the <see cref="Db"/>, whose files stay
    /// open while no read needs them (default 256; at least 1). A sealed segment's files (its data
    /// and index, two descriptors and two read-only mappings) open on the first read that needs
    /// them, and the least recently used idle ones close beyond this bound, as a table cache bounds
    /// a key-value store's open files; reading a closed segment again costs a few system calls to
    /// reopen it. Opening a ledger reads each sealed segment's headers and last entry and then
    /// closes it, so its size no longer limits how many segments a ledger may have. Segments being
    /// read at that moment stay open even beyond the bound (never closed under a reader), and each
    /// ledger's active segment is open while it is appended to, outside the bound.
    /// </summary>
    /// <remarks>
    /// 256 keeps at most 512 descriptors and 512 mappings for sealed segments, well inside the usual
    /// limits (1,024 descriptors is a common soft limit; 65,530 mappings per process is Linux's
    /// default), and with the default 64 MiB segments covers 16 GiB of recently read data without
    /// reopening anything.
    /// </remarks>
    public int MaxOpenSegments { get; init; } = DefaultMaxOpenSegments;

    /// <summary>The default of <see cref="MaxOpenSegments"/>.</summary>
    internal const int DefaultMaxOpenSegments = 256;

    /// <summary>
    /// Where every interval, timeout, deadline and delay of the engine is measured and waited on:
    /// producer Timeout and Delay, consumer Timeout and Deadline, cleaner Interval and MaxAge.
    /// Defaults to <see cref="TimeProvider.System"/>; tests substitute a fake clock to drive them.
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// When set, the consumer counters (<c>quasar.consumer.delivered</c> and
    /// <c>quasar.consumer.marked</c>, tagged <c>ledger</c> and <c>consumer</c>) are recorded on a
    /// meter named <c>Quasar</c> created through it (the dependency-injection way: the factory owns
    /// and disposes the meter). Null: they are recorded on the shared static
    /// <see cref="Diagnostics.QuasarMetrics.Meter"/>, like every other instrument.
    /// </summary>
    public IMeterFactory? MeterFactory { get; init; }

    /// <summary>The file system seam; tests substitute one that injects faults.</summary>
    internal IFileSystem? FileSystem { get; init; }
}
