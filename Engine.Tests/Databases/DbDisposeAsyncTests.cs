using Quasar.Tests.Support;
using static Quasar.Tests.Support.LedgerProbe;

namespace Quasar.Tests.Databases;

/// <summary>Db.DisposeAsync (issue 14): the end state of Dispose, reached without blocking while workers stop.</summary>
public sealed class DbDisposeAsyncTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task DisposeAsync_releases_the_directory_lock()
    {
        var db = Db.Open(temp.Path);

        await db.DisposeAsync().Within();

        using var again = Db.Open(temp.Path);
    }

    [Fact]
    public async Task DisposeAsync_is_idempotent()
    {
        var db = Db.Open(temp.Path);

        await db.DisposeAsync().Within();
        await db.DisposeAsync().Within();
    }

    [Fact]
    public async Task Dispose_after_DisposeAsync_does_nothing_and_the_reverse_too()
    {
        var first = Db.Open(temp.Path);
        await first.DisposeAsync().Within();
        first.Dispose();

        var second = Db.Open(temp.Path);
        second.Dispose();
        await second.DisposeAsync().Within();
    }

    [Fact]
    public async Task DisposeAsync_closes_every_open_ledger()
    {
        var db = Db.Open(temp.Path);
        var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "l" });

        await db.DisposeAsync().Within();

        Assert.Throws<ObjectDisposedException>(() => ledger.Write(EntriesOf(1)));
    }

    [Fact]
    public async Task DisposeAsync_stops_consumers_which_complete_normally()
    {
        var db = Db.Open(temp.Path);
        var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "l" });
        var table = Table.Open(db, new TableOptions { Prefix = "t" });
        var consumer = new Consumer(ledger, table, new ConsumerOptions { Name = "c" });

        await db.DisposeAsync().Within();

        Assert.True(consumer.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task DisposeAsync_persists_the_marks_a_consumer_held_for_Skip()
    {
        using (var db = Db.Open(temp.Path))
        {
            var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "l" });
            var table = Table.Open(db, new TableOptions { Prefix = "t" });
            ledger.Write(EntriesOf(1, 2));
            var consumer = new Consumer(ledger, table, new ConsumerOptions { Name = "c", Start = 1, Window = 4, Skip = 3 });
            Entry first = await consumer.Entries.ReadAsync().AsTask().Within();
            Task held = consumer.MarkAsync(first.Sequence);

            await db.DisposeAsync().Within();

            await held.Within();
        }

        using var reopened = Db.Open(temp.Path);
        using var stored = Table.Open(reopened, new TableOptions { Prefix = "t" });
        Assert.Equal([1UL], stored.Get("c"));
    }

    [Fact]
    public async Task DisposeAsync_stops_a_cleaner_so_it_reports_no_error()
    {
        var errors = new List<Exception>();
        var db = Db.Open(temp.Path);
        var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "l" });
        using var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = TimeSpan.FromHours(1), Errors = errors.Add });

        await db.DisposeAsync().Within();

        Assert.Throws<ObjectDisposedException>(() => cleaner.Clean());
        Assert.Empty(errors);
    }
}
