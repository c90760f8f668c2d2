using CommunityToolkit.HighPerformance.Buffers;
using Quasar.Storage.Tables;

namespace Quasar.Storage;

/// <summary>
/// Replays a table file (FORMAT.md, "Table file") as recovery does, streamed through a
/// <see cref="FileCursor"/> one record at a time (a record is at most about 8 MiB, whatever the
/// file's size), decoding each with <see cref="TableFormat"/> and judging a failed record as
/// recovery does (<see cref="TableFormat.FailureIsTorn"/>, <see cref="TableFormat.ValidRecordFollows"/>):
/// a failed record with no valid record after it (a torn append, a zero-filled tail) is a warning,
/// one followed by a valid record is damage.
/// </summary>
internal static class TableScan
{
    /// <summary>The longest record the format allows (a set of the most positions under the longest name).</summary>
    private static readonly int MaxRecordLength = TableFormat.RecordLength(TableFormat.MaxNameBytes, TableFormat.MaxPositions, TableFormat.KindSet);

    /// <summary>
    /// Replays the table in <paramref name="tableDirectory"/>; <paramref name="offsets"/> receives
    /// the offset of the record each live name was last set by, <paramref name="progress"/> the
    /// bytes of each record checked.
    /// </summary>
    public static TableInfo Read(string tableDirectory, ProblemList problems, Dictionary<string, long>? offsets, Action<long>? progress, int bufferSize)
    {
        string path = Path.Combine(tableDirectory, TableLog.FileName);
        var live = new SortedDictionary<string, ulong[]>(StringComparer.Ordinal);
        if (File.Exists(path + ".tmp"))
        {
            problems.Warning(path + ".tmp", 0, "an unfinished rewrite (a crash before its rename); recovery deletes it");
        }

        if (!File.Exists(path))
        {
            return new TableInfo(path, 0, 0, live);
        }

        FileCursor cursor = FileCursor.Open(path, bufferSize);
        using (cursor)
        {
            if (cursor.Length < TableFormat.HeaderSize)
            {
                problems.Warning(path, 0, $"table file is {cursor.Length} bytes, shorter than its header (a crash while it was created); recovery starts it afresh");
                return new TableInfo(path, 0, cursor.Length, live);
            }

            ulong generation;
            try
            {
                generation = TableFormat.ReadHeader((cursor.Peek(TableFormat.HeaderSize)).Span, path);
            }
            catch (CorruptionException error)
            {
                problems.Error(path, error.Offset, error.Message);
                return new TableInfo(path, 0, cursor.Length, live);
            }

            cursor.Skip(TableFormat.HeaderSize);
            while (cursor.Remaining > 0)
            {
                long length = ReplayRecord(cursor, path, live, offsets, problems);
                if (length == 0)
                {
                    break;
                }

                progress?.Invoke(length);
            }

            return new TableInfo(path, generation, cursor.Length, live);
        }
    }

    /// <summary>
    /// Whether a valid record follows the failed one at <paramref name="failedAt"/>, as recovery
    /// decides it (<see cref="TableFormat.ValidRecordFollows"/>). This reads the rest of the file
    /// whole - only on this failure path, and a table file is one recovery itself reads whole.
    /// </summary>
    private static bool ValidRecordFollows(string path, long failedAt, long fileLength)
    {
        using SpanOwner<byte> rest = SpanOwner<byte>.Allocate(checked((int)(fileLength - failedAt - 1)));
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        int read = RandomAccess.Read(file.SafeFileHandle, rest.Span, failedAt + 1);
        return TableFormat.ValidRecordFollows(rest.Span[..read]);
    }

    /// <summary>Decodes and applies the record at the cursor; its length, or 0 when it failed (reported).</summary>
    private static long ReplayRecord(FileCursor cursor, string path, SortedDictionary<string, ulong[]> live, Dictionary<string, long>? offsets, ProblemList problems)
    {
        long offset = cursor.Position;
        ReadOnlyMemory<byte> frame = cursor.Peek(TableFormat.FrameSize);
        long declaredEnd = TableFormat.DeclaredEnd(frame.Span, offset);
        int available = (int)Math.Min(Math.Min(declaredEnd < 0 ? frame.Length : declaredEnd - offset, cursor.Remaining), MaxRecordLength);
        using SpanOwner<byte> owner = SpanOwner<byte>.Allocate(available);
        Span<byte> bytes = owner.Span;
        cursor.Read(bytes);
        string? problem = TableFormat.TryReadRecord(bytes, out TableFormat.Record record);
        if (problem is not null)
        {
            if (TableFormat.FailureIsTorn(declaredEnd, cursor.Length) || !ValidRecordFollows(path, offset, cursor.Length))
            {
                problems.Warning(path, offset, $"torn last record: {problem}; no valid record follows, so recovery truncates the file to {offset} bytes");
            }
            else
            {
                problems.Error(path, offset, problem);
            }

            return 0;
        }

        if (record.Kind == TableFormat.KindSet)
        {
            live[record.Name] = record.Positions;
            offsets?.Remove(record.Name);
            offsets?.Add(record.Name, offset);
        }
        else
        {
            live.Remove(record.Name);
            offsets?.Remove(record.Name);
        }

        return record.Length;
    }
}
