using System.Collections.Concurrent;
using Quasar.Tests.Support;
using static Quasar.Tests.Support.ConsumerProbe;

namespace Quasar.Tests.Queues;

public sealed class QueueTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly Db db;

    public QueueTests() => db = Db.Open(temp.Path);

    public void Dispose()
    {
        Task.Run(db.Dispose).Within().GetAwaiter().GetResult();
        temp.Dispose();
    }

    private Queue Open(string prefix = "orders", TimeSpan cleanInterval = default) =>
        Queue.Open(db, new QueueOptions { Prefix = prefix, CleanInterval = cleanInterval });

    // ---- stores ----

    [Fact]
    public void Open_creates_a_ledger_named_prefix_colon_l_and_a_table_named_prefix_colon_t()
    {
        using Queue queue = Open("orders");

        Assert.Equal("orders:l", queue.Ledger.Options.Prefix);
        Assert.Equal("orders:t", queue.Table.Options.Prefix);
    }

    [Fact]
    public void Opening_a_ledger_with_the_queues_ledger_prefix_on_the_same_Db_throws_InvalidOperationException()
    {
        using Queue queue = Open("orders");

        Assert.Throws<InvalidOperationException>(() => Ledger.Open(db, new LedgerOptions { Prefix = "orders:l" }));
    }

    [Fact]
    public void Opening_a_table_with_the_queues_table_prefix_on_the_same_Db_throws_InvalidOperationException()
    {
        using Queue queue = Open("orders");

        Assert.Throws<InvalidOperationException>(() => Table.Open(db, new TableOptions { Prefix = "orders:t" }));
    }

    [Fact]
    public void Opening_the_same_queue_twice_on_one_Db_throws_InvalidOperationException()
    {
        using Queue queue = Open("orders");

        Assert.Throws<InvalidOperationException>(() => Open("orders"));
    }

    [Fact]
    public void A_queue_whose_table_prefix_is_taken_throws_InvalidOperationException_and_releases_its_ledger()
    {
        Ledger squatter = Ledger.Open(db, new LedgerOptions { Prefix = "orders:t" });

        Assert.Throws<InvalidOperationException>(() => Open("orders"));

        using (Ledger.Open(db, new LedgerOptions { Prefix = "orders:l" }))
        {
            // the queue's ledger prefix was released
        }

        squatter.Dispose();
        using Queue queue = Open("orders");
    }

    [Fact]
    public void Queues_with_different_prefixes_are_independent()
    {
        using Queue first = Open("first");
        using Queue second = Open("second");

        first.Ledger.Write(EntriesOf(1, 2));

        Assert.Equal(2, first.Ledger.Length);
        Assert.Equal(0, second.Ledger.Length);
    }

    [Fact]
    public void A_disposed_queue_releases_its_prefixes_and_its_data_persists()
    {
        Queue queue = Open("orders");
        queue.Ledger.Write(EntriesOf(1, 2, 3));
        queue.Table.Set("c", 2);

        queue.Dispose();

        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "orders:l" });
        using var table = Table.Open(db, new TableOptions { Prefix = "orders:t" });
        Assert.Equal([1UL, 2UL, 3UL], Live(ledger));
        Assert.Equal([2UL], table.Get("c"));
    }

    [Fact]
    public void A_reopened_queue_sees_what_was_written_before()
    {
        using (Queue queue = Open("orders"))
        {
            queue.Ledger.Write(EntriesOf(1, 2));
            queue.Table.Set("c", 1);
        }

        using Queue again = Open("orders");

        Assert.Equal([1UL, 2UL], Live(again.Ledger));
        Assert.Equal([1UL], again.Table.Get("c"));
    }

    // ---- options ----

    [Fact]
    public void A_prefix_of_99_characters_throws_ArgumentException()
    {
        Assert.Throws<ArgumentException>(() => Open(new string('q', 99)));
    }

    [Fact]
    public void A_prefix_of_98_characters_is_accepted()
    {
        string prefix = new('q', 98);

        using Queue queue = Open(prefix);

        Assert.Equal(prefix + ":l", queue.Ledger.Options.Prefix);
        Assert.Equal(prefix + ":t", queue.Table.Options.Prefix);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("with space")]
    public void An_invalid_prefix_throws_ArgumentException(string prefix)
    {
        Assert.Throws<ArgumentException>(() => Open(prefix));
    }

    [Fact]
    public void A_negative_CleanInterval_throws_ArgumentOutOfRangeException_and_claims_nothing()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Open("orders", TimeSpan.FromMilliseconds(-1)));

        using Queue queue = Open("orders");
    }

    [Fact]
    public void A_negative_CleanRetention_throws_ArgumentOutOfRangeException()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Queue.Open(db, new QueueOptions { Prefix = "orders", CleanRetention = -1 }));
    }

    [Fact]
    public void A_negative_CleanThreshold_throws_ArgumentOutOfRangeException()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Queue.Open(db, new QueueOptions { Prefix = "orders", CleanThreshold = -1 }));
    }

    [Fact]
    public void A_negative_LedgerCache_throws_ArgumentOutOfRangeException_and_claims_nothing()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Queue.Open(db, new QueueOptions { Prefix = "orders", LedgerCache = -1 }));

        using Queue queue = Open("orders");
    }

    [Fact]
    public void LedgerLimit_limits_the_queues_ledger()
    {
        using Queue queue = Queue.Open(db, new QueueOptions { Prefix = "orders", LedgerLimit = 2 });

        Assert.Throws<LimitReachedException>(() => queue.Ledger.Write(EntriesOf(1, 2, 3)));
    }

    // ---- cleaner ----

    [Fact]
    public async Task With_CleanInterval_zero_there_is_no_cleaner()
    {
        using Queue queue = Open("orders");
        queue.Ledger.Write(EntriesOf(1, 2, 3, 4));

        await Task.Delay(ConsumerProbe.Quiet);

        Assert.Equal(4, queue.Ledger.Length);
    }

    [Fact]
    public async Task With_a_CleanInterval_the_cleaner_deletes_entries_every_consumer_has_marked()
    {
        using Queue queue = Open("orders", TimeSpan.FromMilliseconds(50));
        Consumer consumer = queue.CreateConsumer(new ConsumerOptions { Name = "c", Window = 10 });
        queue.Ledger.Write(EntriesOf(1, 2, 3, 4, 5));
        await consumer.Entries.ReadAsync(5);

        await consumer.MarkAsync(3, cumulative: true).Within();

        await Bounded.Until(() => queue.Ledger.Tail == 3, "the cleaner deletes through the consumer's position");
        await Task.Delay(ConsumerProbe.Quiet);
        Assert.Equal(3UL, queue.Ledger.Tail);
    }

    [Fact]
    public async Task CleanRetention_keeps_that_many_entries()
    {
        using Queue queue = Queue.Open(db, new QueueOptions { Prefix = "orders", CleanInterval = TimeSpan.FromMilliseconds(50), CleanRetention = 3 });
        queue.Ledger.Write(EntriesOf(1, 2, 3, 4, 5, 6, 7, 8));

        await Bounded.Until(() => queue.Ledger.Length == 3, "the cleaner keeps the retention");

        Assert.Equal([6UL, 7UL, 8UL], Live(queue.Ledger));
    }

    [Fact]
    public async Task CleanThreshold_deletes_beyond_a_consumers_position()
    {
        using Queue queue = Queue.Open(db, new QueueOptions { Prefix = "orders", CleanInterval = TimeSpan.FromMilliseconds(50), CleanThreshold = 4 });
        queue.CreateConsumer(new ConsumerOptions { Name = "slow", Window = 10 });
        queue.Ledger.Write(EntriesOf(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));

        await Bounded.Until(() => queue.Ledger.Length == 4, "threshold cleaning leaves Threshold entries");

        Assert.Equal(6UL, queue.Ledger.Tail);
    }

    // ---- producers and consumers ----

    [Fact]
    public async Task A_producer_and_a_named_consumer_created_by_the_queue_exchange_entries_and_store_positions_in_its_table()
    {
        using Queue queue = Open("orders");
        Producer producer = queue.CreateProducer(new ProducerOptions { Batch = 10 });
        Consumer consumer = queue.CreateConsumer(new ConsumerOptions { Name = "c", Window = 10 });

        foreach (ulong sequence in Run(1, 5))
        {
            await producer.WriteAsync(TestEntries.Make(sequence)).Within();
        }

        Entry[] delivered = await consumer.Entries.ReadAsync(5);
        TestEntries.AssertMatches(EntriesOf(Run(1, 5)), delivered);
        await consumer.MarkAsync(5, cumulative: true).Within();
        Assert.Equal([5UL], queue.Table.Get("c"));
    }

    [Fact]
    public async Task A_temporary_consumer_created_by_the_queue_stores_nothing()
    {
        using Queue queue = Open("orders");
        queue.Ledger.Write(EntriesOf(1, 2, 3));
        Consumer consumer = queue.CreateConsumer(new ConsumerOptions { Start = 2 });

        ulong[] delivered = await consumer.Entries.ReadSequencesAsync(2);

        Assert.Equal([2UL, 3UL], delivered);
        Assert.Empty(queue.Table.All());
    }

    [Fact]
    public void CreateConsumer_passes_invalid_options_on_as_their_exceptions()
    {
        using Queue queue = Open("orders");

        Assert.Throws<ArgumentException>(() => queue.CreateConsumer(new ConsumerOptions { Name = "c", Window = 2, Skip = 2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => queue.CreateProducer(new ProducerOptions { Batch = 0 }));
    }

    // ---- dispose ----

    [Fact]
    public void Dispose_is_idempotent()
    {
        Queue queue = Open("orders");

        queue.Dispose();
        queue.Dispose();
    }

    [Fact]
    public async Task Dispose_disposes_the_producers_it_created()
    {
        Queue queue = Open("orders");
        Producer producer = queue.CreateProducer(new ProducerOptions());

        await Task.Run(queue.Dispose).Within();

        Assert.False(producer.Write(TestEntries.Make(1)));
        await Assert.ThrowsAsync<ProducerClosedException>(() => producer.WriteAsync(TestEntries.Make(1)).Within());
        await Assert.ThrowsAsync<ProducerClosedException>(() => producer.FlushAsync().Within());
    }

    [Fact]
    public async Task Dispose_disposes_the_consumers_it_created()
    {
        Queue queue = Open("orders");
        queue.Ledger.Write(EntriesOf(1, 2));
        Consumer consumer = queue.CreateConsumer(new ConsumerOptions { Name = "c", Window = 10 });
        await consumer.Entries.ReadAsync(2);

        await Task.Run(queue.Dispose).Within();

        await consumer.Entries.Completion.Within();
        await consumer.Completion.Within();
        Assert.False(consumer.Mark(1));
        await Assert.ThrowsAsync<ConsumerClosedException>(() => consumer.MarkAsync(1).Within());
    }

    [Fact]
    public async Task Dispose_persists_the_held_marks_of_its_consumers()
    {
        Queue queue = Open("orders");
        queue.Ledger.Write(EntriesOf(1, 2, 3));
        Consumer consumer = queue.CreateConsumer(new ConsumerOptions { Name = "c", Window = 10, Skip = 5 });
        await consumer.Entries.ReadAsync(3);
        Task held = consumer.MarkAsync(2, cumulative: true);
        await consumer.MarksProcessedAsync();

        await Task.Run(queue.Dispose).Within();

        await held.Within();
        using Queue again = Open("orders");
        Assert.Equal([2UL], again.Table.Get("c"));
    }

    [Fact]
    public async Task Dispose_disposes_the_ledger_and_the_table()
    {
        Queue queue = Open("orders");
        Ledger ledger = queue.Ledger;
        Table table = queue.Table;

        await Task.Run(queue.Dispose).Within();

        Assert.Throws<ObjectDisposedException>(() => ledger.Length);
        Assert.Throws<ObjectDisposedException>(() => ledger.Write(EntriesOf(1)));
        Assert.Throws<ObjectDisposedException>(() => table.Get("c"));
        Assert.Throws<ObjectDisposedException>(() => table.Set("c", 1));
    }

    [Fact]
    public async Task Dispose_stops_the_cleaner()
    {
        var errors = new ConcurrentQueue<Exception>();
        Queue queue = Queue.Open(db, new QueueOptions { Prefix = "orders", CleanInterval = TimeSpan.FromMilliseconds(20), CleanErrors = errors.Enqueue });
        queue.Ledger.Write(EntriesOf(1, 2, 3));
        await Bounded.Until(() => queue.Ledger.Length == 0, "the cleaner runs");

        await Task.Run(queue.Dispose).Within();
        await Task.Delay(ConsumerProbe.Quiet);

        // A cleaner still running would now fail on the disposed ledger and table and report it.
        Assert.Empty(errors);
    }

    [Fact]
    public async Task After_Dispose_CreateProducer_and_CreateConsumer_throw_ObjectDisposedException()
    {
        Queue queue = Open("orders");

        await Task.Run(queue.Dispose).Within();

        Assert.Throws<ObjectDisposedException>(() => queue.CreateProducer(new ProducerOptions()));
        Assert.Throws<ObjectDisposedException>(() => queue.CreateConsumer(new ConsumerOptions()));
    }

    [Fact]
    public async Task Disposing_a_queue_after_its_Db_does_not_throw()
    {
        Queue queue = Open("orders", TimeSpan.FromMilliseconds(50));
        queue.CreateProducer(new ProducerOptions());
        queue.CreateConsumer(new ConsumerOptions { Name = "c" });

        await Task.Run(db.Dispose).Within();

        await Task.Run(queue.Dispose).Within();
    }

    [Fact]
    public async Task A_consumer_disposed_before_the_queue_is_left_alone_by_the_queues_Dispose()
    {
        Queue queue = Open("orders");
        queue.Ledger.Write(EntriesOf(1));
        Consumer consumer = queue.CreateConsumer(new ConsumerOptions { Name = "c", Window = 10 });
        await consumer.Entries.ReadAsync(1);
        await consumer.MarkAsync(1).Within();
        await consumer.DisposeAsync().Within();

        await Task.Run(queue.Dispose).Within();

        await consumer.Completion.Within();
    }
}
