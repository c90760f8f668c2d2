using System.Collections.Concurrent;
using Quasar.Tests.Support;

namespace Quasar.Tests.Contracts;

/// <summary>
/// What every background worker (<see cref="Producer"/>, <see cref="Consumer"/>, <see cref="Cleaner"/>)
/// promises about stopping (API.md: Db.Dispose, "A ledger or table disposed while producers,
/// consumers or cleaners still use it"): its own dispose and the database's are orderly stops,
/// idempotent and safe in any order; a store disposed under it stops it with
/// <see cref="ObjectDisposedException"/>; once stopped it takes no more work. Each worker runs these
/// tests through a small derived class that starts it with work in progress and reports how that
/// work ended.
/// </summary>
public abstract class WorkerContract : IAsyncDisposable
{
    private readonly TestDb db = new();

    /// <summary>Opens the ledger and the table the worker runs on.</summary>
    protected WorkerContract()
    {
        Ledger = db.Ledger();
        Table = db.Table();
    }

    /// <summary>The ledger the worker uses.</summary>
    protected Ledger Ledger { get; }

    /// <summary>The table a worker that keeps positions uses.</summary>
    protected Table Table { get; }

    /// <summary>What the worker reported to its <c>Errors</c> callback (a producer has none).</summary>
    protected ConcurrentQueue<Exception> Errors { get; } = new();

    /// <summary>Whether the worker uses <see cref="Table"/>.</summary>
    protected abstract bool UsesTable { get; }

    /// <summary>How work in progress ends in an orderly stop: null (it completes), or the exception type it fails with.</summary>
    protected virtual Type? OrderlyOutcome => null;

    /// <summary>Starts the worker on <see cref="Ledger"/> (and <see cref="Table"/>), wired to <see cref="Errors"/>, with work in progress.</summary>
    protected abstract Task StartAsync();

    /// <summary>The worker's own dispose.</summary>
    protected abstract ValueTask DisposeWorkerAsync();

    /// <summary>Once the worker stopped: how its work in progress ended (null: without error).</summary>
    protected abstract Task<Exception?> OutcomeAsync();

    /// <summary>Offers the worker one more piece of work; true if it took it.</summary>
    protected abstract Task<bool> OfferWorkAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await DisposeWorkerAsync().Within();
            await Task.Run(db.Dispose).Within();
        }
        finally
        {
            GC.SuppressFinalize(this);
        }
    }

    [Fact]
    public async Task Db_Dispose_is_an_orderly_stop()
    {
        await StartAsync();

        await Task.Run(db.Db.Dispose).Within();

        await AssertOrderlyStopAsync();
    }

    [Fact]
    public async Task Dispose_is_an_orderly_stop()
    {
        await StartAsync();

        await DisposeWorkerAsync().Within();

        await AssertOrderlyStopAsync();
    }

    [Fact]
    public async Task After_Db_Dispose_it_takes_no_more_work()
    {
        await StartAsync();

        await Task.Run(db.Db.Dispose).Within();

        Assert.False(await OfferWorkAsync().Within());
    }

    [Fact]
    public async Task After_Dispose_it_takes_no_more_work()
    {
        await StartAsync();

        await DisposeWorkerAsync().Within();

        Assert.False(await OfferWorkAsync().Within());
    }

    [Fact]
    public async Task Disposing_its_ledger_stops_it_with_ObjectDisposedException()
    {
        await StartAsync();

        await Task.Run(Ledger.Dispose).Within();

        Assert.IsType<ObjectDisposedException>(await OutcomeAsync().Within());
        Assert.False(await OfferWorkAsync().Within());
    }

    [Fact]
    public async Task Disposing_a_table_stops_it_with_ObjectDisposedException_exactly_when_it_uses_the_table()
    {
        await StartAsync();

        await Task.Run(Table.Dispose).Within();

        if (UsesTable)
        {
            Assert.IsType<ObjectDisposedException>(await OutcomeAsync().Within());
            Assert.False(await OfferWorkAsync().Within());
        }
        else
        {
            Assert.True(await OfferWorkAsync().Within());
        }
    }

    [Fact]
    public async Task Dispose_is_idempotent()
    {
        await StartAsync();

        await DisposeWorkerAsync().Within();
        await DisposeWorkerAsync().Within();
    }

    [Fact]
    public async Task Concurrent_Dispose_calls_all_complete()
    {
        await StartAsync();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () => await DisposeWorkerAsync()))).Within();

        await AssertOrderlyStopAsync();
    }

    [Fact]
    public async Task Dispose_after_Db_Dispose_does_not_throw()
    {
        await StartAsync();
        await Task.Run(db.Db.Dispose).Within();

        await DisposeWorkerAsync().Within();
    }

    [Fact]
    public async Task Dispose_after_its_ledger_was_disposed_does_not_throw()
    {
        await StartAsync();
        await Task.Run(Ledger.Dispose).Within();

        await DisposeWorkerAsync().Within();
    }

    private async Task AssertOrderlyStopAsync()
    {
        Exception? outcome = await OutcomeAsync().Within();
        Assert.Equal(OrderlyOutcome, outcome?.GetType());
        Assert.Empty(Errors);
    }
}
