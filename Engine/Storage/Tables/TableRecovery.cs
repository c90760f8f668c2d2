using CommunityToolkit.HighPerformance.Buffers;
using Microsoft.Extensions.Logging;
using Quasar.Diagnostics;
using Quasar.Storage.Files;

namespace Quasar.Storage.Tables;

/// <summary>
/// Opening a table file that already has a header (FORMAT.md, "Table recovery"): replays every
/// record into the live map in file order and decides what an invalid record means. One that
/// reaches the end of the file, or after which no valid record starts anywhere, is a torn write
/// and is cut off; one followed by a valid record is damage and is reported, never repaired.
/// </summary>
/// <remarks>
/// A power loss can leave the file longer than its data with a zero-filled tail, or an append
/// whose first bytes were lost and later bytes kept (zeros, then a fragment): neither holds a
/// record after the failure, so both are torn writes. Only a valid record after the failure
/// proves that the file went on past it, so that the failure was damage to written data.
/// </remarks>
internal static class TableRecovery
{
    /// <summary>The largest table file recovery replays (it reads the file into one array).</summary>
    public static readonly long MaxFileLength = Array.MaxLength;

    /// <summary>Replays <paramref name="file"/> into <paramref name="live"/>, truncating a torn last record.</summary>
    /// <param name="file">The table file, at least a header long.</param>
    /// <param name="logger">Where a truncation is reported.</param>
    /// <param name="live">The empty live map to fill.</param>
    /// <param name="cache">Whether the live map keeps each name's positions in memory.</param>
    /// <returns>The file's generation and its length after recovery (where the next record goes).</returns>
    /// <exception cref="CorruptionException">The header is invalid, a record fails its checks with a valid record after it, or the file is longer than <see cref="MaxFileLength"/>.</exception>
    public static (ulong Generation, long Length) Replay(IStorageFile file, ILogger logger, TableLiveMap live, bool cache)
    {
        long fileLength = file.Length;
        if (fileLength > MaxFileLength)
        {
            // Replayed in one buffer, which an array bounds (storage review F17): a clear error, not an overflow.
            throw new CorruptionException(file.Path, MaxFileLength, $"table file is {fileLength} bytes; a table file of more than {MaxFileLength} bytes cannot be opened");
        }

        using SpanOwner<byte> buffer = SpanOwner<byte>.Allocate((int)fileLength);
        ReadOnlySpan<byte> content = buffer.Span[..file.Read(buffer.Span, 0)];
        ulong generation = TableFormat.ReadHeader(content, file.Path);
        int offset = TableFormat.HeaderSize;
        while (offset < content.Length)
        {
            ReadOnlySpan<byte> rest = content[offset..];
            string? problem = TableFormat.TryReadRecord(rest, out TableFormat.Record record);
            if (problem is not null)
            {
                if (!TableFormat.FailureIsTorn(TableFormat.DeclaredEnd(rest, offset), content.Length) && TableFormat.ValidRecordFollows(content[(offset + 1)..]))
                {
                    throw new CorruptionException(file.Path, offset, problem);
                }

                Log.TailTruncated(logger, file.Path, offset, content.Length - offset, problem);
                file.SetLength(offset);
                file.SyncData();
                break;
            }

            Apply(live, record, offset, cache);
            offset += record.Length;
        }

        return (generation, offset);
    }

    /// <summary>Applies one replayed record to the live map: a set replaces the name's record, a delete forgets it.</summary>
    private static void Apply(TableLiveMap live, TableFormat.Record record, long offset, bool cache)
    {
        if (record.Kind == TableFormat.KindSet)
        {
            live.Set(record.Name, new LiveRecord(offset, record.Length, record.Positions[0], record.Positions[^1], cache ? record.Positions : null));
        }
        else
        {
            live.Forget(record.Name);
        }
    }
}
