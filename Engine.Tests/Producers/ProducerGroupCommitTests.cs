using System.Text;
using Quasar.Tests.Support;

namespace Quasar.Tests.Producers;

/// <summary>
/// Group commit (issue 13, W7): with SyncWrites, the entries of many concurrent
/// <see cref="Producer.WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/> callers that the
/// producer collects into one batch reach the disk as one data write and one data sync, not one
/// each. The syncs and writes are counted through the tests' file-system wrapper.
/// </summary>
public sealed class ProducerGroupCommitTests : IDisposable
{
    private const int Writers = 64;

    private readonly TempDirectory temp = new();
    private readonly FaultyFileSystem files = new();
    private readonly Db db;
    private readonly Ledger ledger;

    public ProducerGroupCommitTests()
    {
        db = Db.Open(temp.Path, new DbOptions { SyncWrites = true, FileSystem = files });
        ledger = Ledger.Open(db, new LedgerOptions { Prefix = "group" });
        ledger.Write(new Entry(1, Payload(0))); // the segment exists: what follows is steady state
    }

    public void Dispose()
    {
        ledger.Dispose();
        db.Dispose();
        temp.Dispose();
    }

    private static ReadOnlyMemory<byte> Payload(int writer) => Encoding.ASCII.GetBytes($"writer-{writer}");

    /// <summary>The data writes and data syncs (of any file, mapped or not) among <paramref name="calls"/>.</summary>
    private static (int Writes, int Syncs) Count(IReadOnlyList<FileCall> calls) =>
        (calls.Count(c => c.Operation == FileFault.Write), calls.Count(c => c.Operation is FileFault.SyncData or FileFault.MappedSync));

    [Fact]
    public async Task A_full_batch_of_concurrent_writers_is_one_write_and_one_sync()
    {
        await using var producer = new Producer(ledger, new ProducerOptions { Batch = Writers, Timeout = TimeSpan.FromHours(1) });
        files.StartRecording();

        // The batch goes out only when full (the timeout is an hour): all 64 in one Ledger.Write.
        using var start = new ManualResetEventSlim();
        Task[] writers = Enumerable.Range(1, Writers).Select(i => Task.Run(async () =>
        {
            start.Wait();
            await producer.WriteAsync(Payload(i));
        })).ToArray();
        start.Set();
        await Task.WhenAll(writers).Within();

        Assert.Equal((1, 1), Count(files.StopRecording()));
        Assert.Equal(1 + Writers, ledger.Length);
    }

    [Fact]
    public async Task Writers_that_queue_during_a_sync_share_the_next_write_and_sync()
    {
        using var syncing = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        files.Fail = (operation, _) =>
        {
            if (operation == FileFault.SyncData && !syncing.IsSet)
            {
                syncing.Set(); // the first sync holds the producer's loop until the others are queued
                release.Wait(Bounded.Limit);
            }

            return false;
        };
        await using var producer = new Producer(ledger, new ProducerOptions { Batch = Writers, Timeout = TimeSpan.Zero });
        files.StartRecording();

        Task<ulong> first = producer.WriteAsync(Payload(1));
        Assert.True(syncing.Wait(Bounded.Limit), "the first write never reached its sync");
        Task<ulong>[] queued = Enumerable.Range(2, Writers - 1).Select(i => producer.WriteAsync(Payload(i))).ToArray();
        release.Set();
        await first.Within();
        await Task.WhenAll(queued).Within();

        Assert.Equal((2, 2), Count(files.StopRecording()));
        Assert.Equal(1 + Writers, ledger.Length);
    }
}
