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
}
