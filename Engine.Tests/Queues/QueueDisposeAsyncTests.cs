using Quasar.Tests.Support;
using static Quasar.Tests.Support.LedgerProbe;

namespace Quasar.Tests.Queues;

/// <summary>Queue.DisposeAsync (issue 14): the end state of Dispose, reached without blocking while workers stop.</summary>
public sealed class QueueDisposeAsyncTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly Db db;

    public QueueDisposeAsyncTests() => db = Db.Open(temp.Path);

    public void Dispose()
    {
        db.Dispose();
        temp.Dispose();
    }

    [Fact]
    public async Task DisposeAsync_closes_the_producers_and_consumers_it_created()
    {
        var queue = Queue.Open(db, new QueueOptions { Prefix = "q" });
        Producer producer = queue.CreateProducer(new ProducerOptions());
        Consumer consumer = queue.CreateConsumer(new ConsumerOptions { Name = "c" });

        await queue.DisposeAsync().Within();

        Assert.False(producer.Write(TestEntries.Make(1)));
        Assert.True(consumer.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task DisposeAsync_closes_the_ledger_and_table_and_releases_their_prefixes()
    {
        var queue = Queue.Open(db, new QueueOptions { Prefix = "q", CleanInterval = TimeSpan.FromHours(1) });

        await queue.DisposeAsync().Within();

        Assert.Throws<ObjectDisposedException>(() => queue.Ledger.Write(EntriesOf(1)));
        Assert.Throws<ObjectDisposedException>(() => queue.Table.Get("c"));
        using var again = Queue.Open(db, new QueueOptions { Prefix = "q" });
    }

    [Fact]
    public async Task DisposeAsync_is_idempotent_and_interoperates_with_Dispose()
    {
        var first = Queue.Open(db, new QueueOptions { Prefix = "first" });
        await first.DisposeAsync().Within();
        await first.DisposeAsync().Within();
        first.Dispose();

        var second = Queue.Open(db, new QueueOptions { Prefix = "second" });
        second.Dispose();
        await second.DisposeAsync().Within();
    }

    [Fact]
    public async Task CreateConsumer_after_DisposeAsync_throws_ObjectDisposedException()
    {
        var queue = Queue.Open(db, new QueueOptions { Prefix = "q" });

        await queue.DisposeAsync().Within();

        Assert.Throws<ObjectDisposedException>(() => queue.CreateConsumer(new ConsumerOptions()));
    }
}
