using System.Collections.Concurrent;
using Quasar.Tests.Support;

namespace Quasar.Tests.Cleaners;

public sealed class CleanerDisposeTests : IDisposable
{
    private readonly TestDb db = new();

    public void Dispose() => db.Dispose();

    [Fact]
    public async Task Dispose_stops_periodic_cleaning()
    {
        using Ledger ledger = db.Ledger();
        var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = TimeSpan.FromMilliseconds(20) });

        await Task.Run(cleaner.Dispose).Within();
        ledger.Write(TestEntries.Range(1, 10));
        await Task.Delay(200); // ten intervals

        Assert.Equal(10, ledger.Length);
    }

    [Fact]
    public async Task Dispose_with_a_long_Interval_returns_without_waiting_for_the_next_pass()
    {
        using Ledger ledger = db.Ledger();
        var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = TimeSpan.FromHours(1) });

        // Bounded far below the interval: a Dispose that waited for the next tick would fail here.
        await Task.Run(cleaner.Dispose).Within();
    }

    [Fact]
    public async Task Dispose_is_idempotent()
    {
        using Ledger ledger = db.Ledger();
        var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = TimeSpan.FromHours(1) });

        await Task.Run(() =>
        {
            cleaner.Dispose();
            cleaner.Dispose();
        }).Within();
    }

    [Fact]
    public async Task Clean_after_Dispose_throws_ObjectDisposedException()
    {
        using Ledger ledger = db.Ledger();
        ledger.Write(TestEntries.Range(1, 3));
        var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = TimeSpan.FromHours(1) });
        await Task.Run(cleaner.Dispose).Within();

        Assert.Throws<ObjectDisposedException>(() => cleaner.Clean());
        Assert.Equal(3, ledger.Length);
    }

    [Fact]
    public async Task Db_Dispose_stops_its_cleaners()
    {
        Ledger ledger = db.Ledger();
        ledger.Write(TestEntries.Range(1, 3));
        using var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = TimeSpan.FromHours(1) });

        await Task.Run(db.Db.Dispose).Within();

        Assert.Throws<ObjectDisposedException>(() => cleaner.Clean());
    }

    [Fact]
    public async Task Db_Dispose_is_an_orderly_stop_that_reports_nothing_to_Errors()
    {
        Ledger ledger = db.Ledger();
        Table table = db.Table();
        var errors = new ConcurrentQueue<Exception>();
        using var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = TimeSpan.FromMilliseconds(20), Tables = [table], Errors = errors.Enqueue });

        await Task.Run(db.Db.Dispose).Within();
        await Task.Delay(100);

        Assert.Empty(errors);
    }

    [Fact]
    public async Task Dispose_after_Db_Dispose_does_not_throw()
    {
        Ledger ledger = db.Ledger();
        var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = TimeSpan.FromMilliseconds(20) });
        await Task.Run(db.Db.Dispose).Within();

        await Task.Run(cleaner.Dispose).Within();
    }

    [Fact]
    public async Task Clean_after_a_table_it_uses_is_disposed_throws_ObjectDisposedException()
    {
        using Ledger ledger = db.Ledger();
        ledger.Write(TestEntries.Range(1, 3));
        Table table = db.Table();
        using var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = TimeSpan.FromHours(1), Tables = [table] });

        await Task.Run(table.Dispose).Within();

        Assert.Throws<ObjectDisposedException>(() => cleaner.Clean());
        Assert.Equal(3, ledger.Length);
    }

    [Fact]
    public async Task Constructing_a_cleaner_on_a_disposed_database_throws_ObjectDisposedException()
    {
        Ledger ledger = db.Ledger();
        await Task.Run(db.Db.Dispose).Within();

        Assert.Throws<ObjectDisposedException>(() => new Cleaner(ledger, new CleanerOptions { Interval = TimeSpan.FromHours(1) }));
    }
}
