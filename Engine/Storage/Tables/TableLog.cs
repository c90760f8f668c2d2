using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging;
using Quasar.Diagnostics;
using Quasar.Storage.Files;

namespace Quasar.Storage.Tables;

/// <summary>
/// The file of one table: an append-only log of set/delete records and, in memory, the live map
/// (name -> where its latest record is, its first and last position, and with caching the
/// positions themselves). When dead records dominate, the live records are rewritten to a new
/// file (write temp, sync, rename over, sync the directory), so endless updates of a few names
/// keep the file small. Not thread-safe: the table serializes calls.
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

    private readonly IFileSystem fs;
    private readonly ILogger logger;
    private readonly string directory;
    private readonly string path;
    private readonly bool cache;
    private readonly bool syncWrites;
    private readonly Dictionary<string, Live> live = new(StringComparer.Ordinal);
    private IStorageFile file;
    private long length;
    private long liveBytes;
    private ulong generation;
    private bool broken;

    private TableLog(IFileSystem fs, ILogger logger, string directory, bool cache, bool syncWrites, IStorageFile file)
    {
        this.fs = fs;
        this.logger = logger;
        this.directory = directory;
        path = System.IO.Path.Combine(directory, FileName);
        this.cache = cache;
        this.syncWrites = syncWrites;
        this.file = file;
    }

    /// <summary>What the table knows of a live name.</summary>
    private struct Live
    {
        public long Offset;
        public int Length;
        public ulong First;
        public ulong Last;
        public ulong[]? Positions;
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
        (IFileSystem fs, string directory, bool syncWrites, ILogger logger) = context;
        string path = System.IO.Path.Combine(directory, FileName);
        bool exists = fs.FileExists(path);
        IStorageFile file = fs.Open(path, FileMode.OpenOrCreate, writable: true);
        var table = new TableLog(fs, logger, directory, cache, syncWrites, file);
        try
        {
            if (!exists || file.Length < TableFormat.HeaderSize)
            {
                // New, or a crash before the header was complete: nothing was ever stored.
                Span<byte> header = stackalloc byte[TableFormat.HeaderSize];
                TableFormat.WriteHeader(header, 0);
                file.SetLength(0);
                file.Write(header, 0);
                file.SyncData();
                table.length = TableFormat.HeaderSize;
                if (!exists)
                {
                    fs.SyncDirectory(directory);
                }
            }
            else
            {
                table.Recover();
            }

            return table;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private void Recover()
    {
        byte[] content = new byte[file.Length];
        int read = file.Read(content, 0);
        generation = TableFormat.ReadHeader(content.AsSpan(0, read), file.Path);
        long offset = TableFormat.HeaderSize;
        while (offset < read)
        {
            string? problem = TableFormat.TryReadRecord(content.AsSpan((int)offset, read - (int)offset), out TableFormat.Record record);
            if (problem is not null)
            {
                long declaredEnd = TableFormat.DeclaredEnd(content.AsSpan((int)offset, read - (int)offset), offset);
                if (declaredEnd >= 0 && declaredEnd < read)
                {
                    // A complete record that fails its checks, with more data after it: damage, not a torn write.
                    throw new CorruptionException(file.Path, offset, problem);
                }

                Log.TailTruncated(logger, file.Path, offset, read - offset, problem);
                file.SetLength(offset);
                file.SyncData();
                break;
            }

            Apply(record, offset);
            offset += record.Length;
        }

        length = offset;
    }

    private void Apply(TableFormat.Record record, long offset)
    {
        Forget(record.Name);
        if (record.Kind == TableFormat.KindSet)
        {
            live[record.Name] = new Live
            {
                Offset = offset,
                Length = record.Length,
                First = record.Positions[0],
                Last = record.Positions[^1],
                Positions = cache ? record.Positions : null,
            };
            liveBytes += record.Length;
        }
    }

    private void Forget(string name)
    {
        if (live.Remove(name, out Live old))
        {
            liveBytes -= old.Length;
        }
    }

    /// <summary>Stores <paramref name="positions"/> under <paramref name="name"/> (non-empty, validated by the table).</summary>
    public void Set(string name, ReadOnlySpan<ulong> positions)
    {
        long offset = Append(TableFormat.KindSet, name, positions);
        Forget(name);
        int recordLength = (int)(length - offset);
        live[name] = new Live
        {
            Offset = offset,
            Length = recordLength,
            First = positions[0],
            Last = positions[^1],
            Positions = cache ? positions.ToArray() : null,
        };
        liveBytes += recordLength;
        RewriteIfMostlyDead();
    }

    /// <summary>Removes <paramref name="name"/>; false when it did not exist (nothing is written then).</summary>
    public bool Delete(string name)
    {
        if (!live.ContainsKey(name))
        {
            return false;
        }

        Append(TableFormat.KindDelete, name, []);
        Forget(name);
        RewriteIfMostlyDead();
        return true;
    }

    /// <summary>A copy of the positions under <paramref name="name"/>; empty when missing.</summary>
    public ulong[] Get(string name) => live.TryGetValue(name, out Live entry) ? Positions(name, entry) : [];

    /// <summary>Copies of every live name's positions.</summary>
    public Dictionary<string, ulong[]> All()
    {
        var all = new Dictionary<string, ulong[]>(live.Count, StringComparer.Ordinal);
        foreach ((string name, Live entry) in live)
        {
            all[name] = Positions(name, entry);
        }

        return all;
    }

    /// <summary>The smallest first position and the largest last position over all names.</summary>
    public (ulong Min, ulong Max, bool Found) Range()
    {
        if (live.Count == 0)
        {
            return (0, 0, false);
        }

        ulong min = ulong.MaxValue;
        ulong max = ulong.MinValue;
        foreach (Live entry in live.Values)
        {
            min = Math.Min(min, entry.First);
            max = Math.Max(max, entry.Last);
        }

        return (min, max, true);
    }

    private ulong[] Positions(string name, Live entry)
    {
        if (entry.Positions is not null)
        {
            return (ulong[])entry.Positions.Clone();
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(entry.Length);
        try
        {
            Span<byte> bytes = buffer.AsSpan(0, entry.Length);
            if (file.Read(bytes, entry.Offset) < entry.Length)
            {
                throw new CorruptionException(path, entry.Offset, $"file ends inside the record of '{name}'");
            }

            string? problem = TableFormat.TryReadRecord(bytes, out TableFormat.Record record);
            if (problem is not null || record.Name != name || record.Kind != TableFormat.KindSet)
            {
                throw new CorruptionException(path, entry.Offset, problem ?? $"record does not hold '{name}'");
            }

            return record.Positions;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private long Append(byte kind, string name, ReadOnlySpan<ulong> positions)
    {
        int nameBytes = Encoding.UTF8.GetByteCount(name);
        int recordLength = TableFormat.RecordLength(nameBytes, positions.Length, kind);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(recordLength);
        try
        {
            TableFormat.WriteRecord(buffer, kind, name, nameBytes, positions);
            long offset = length;
            file.AppendOrRollBack(buffer.AsSpan(0, recordLength), offset, syncWrites, ref broken);
            length = offset + recordLength;
            return offset;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void RewriteIfMostlyDead()
    {
        if (length >= MinRewriteBytes && length > RewriteRatio * (liveBytes + TableFormat.HeaderSize))
        {
            Rewrite();
        }
    }

    /// <summary>
    /// Writes the live records to a temporary file, syncs it, renames it over the table file and
    /// syncs the directory. A crash at any step leaves either the old or the new file, each complete.
    /// </summary>
    public void Rewrite()
    {
        string temporary = path + ".tmp";
        IStorageFile rewritten = fs.Open(temporary, FileMode.Create, writable: true);
        try
        {
            var buffer = new ArrayBufferWriter<byte>((int)Math.Min(liveBytes + TableFormat.HeaderSize, 1 << 20));
            TableFormat.WriteHeader(buffer.GetSpan(TableFormat.HeaderSize), generation + 1);
            buffer.Advance(TableFormat.HeaderSize);
            var moved = new List<(string Name, long Offset)>(live.Count);
            foreach ((string name, Live entry) in live)
            {
                ulong[] positions = Positions(name, entry);
                int nameBytes = Encoding.UTF8.GetByteCount(name);
                int recordLength = TableFormat.RecordLength(nameBytes, positions.Length, TableFormat.KindSet);
                moved.Add((name, buffer.WrittenCount));
                TableFormat.WriteRecord(buffer.GetSpan(recordLength), TableFormat.KindSet, name, nameBytes, positions);
                buffer.Advance(recordLength);
            }

            rewritten.Write(buffer.WrittenSpan, 0);
            rewritten.SyncData();
            fs.Rename(temporary, path);
            fs.SyncDirectory(directory);
            foreach ((string name, long offset) in moved)
            {
                Live entry = live[name];
                entry.Offset = offset;
                live[name] = entry;
            }

            file.Dispose();
            file = rewritten;
            length = buffer.WrittenCount;
            generation++;
        }
        catch
        {
            rewritten.Dispose();
            throw;
        }
    }

    /// <summary>Makes every record written so far durable.</summary>
    public void Sync() => file.SyncData();

    /// <summary>Syncs and closes the file.</summary>
    public void Dispose()
    {
        try
        {
            file.SyncData();
        }
        finally
        {
            file.Dispose();
        }
    }
}
