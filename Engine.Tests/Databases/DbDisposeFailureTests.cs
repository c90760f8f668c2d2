using Quasar.Tests.Support;

namespace Quasar.Tests.Databases;

/// <summary>
/// Closing when a store's final sync fails: every other store is still synced and closed before
/// the directory lock is released, and the failure reaches the caller.
/// </summary>
public sealed class DbDisposeFailureTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly FaultyFileSystem files = new();

    public void Dispose() => temp.Dispose();

    // Storage review F7: Db.Dispose stopped at the first store that threw and released the lock
    // with the others still open and writable, so a second Db could write the same files.
    [Fact]
    public void A_store_whose_close_fails_does_not_leave_the_other_stores_open()
    {
        Db db = Open();
        var failing = Ledger.Open(db, new LedgerOptions { Prefix = "a" });
        var other = Ledger.Open(db, new LedgerOptions { Prefix = "b" });
        var table = Table.Open(db, new TableOptions { Prefix = "t" });
        failing.Write(TestEntries.Range(1, 2));
        other.Write(TestEntries.Range(1, 2));
        files.Fail = (operation, path) => operation == FileFault.SyncData && path.Contains("ledger-a", StringComparison.Ordinal);

        Assert.Throws<IOException>(db.Dispose);
        files.Fail = null;

        Assert.Throws<ObjectDisposedException>(() => other.Write(TestEntries.Range(3, 1)));
        Assert.Throws<ObjectDisposedException>(() => table.Set("x", 1));
    }

    // Storage review F7: Queue.Dispose had the same shape; a ledger that failed to close left the table open.
    [Fact]
    public void A_queue_whose_ledger_fails_to_close_still_closes_its_table()
    {
        using Db db = Open();
        var queue = Queue.Open(db, new QueueOptions { Prefix = "q" });
        queue.Ledger.Write(TestEntries.Range(1, 2));
        files.Fail = (operation, path) => operation == FileFault.SyncData && path.EndsWith(".seg", StringComparison.Ordinal);

        Assert.Throws<IOException>(queue.Dispose);
        files.Fail = null;

        Assert.Throws<ObjectDisposedException>(() => queue.Table.Set("x", 1));
    }

    private Db Open() => Db.Open(temp.Path, new DbOptions { FileSystem = files });
}
