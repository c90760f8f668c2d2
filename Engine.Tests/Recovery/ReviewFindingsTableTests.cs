using Quasar.Storage;
using Quasar.Storage.Tables;
using Quasar.Tests.Support;

namespace Quasar.Tests.Recovery;

/// <summary>
/// The table-side findings of the storage review (shared/reviews/storage-review.md): each test
/// reproduces its finding's recipe and states the behaviour the fix gives.
/// </summary>
public sealed class ReviewFindingsTableTests : IDisposable
{
    private const string Prefix = "t";
    private readonly TempDirectory temp = new();
    private readonly FaultyFileSystem files = new();

    public void Dispose() => temp.Dispose();

    private string TablePath => Path.Combine(temp.Path, StoreNames.Table(Prefix), "table.log");

    // Storage review F2: a power loss can leave the file longer than its data, padded with zeros;
    // eight zero bytes read as a frame whose empty body passes its checksum, and the table used to
    // call the zeros after it damage and refuse to open.
    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(4096)]
    public void A_table_file_ending_in_zeros_opens_with_its_records_and_the_zeros_cut_off(int zeros)
    {
        WriteOneRecordAndClose();
        long length = new FileInfo(TablePath).Length;
        AppendToTable(new byte[zeros]);

        using Db db = Open(syncWrites: false);
        using var table = Table.Open(db, new TableOptions { Prefix = Prefix });

        Assert.Equal([1UL], table.Get("a"));
        Assert.Equal(length, new FileInfo(TablePath).Length);
    }

    // Storage review F2 (variant): an append whose first bytes never reached the disk but whose
    // later bytes did leaves zeros followed by a fragment of a record; no valid record follows
    // the failure, so it is a torn write like any other.
    [Fact]
    public void A_table_file_ending_in_zeros_and_a_record_fragment_opens_with_its_records()
    {
        WriteOneRecordAndClose();
        byte[] file = File.ReadAllBytes(TablePath);
        byte[] record = file[TableFile.HeaderSize..];
        AppendToTable([.. new byte[6], .. record[6..]]);

        using Db db = Open(syncWrites: false);
        using var table = Table.Open(db, new TableOptions { Prefix = Prefix });

        Assert.Equal([1UL], table.Get("a"));
        Assert.Equal(file.Length, new FileInfo(TablePath).Length);
    }

    // Storage review F2: what makes a failure damage is a valid record after it; that still refuses to open.
    [Fact]
    public void A_damaged_table_record_followed_by_a_valid_record_is_still_corruption()
    {
        using (Db db = Open(syncWrites: false))
        using (var table = Table.Open(db, new TableOptions { Prefix = Prefix }))
        {
            table.Set("a", 1);
            table.Set("b", 2);
        }

        byte[] file = File.ReadAllBytes(TablePath);
        file[TableFile.HeaderSize + 8 + 3] ^= 0xFF; // the first record's name
        File.WriteAllBytes(TablePath, file);

        using Db reopened = Open(syncWrites: false);
        CorruptionException error = Assert.Throws<CorruptionException>(() => Table.Open(reopened, new TableOptions { Prefix = Prefix }));
        Assert.Equal(TableFile.HeaderSize, error.Offset);
    }

    // Storage review F2: the queue opens its consumer table on open, so a zero tail there used to stop Queue.Open.
    [Fact]
    public void A_queue_whose_table_file_ends_in_zeros_opens()
    {
        using (Db db = Open(syncWrites: false))
        using (var queue = Queue.Open(db, new QueueOptions { Prefix = "q" }))
        {
            queue.Table.Set("consumer", 5);
        }

        string tableFile = Directory.GetFiles(temp.Path, "table.log", SearchOption.AllDirectories).Single();
        using (var stream = new FileStream(tableFile, FileMode.Append))
        {
            stream.Write(new byte[64]);
        }

        using Db reopened = Open(syncWrites: false);
        using var reopenedQueue = Queue.Open(reopened, new QueueOptions { Prefix = "q" });
        Assert.Equal([5UL], reopenedQueue.Table.Get("consumer"));
    }

    // Storage review F6: a rewrite whose directory sync failed after the rename left the table
    // appending to the old, unlinked file, so every later set was lost at the next open.
    [Fact]
    public void Sets_after_a_rewrite_whose_directory_sync_failed_survive_a_reopen()
    {
        using (Db db = Open(syncWrites: true))
        using (var table = Table.Open(db, new TableOptions { Prefix = Prefix }))
        {
            FillPastTheRewriteSize(table);
            files.Fail = (operation, _) => operation == FileFault.SyncDirectory;
            table.Set("big", 1); // crosses the rewrite threshold; the failed rewrite is logged, not thrown (its record is stored)
            files.Fail = null;

            table.Set("x", ManyPositions); // live enough that this set does not rewrite again
        }

        using (Db db = Open(syncWrites: true))
        using (var table = Table.Open(db, new TableOptions { Prefix = Prefix }))
        {
            Assert.Equal(ManyPositions, table.Get("x"));
            Assert.Equal([1UL], table.Get("big"));
        }
    }

    // Storage review F6: until the rename is durable a power loss can bring the old file back, so
    // the next durable set retries the directory sync before it is acknowledged.
    [Fact]
    public void A_set_after_a_rewrite_whose_directory_sync_failed_is_refused_while_the_directory_cannot_be_synced()
    {
        using Db db = Open(syncWrites: true);
        using var table = Table.Open(db, new TableOptions { Prefix = Prefix });
        FillPastTheRewriteSize(table);
        files.Fail = (operation, _) => operation == FileFault.SyncDirectory;
        table.Set("big", 1); // the failed rewrite is logged, not thrown (its record is stored)

        Assert.Throws<IOException>(() => table.Set("x", 42));
        files.Fail = null;
        Assert.Empty(table.Get("x"));
    }

    /// <summary>Twice the rewrite size in positions.</summary>
    private static ulong[] ManyPositions => [.. Enumerable.Range(1, (int)(TableLog.MinRewriteBytes / 4)).Select(i => (ulong)i)];

    /// <summary>One name holding just over <see cref="TableLog.MinRewriteBytes"/>; setting it to one position then rewrites.</summary>
    private static void FillPastTheRewriteSize(Table table) =>
        table.Set("big", [.. Enumerable.Range(1, (int)(TableLog.MinRewriteBytes / 8) + 16).Select(i => (ulong)i)]);

    private void WriteOneRecordAndClose()
    {
        using Db db = Open(syncWrites: false);
        using var table = Table.Open(db, new TableOptions { Prefix = Prefix });
        table.Set("a", 1);
    }

    private void AppendToTable(byte[] bytes)
    {
        using var stream = new FileStream(TablePath, FileMode.Append);
        stream.Write(bytes);
    }

    private Db Open(bool syncWrites) =>
        Db.Open(temp.Path, new DbOptions { SyncWrites = syncWrites, FileSystem = files });
}
