using Quasar.Tests.Support;

namespace Quasar.Tests.Contracts;

/// <summary>
/// The worker contract for a cleaner of a ledger holding entries 1..3, guided by the table, with
/// its next periodic pass an hour away. A cleaner has no task to observe: how it stopped is what
/// it reported to <c>Errors</c> (synchronously, before the dispose that stopped it returned).
/// </summary>
public sealed class CleanerWorkerContractTests : WorkerContract
{
    private Cleaner? cleaner;

    /// <inheritdoc />
    protected override bool UsesTable => true;

    private Cleaner Cleaner => cleaner ?? throw new InvalidOperationException("not started");

    /// <inheritdoc />
    protected override Task StartAsync()
    {
        Ledger.Write(TestEntries.Range(1, 3));
        cleaner = new Cleaner(Ledger, new CleanerOptions { Interval = TimeSpan.FromHours(1), Tables = [Table], Errors = Errors.Enqueue });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override ValueTask DisposeWorkerAsync() => new(Task.Run(() => cleaner?.Dispose())); // Dispose waits for a pass: off the test thread, so the wait is bounded

    /// <inheritdoc />
    protected override Task<Exception?> OutcomeAsync() => Task.FromResult(Errors.TryPeek(out Exception? error) ? error : null);

    /// <inheritdoc />
    protected override Task<bool> OfferWorkAsync() => Task.Run(() =>
    {
        try
        {
            Cleaner.Clean();
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    });
}
