using System.Text;
using CommunityToolkit.HighPerformance.Buffers;
using Quasar.Diagnostics;
using Quasar.Storage.Files;

namespace Quasar.Storage.Tables;

/// <summary>
/// The file of one table: an append-only log of set/delete records (<see cref="TableFormat"/>)
/// and, in memory, the live map of what they add up to (<see cref="TableLiveMap"/>). Opening
/// replays the file (<see cref="TableRecovery"/>); when dead records dominate, the live ones are
/// compacted into a new file (<see cref="TableRewrite"/>), so endless updates of a few names keep
/// the file small. Not thread-safe: the table serializes calls.
/// </summary>
internal sealed class TableLog : IDisposable
{
    /// <summary>The table file's name inside its directory.</summary>
    public const string FileName = "table.log";

    /// <summary>Below this size the file is never rewritten.</summary>
    public const long MinRewriteBytes = 1024 * 1024;

    /// <summary>The file is rewritten once it is this many times larger than its live records.</summary>
    public const int RewriteRatio = 4;

    /// <summary>The longest name the log can store, in UTF-8 bytes (the record's name length field bounds it).</summary>
    public const int MaxNameBytes = TableFormat.MaxNameBytes;

    /// <summary>The most positions one name may hold (one record holds them all).</summary>
    public const int MaxPositions = TableFormat.MaxPositions;

    private readonly StoreContext context;
    private readonly string path;
    private readonly bool cache;
    private readonly TableLiveMap live = new();
    private IStorageFile file;
    private long length;
    private ulong generation;
    private bool broken;

    // A rewrite renamed its file over the table's name but the directory sync that makes the
    // rename durable failed: until a retry succeeds, a power loss could bring the old file back,
    // so nothing written to the new one may be acknowledged as durable.
    private bool renameUnsynced;

    private TableLog(StoreContext context, bool cache, IStorageFile file)
    {
        this.context = context;
        path = context.PathOf(FileName);
        this.cache = cache;
        this.file = file;
    }

    /// <summary>The table file's path. Not <c>file.Path</c>: after a rewrite the handle was opened under the temporary name.</summary>
    public string Path => path;

    /// <summary>The current file's length.</summary>
    public long FileLength => length;

    /// <summary>The number of live names.</summary>
    public int Count => live.Count;

