using Quasar.Tests.Support;
using static Quasar.Tests.Recovery.LedgerFiles;

namespace Quasar.Tests.Recovery;

/// <summary>
/// A ledger remembers the last write its storage refused, the signal of the hosting health check's
/// "store refuses writes": a refused delete and a refused sync count as well as a refused append.
/// </summary>
public sealed class WriteRefusalTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly FaultyFileSystem files = new();
    private readonly Db db;
    private readonly Ledger ledger;

    public WriteRefusalTests()
    {
        db = Db.Open(Path.Combine(temp.Path, "db"), new DbOptions { FileSystem = files });
        ledger = Ledger.Open(db, new LedgerOptions { Prefix = LedgerFiles.Prefix });
        ledger.Write(Batch(1, 10));
    }

    public void Dispose()
    {
        files.Fail = null;
        ledger.Dispose();
        db.Dispose();
        temp.Dispose();
    }

    [Fact]
    public void A_delete_whose_tail_write_fails_is_remembered_as_a_refusal()
    {
        files.Fail = (fault, path) => fault == FileFault.Write && Path.GetFileName(path) == "tail";

        Assert.Throws<IOException>(() => ledger.Delete(5));

        Assert.IsType<IOException>(ledger.Refusal.Last, exactMatch: false);
    }

    [Fact]
    public void A_sync_that_fails_is_remembered_as_a_refusal()
    {
        files.Fail = (fault, _) => fault == FileFault.SyncData;

        Assert.Throws<IOException>(db.Sync);

        Assert.IsType<IOException>(ledger.Refusal.Last, exactMatch: false);
    }

    [Fact]
    public void A_delete_that_succeeds_after_a_refusal_clears_it()
    {
        files.Fail = (fault, path) => fault == FileFault.Write && Path.GetFileName(path) == "tail";
        Assert.Throws<IOException>(() => ledger.Delete(5));
        files.Fail = null;

        ledger.Delete(5);

        Assert.Null(ledger.Refusal.Last);
    }
}
