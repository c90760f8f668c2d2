using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Quasar.Tests.Support;
using static Quasar.Tests.Support.ConsumerProbe;

namespace Quasar.Tests.Consumers;

public sealed class ConsumerDeliveryTests
{
    // ---- options validation ----

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task A_Batch_below_1_throws_ArgumentOutOfRangeException(int batch)
    {
        await using var host = new ConsumerHost();

        Assert.Throws<ArgumentOutOfRangeException>(() => host.Start(new ConsumerOptions { Name = "c", Batch = batch, Window = 10 }));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task A_Window_below_1_throws_ArgumentOutOfRangeException(int window)
    {
        await using var host = new ConsumerHost();

        Assert.Throws<ArgumentOutOfRangeException>(() => host.Start(new ConsumerOptions { Name = "c", Window = window }));
    }

    [Fact]
    public async Task A_negative_Skip_throws_ArgumentOutOfRangeException()
    {
        await using var host = new ConsumerHost();

        Assert.Throws<ArgumentOutOfRangeException>(() => host.Start(new ConsumerOptions { Name = "c", Window = 10, Skip = -1 }));
    }

    [Fact]
    public async Task A_negative_Timeout_throws_ArgumentOutOfRangeException()
    {
        await using var host = new ConsumerHost();

        Assert.Throws<ArgumentOutOfRangeException>(() => host.Start(new ConsumerOptions { Name = "c", Window = 10, Timeout = TimeSpan.FromMilliseconds(-1) }));
    }

    [Fact]
    public async Task A_negative_Deadline_throws_ArgumentOutOfRangeException()
    {
        await using var host = new ConsumerHost();

        Assert.Throws<ArgumentOutOfRangeException>(() => host.Start(new ConsumerOptions { Name = "c", Window = 10, Deadline = TimeSpan.FromMilliseconds(-1) }));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 5)]
    [InlineData(6, 5)]
    public async Task Skip_not_below_Window_throws_ArgumentException(int skip, int window)
    {
        await using var host = new ConsumerHost();

        ArgumentException error = Assert.Throws<ArgumentException>(() => host.Start(new ConsumerOptions { Name = "c", Window = window, Skip = skip }));
        Assert.IsNotType<ArgumentOutOfRangeException>(error);
    }

    [Fact]
    public async Task Skip_just_below_Window_is_accepted()
    {
        await using var host = new ConsumerHost();

        host.Start(new ConsumerOptions { Name = "c", Window = 5, Skip = 4 });
    }

    [Fact]
    public async Task A_named_consumer_without_a_table_throws_ArgumentNullException()
    {
        await using var host = new ConsumerHost();

        Assert.Throws<ArgumentNullException>(() => host.StartWithoutTable(new ConsumerOptions { Name = "c" }));
    }

    [Fact]
    public async Task Rejected_options_store_nothing_in_the_table()
    {
        await using var host = new ConsumerHost();

        Assert.Throws<ArgumentException>(() => host.Start(new ConsumerOptions { Name = "c", Start = 5, Window = 2, Skip = 2 }));

        Assert.Empty(host.Table.All());
    }

    [Fact]
    public async Task Creating_a_consumer_on_a_disposed_ledger_throws_ObjectDisposedException()
    {
        await using var host = new ConsumerHost();
        host.Ledger.Dispose();

        Assert.Throws<ObjectDisposedException>(() => host.Start(new ConsumerOptions()));
    }

    // ---- delivery ----

