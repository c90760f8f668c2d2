using Quasar.Tests.Support;

namespace Quasar.Tests.Cleaners;

/// <summary>
/// A position stored while a cleaner pass runs: API.md promises that a named consumer persists
/// Start-1 before its constructor returns, "so a cleaner cannot delete from under it".
/// </summary>
public sealed class CleanerConcurrentConsumerTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly FaultyFileSystem files = new();

    public void Dispose() => temp.Dispose();

    // Storage review F9: the pass read the tables' range, then synced them and deleted; a position
    // stored in between was ignored, and the entries above it were deleted after it was stored.
    [Fact]
    public async Task A_position_stored_while_a_pass_deletes_is_not_deleted_from_under()
    {
        using Db db = Db.Open(temp.Path, new DbOptions { FileSystem = files });
        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "l" });
        using var table = Table.Open(db, new TableOptions { Prefix = "t" });
        ledger.Write(TestEntries.Range(1, 10));
        using var cleaner = new Cleaner(ledger, new CleanerOptions { Retention = 0, Interval = TimeSpan.FromHours(1), Tables = [table] });

        // The pass's tail write is the moment its deletion takes effect: a consumer created then
        // stores Start-1 = 3 from its own thread (not the pool, which may have no thread free),
        // given a while to finish before the pass goes on.
        Task? store = null;
        bool storedBeforeTheDeletion = false;
        files.Fail = (operation, path) =>
        {
            if (operation == FileFault.Write && path.EndsWith("tail", StringComparison.Ordinal) && store is null)
            {
                store = Task.Factory.StartNew(() => table.Set("consumer", 3), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
                storedBeforeTheDeletion = store.Wait(TimeSpan.FromMilliseconds(500));
            }

            return false;
        };

        cleaner.Clean();
        files.Fail = null;
        await store!;

        // Either the store waited for the pass (and came after its deletion), or the pass kept 4 onwards.
        Assert.False(storedBeforeTheDeletion && ledger.Tail > 3, $"position 3 was stored during the pass, which then deleted up to {ledger.Tail}");
    }
}
