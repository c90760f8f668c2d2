using Quasar.Tests.Support;
using static Quasar.Tests.Support.LedgerProbe;

namespace Quasar.Tests.Databases;

public sealed class DbDisposeTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Dispose_is_idempotent()
    {
        var db = Db.Open(temp.Path);

        db.Dispose();
        db.Dispose();
    }

    [Fact]
    public void Dispose_releases_the_directory_lock()
    {
        var db = Db.Open(temp.Path);

        db.Dispose();

        using var again = Db.Open(temp.Path);
    }

    [Fact]
    public void Sync_after_Dispose_throws_ObjectDisposedException()
    {
        var db = Db.Open(temp.Path);
        db.Dispose();

        Assert.Throws<ObjectDisposedException>(db.Sync);
    }

    [Fact]
    public void Opening_a_ledger_on_a_disposed_Db_throws_ObjectDisposedException_and_creates_nothing()
    {
        var db = Db.Open(temp.Path);
        db.Dispose();

        Assert.Throws<ObjectDisposedException>(() => Ledger.Open(db, new LedgerOptions { Prefix = "l" }));

        Assert.Empty(Directory.GetDirectories(temp.Path));
    }

    [Fact]
    public void Dispose_closes_every_open_ledger_so_their_calls_throw_ObjectDisposedException()
    {
        var db = Db.Open(temp.Path);
        var first = Ledger.Open(db, new LedgerOptions { Prefix = "first" });
        var second = Ledger.Open(db, new LedgerOptions { Prefix = "second", Cache = 5 });

        db.Dispose();

        Assert.Throws<ObjectDisposedException>(() => first.Write(EntriesOf(1)));
        Assert.Throws<ObjectDisposedException>(() => second.Read(0, 1));
        Assert.Throws<ObjectDisposedException>(() => second.Length);
    }

    [Fact]
    public void Ledger_Dispose_after_Db_Dispose_does_nothing()
    {
        var db = Db.Open(temp.Path);
        var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "l" });
        db.Dispose();

        ledger.Dispose();
        ledger.Dispose();
    }

    [Fact]
    public void Dispose_after_the_ledgers_were_disposed_succeeds()
    {
        var db = Db.Open(temp.Path);
        Ledger.Open(db, new LedgerOptions { Prefix = "l" }).Dispose();

        db.Dispose();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Dispose_persists_what_open_ledgers_wrote_and_deleted(bool syncWrites)
    {
        var options = new DbOptions { SyncWrites = syncWrites, SegmentSize = 200 };
        var db = Db.Open(temp.Path, options);
        var first = Ledger.Open(db, new LedgerOptions { Prefix = "first" });
        var second = Ledger.Open(db, new LedgerOptions { Prefix = "second" });
        foreach (Entry[] batch in TestEntries.Range(1, 30).Chunk(4))
        {
            first.Write(batch);
        }

        first.Delete(12);
        second.Write(EntriesOf(5, 6));

        db.Dispose();

        using var reopened = Db.Open(temp.Path, options);
        using var firstAgain = Ledger.Open(reopened, new LedgerOptions { Prefix = "first" });
        using var secondAgain = Ledger.Open(reopened, new LedgerOptions { Prefix = "second" });
        AssertState(firstAgain, 30, 12, Run(13, 18));
        AssertState(secondAgain, 6, 0, 5, 6);
    }

    [Fact]
    public void A_ledger_opened_and_disposed_after_a_Db_reopen_is_independent_of_the_old_Db()
    {
        var old = Db.Open(temp.Path);
        var stale = Ledger.Open(old, new LedgerOptions { Prefix = "l" });
        stale.Write(EntriesOf(1));
        old.Dispose();

        using var db = Db.Open(temp.Path);
        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "l" });
        stale.Dispose();
        ledger.Write(EntriesOf(2));

        AssertState(ledger, 2, 0, 1, 2);
    }
}