    [Fact]
    public async Task Stored_entries_are_delivered_in_sequence_order_with_their_payloads()
    {
        await using var host = new ConsumerHost();
        host.Write(3, 5, 8, 13, 21, 34);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10, Batch = 4 });

        Entry[] delivered = await consumer.Entries.ReadAsync(6);

        TestEntries.AssertMatches(EntriesOf(3, 5, 8, 13, 21, 34), delivered);
    }

    [Fact]
    public async Task Entries_written_after_the_consumer_started_are_delivered()
    {
        await using var host = new ConsumerHost();
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 100, Batch = 10 });
        Task<ulong[]> reading = consumer.Entries.ReadSequencesAsync(6);

        host.Write(1, 2);
        host.Write(3);
        host.Write(4, 5, 6);

        Assert.Equal(Run(1, 6), await reading.Within());
    }

    [Fact]
    public async Task A_consumer_that_caught_up_is_woken_by_the_next_write()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 3);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 100 });
        Assert.Equal(Run(1, 3), await consumer.Entries.ReadSequencesAsync(3));
        await consumer.Entries.AssertNothingDeliveredAsync();

        host.Write(4);

        Assert.Equal(4UL, (await consumer.Entries.ReadOneAsync()).Sequence);
    }

    [Fact]
    public async Task Entries_holds_at_most_Batch_undelivered_entries()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 50);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 100, Batch = 4 });

        await Bounded.Until(() => consumer.Entries.Count == 4, "Entries holds a full batch");
        await Task.Delay(ConsumerProbe.Quiet);

        Assert.Equal(4, consumer.Entries.Count);
        Assert.Equal(Run(1, 4), await consumer.Entries.ReadSequencesAsync(4));
    }

    [Fact]
    public async Task Every_ledger_read_of_a_consumer_asks_for_at_most_Batch_entries()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 40);
        var reads = new ConcurrentQueue<long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Quasar" && instrument.Name == "quasar.ledger.entries_read")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "ledger" && Equals(tag.Value, host.LedgerPrefix) && value > 0)
                {
                    reads.Enqueue(value);
                }
            }
        });
        listener.Start();

        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 100, Batch = 7 });
        Assert.Equal(Run(1, 40), await consumer.Entries.ReadSequencesAsync(40));

        Assert.NotEmpty(reads);
        Assert.All(reads, count => Assert.InRange(count, 1, 7));
        Assert.Equal(40, reads.Sum());
    }

    [Fact]
    public async Task A_named_consumer_with_nothing_stored_starts_at_Start()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Start = 6, Window = 10 });

        Assert.Equal(Run(6, 5), await consumer.Entries.ReadSequencesAsync(5));
    }

    [Fact]
    public async Task A_Start_between_sequences_begins_at_the_next_entry()
    {
        await using var host = new ConsumerHost();
        host.Write(10, 20, 30);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Start = 15, Window = 10 });

        ulong[] delivered = await consumer.Entries.ReadSequencesAsync(2);

        Assert.Equal([20UL, 30UL], delivered);
    }

    // ---- temporary consumers ----

    [Fact]
    public async Task A_temporary_consumer_starts_at_Start()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        Consumer consumer = host.StartWithoutTable(new ConsumerOptions { Start = 4, Window = 10 });

        Assert.Equal(Run(4, 7), await consumer.Entries.ReadSequencesAsync(7));
    }

    [Fact]
    public async Task A_temporary_consumer_with_Start_0_starts_at_the_oldest_entry()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(5, 3);
        Consumer consumer = host.StartWithoutTable(new ConsumerOptions());

        Assert.Equal(Run(5, 3), await consumer.Entries.ReadSequencesAsync(3));
    }

    [Fact]
    public async Task A_temporary_consumer_is_not_limited_by_Window()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 20);
        Consumer consumer = host.StartWithoutTable(new ConsumerOptions { Window = 1, Batch = 3 });

        Assert.Equal(Run(1, 20), await consumer.Entries.ReadSequencesAsync(20));
    }

    [Fact]
    public async Task A_temporary_consumer_Mark_succeeds_at_once_for_any_sequence()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 3);
        Consumer consumer = host.StartWithoutTable(new ConsumerOptions());
        var acks = new List<Exception?>();

        Assert.True(consumer.Mark(2, ack: acks.Add));
        Assert.True(consumer.Mark(987_654, cumulative: true, ack: acks.Add));

        Assert.Equal([null, null], acks);
    }

    [Fact]
    public async Task A_temporary_consumer_MarkAsync_is_complete_at_once_for_any_sequence()
    {
        await using var host = new ConsumerHost();
        Consumer consumer = host.StartWithoutTable(new ConsumerOptions());

        Task marked = consumer.MarkAsync(123_456);

        Assert.True(marked.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_temporary_consumer_stores_nothing_in_the_table_it_was_given()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 5);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "", Start = 2 });
        Assert.Equal(Run(2, 4), await consumer.Entries.ReadSequencesAsync(4));
        await consumer.MarkAsync(5, cumulative: true).Within();

        await consumer.DisposeAsync().Within();

        Assert.Empty(host.Table.All());
    }
}