    /// <summary>Opens (creating if needed) the table in the context's directory, repairing a torn tail.</summary>
    public static TableLog Open(StoreContext context, bool cache)
    {
        context.PrepareDirectory();
        IFileSystem fs = context.FileSystem;
        string path = context.PathOf(FileName);
        bool exists = fs.FileExists(path);
        IStorageFile file = fs.Open(path, FileMode.OpenOrCreate, writable: true);
        var table = new TableLog(context, cache, file);
        try
        {
            if (!exists || file.Length < TableFormat.HeaderSize)
            {
                // New, or a crash before the header was complete: nothing was ever stored.
                table.StartAfresh(created: !exists);
            }
            else
            {
                (table.generation, table.length) = TableRecovery.Replay(file, context.Logger, table.live, cache);
            }

            return table;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Writes the header of an empty generation-0 file (syncing the directory when the file was just <paramref name="created"/>).</summary>
    private void StartAfresh(bool created)
    {
        Span<byte> header = stackalloc byte[TableFormat.HeaderSize];
        TableFormat.WriteHeader(header, 0);
        file.SetLength(0);
        file.Write(header, 0);
        file.SyncData();
        length = TableFormat.HeaderSize;
        if (created)
        {
            context.FileSystem.SyncDirectory(context.Directory);
        }
    }

    /// <summary>Stores <paramref name="positions"/> under <paramref name="name"/> (non-empty, validated by the table).</summary>
    public void Set(string name, ReadOnlySpan<ulong> positions)
    {
        long offset = Append(TableFormat.KindSet, name, positions);
        live.Set(name, new LiveRecord(offset, (int)(length - offset), positions[0], positions[^1], cache ? positions.ToArray() : null));
        RewriteIfMostlyDead();
    }

    /// <summary>Removes <paramref name="name"/>; false when it did not exist (nothing is written then).</summary>
    public bool Delete(string name)
    {
        if (!live.Contains(name))
        {
            return false;
        }

        Append(TableFormat.KindDelete, name, []);
        live.Forget(name);
        RewriteIfMostlyDead();
        return true;
    }

    /// <summary>A copy of the positions under <paramref name="name"/>; empty when missing.</summary>
    public ulong[] Get(string name) => live.TryGet(name, out LiveRecord record) ? record.ReadPositions(name, file, path) : [];

    /// <summary>Copies of every live name's positions.</summary>
    public Dictionary<string, ulong[]> All()
    {
        var all = new Dictionary<string, ulong[]>(live.Count, StringComparer.Ordinal);
        foreach ((string name, LiveRecord record) in live)
        {
            all[name] = record.ReadPositions(name, file, path);
        }

        return all;
    }

    /// <summary>The smallest first position and the largest last position over all names.</summary>
    public (ulong Min, ulong Max, bool Found) Range() => live.Range();

    /// <summary>Appends one record at the committed end (rolled back if the write or its sync fails); returns its offset.</summary>
    private long Append(byte kind, string name, ReadOnlySpan<ulong> positions)
    {
        int nameBytes = Encoding.UTF8.GetByteCount(name);
        int recordLength = TableFormat.RecordLength(nameBytes, positions.Length, kind);
        using SpanOwner<byte> record = SpanOwner<byte>.Allocate(recordLength);
        TableFormat.WriteRecord(record.Span, kind, name, nameBytes, positions);
        SyncRenameIfPending();
        long offset = length;
        file.AppendOrRollBack(record.Span, offset, context.SyncWrites, ref broken);
        length = offset + recordLength;
        return offset;
    }

    /// <summary>
    /// Rewrites the file once it passes <see cref="MinRewriteBytes"/> and holds <see cref="RewriteRatio"/>
    /// times more than its live records. Runs after the caller's record is stored, so a failure
    /// is logged, not thrown: the call succeeded, the table stays whole (the old file, or the new
    /// one with its directory sync retried before the next append), and the next set or delete
    /// that finds the file still mostly dead tries again.
    /// </summary>
    private void RewriteIfMostlyDead()
    {
        if (length >= MinRewriteBytes && length > RewriteRatio * (live.LiveBytes + TableFormat.HeaderSize))
        {
            try
            {
                Rewrite();
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                Log.TableRewriteFailed(context.Logger, path, error);
            }
        }
    }

    /// <summary>Compacts the file to its live records now (<see cref="TableRewrite"/>).</summary>
    /// <remarks>
    /// Once the rename is done the table's name is the new file, so the log switches to it
    /// before the directory sync: a failed sync must not leave records going to the old,
    /// unlinked file. The failed sync is retried before the next append or sync.
    /// </remarks>
    public void Rewrite()
    {
        (IStorageFile rewritten, long rewrittenLength) = TableRewrite.Run(context, path, file, live, generation);
        file.Dispose();
        file = rewritten;
        length = rewrittenLength;
        generation++;
        renameUnsynced = true;
        SyncRenameIfPending();
    }

    /// <summary>Syncs the directory when a rewrite's rename is not yet durable (see <see cref="renameUnsynced"/>).</summary>
    private void SyncRenameIfPending()
    {
        if (renameUnsynced)
        {
            context.FileSystem.SyncDirectory(context.Directory);
            renameUnsynced = false;
        }
    }

    /// <summary>Makes every record written so far durable.</summary>
    public void Sync()
    {
        SyncRenameIfPending();
        file.SyncData();
    }

    /// <summary>Syncs and closes the file.</summary>
    public void Dispose()
    {
        try
        {
            Sync();
        }
        finally
        {
            file.Dispose();
        }
    }
}
