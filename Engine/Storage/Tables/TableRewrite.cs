using System.Text;
using CommunityToolkit.HighPerformance.Buffers;
using Quasar.Storage.Files;

namespace Quasar.Storage.Tables;

/// <summary>
/// Compaction of a table file (FORMAT.md, "Rewrite"): the live records are written as set records
/// to <c>table.log.tmp</c> under the next generation, which is synced and renamed over the table
/// file; the caller then syncs the directory. A crash at any step leaves either the old or the new
/// file, each complete; the live map moves to the new offsets once the rename is done, because
/// from then on the table's name is the new file whatever fails next.
/// </summary>
internal static class TableRewrite
{
    /// <summary>Rewrites the live records of <paramref name="current"/> into a new file that replaces it.</summary>
    /// <param name="context">The table's directory and file system.</param>
    /// <param name="path">The table file's path (the rename target).</param>
    /// <param name="current">The open table file the records are read from.</param>
    /// <param name="live">The live map; its offsets move to the new file on success.</param>
    /// <param name="generation">The current file's generation; the new file carries the next.</param>
    /// <returns>The new file (open under its temporary name, now renamed) and its length. The caller disposes <paramref name="current"/> and syncs the directory.</returns>
    public static (IStorageFile File, long Length) Run(StoreContext context, string path, IStorageFile current, TableLiveMap live, ulong generation)
    {
        string temporary = path + ".tmp";
        IStorageFile rewritten = context.FileSystem.Open(temporary, FileMode.Create, writable: true);
        try
        {
            using var content = new ArrayPoolBufferWriter<byte>((int)Math.Min(live.LiveBytes + TableFormat.HeaderSize, 1 << 20));
            TableFormat.WriteHeader(content.GetSpan(TableFormat.HeaderSize), generation + 1);
            content.Advance(TableFormat.HeaderSize);
            var moved = new List<(string Name, long Offset)>(live.Count);
            foreach ((string name, LiveRecord record) in live)
            {
                ulong[] positions = record.ReadPositions(name, current, path);
                int nameBytes = Encoding.UTF8.GetByteCount(name);
                int recordLength = TableFormat.RecordLength(nameBytes, positions.Length, TableFormat.KindSet);
                moved.Add((name, content.WrittenCount));
                TableFormat.WriteRecord(content.GetSpan(recordLength), TableFormat.KindSet, name, nameBytes, positions);
                content.Advance(recordLength);
            }

            rewritten.Write(content.WrittenSpan, 0);
            rewritten.SyncData();
            context.FileSystem.Rename(temporary, path);
            foreach ((string name, long offset) in moved)
            {
                live.Move(name, offset);
            }

            return (rewritten, content.WrittenCount);
        }
        catch
        {
            rewritten.Dispose();
            throw;
        }
    }
}
