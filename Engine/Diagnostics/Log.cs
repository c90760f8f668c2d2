using Microsoft.Extensions.Logging;

namespace Quasar.Diagnostics;

/// <summary>Every log message the engine writes, source generated (no allocation when disabled).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Opened database {Directory}")]
    public static partial void DbOpened(ILogger logger, string directory);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Closed database {Directory}")]
    public static partial void DbClosed(ILogger logger, string directory);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Opened ledger {Prefix}: {Segments} segment(s), {Length} entries, head {Head}, tail {Tail}")]
    public static partial void LedgerOpened(ILogger logger, string prefix, int segments, long length, ulong head, ulong tail);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Recovery truncated {File} at offset {Offset}, dropping {Bytes} byte(s) of a torn or damaged tail ({Problem})")]
    public static partial void TailTruncated(ILogger logger, string file, long offset, long bytes, string problem);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Recovery rebuilt index {File}: {Reason}")]
    public static partial void IndexRebuilt(ILogger logger, string file, string reason);

    [LoggerMessage(EventId = 17, Level = LogLevel.Debug, Message = "Opened {File} by its clean-close record: {Slots} entries, {Bytes} bytes, no recovery scan")]
    public static partial void OpenedByCleanClose(ILogger logger, string file, long slots, long bytes);

    [LoggerMessage(EventId = 18, Level = LogLevel.Error, Message = "Intact sealed index {Index} records {Slots} entries that {File} does not hold ({Problem}); rebuilding the index from the data. If the data file was cut short, the missing entries are lost")]
    public static partial void SealedIndexDisagrees(ILogger logger, string index, long slots, string file, string problem);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "Recovery removed {File}: {Reason}")]
    public static partial void FileRemoved(ILogger logger, string file, string reason);

    [LoggerMessage(EventId = 14, Level = LogLevel.Debug, Message = "Ledger {Prefix} rolled to segment {File}")]
    public static partial void SegmentRolled(ILogger logger, string prefix, string file);

    [LoggerMessage(EventId = 15, Level = LogLevel.Debug, Message = "Ledger {Prefix} deleted segment {File} (all entries at or below tail {Tail})")]
    public static partial void SegmentDeleted(ILogger logger, string prefix, string file, ulong tail);

    [LoggerMessage(EventId = 16, Level = LogLevel.Warning, Message = "Ignored unexpected file {File} in ledger {Prefix}")]
    public static partial void UnexpectedFile(ILogger logger, string prefix, string file);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Opened table {Prefix}: {Names} name(s), {Bytes} byte(s)")]
    public static partial void TableOpened(ILogger logger, string prefix, int names, long bytes);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "The rewrite of table file {File} failed; the write that triggered it succeeded, and the next one retries the rewrite")]
    public static partial void TableRewriteFailed(ILogger logger, string file, Exception exception);

    [LoggerMessage(EventId = 30, Level = LogLevel.Error, Message = "A {Callback} callback threw; the engine caught it and goes on")]
    public static partial void CallbackFailed(ILogger logger, string callback, Exception exception);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "Producer on ledger {Prefix}: write failed ({Reason}); retry {Attempt} of {Retries} in {Delay}")]
    public static partial void ProducerRetry(ILogger logger, string prefix, string reason, int attempt, int retries, TimeSpan delay);

    [LoggerMessage(EventId = 32, Level = LogLevel.Warning, Message = "Producer on ledger {Prefix} stopped: {Reason}")]
    public static partial void ProducerStopped(ILogger logger, string prefix, string reason);

    [LoggerMessage(EventId = 40, Level = LogLevel.Debug, Message = "Cleaner on ledger {Prefix} deleted {Count} entries through sequence {Sequence}")]
    public static partial void CleanerDeleted(ILogger logger, string prefix, long count, ulong sequence);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "Cleaner on ledger {Prefix}: pass failed, retrying next interval")]
    public static partial void CleanerFailed(ILogger logger, string prefix, Exception exception);

    [LoggerMessage(EventId = 50, Level = LogLevel.Warning, Message = "Consumer {Name} on ledger {Prefix}: entries {From} to {Tail} were deleted before it consumed them (cleaning by Threshold, MaxAge or MaxBytes); continuing at the oldest entry")]
    public static partial void ConsumerSkipped(ILogger logger, string name, string prefix, ulong from, ulong tail);
}
