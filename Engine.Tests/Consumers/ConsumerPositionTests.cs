using Quasar.Tests.Support;

namespace Quasar.Tests.Consumers;

/// <summary>Consumer.Position (P of the Window rule) and Consumer.Lag (issue 14).</summary>
public sealed class ConsumerPositionTests : IAsyncDisposable
{
    private readonly ConsumerHost host = new();

    public ValueTask DisposeAsync() => host.DisposeAsync();

    [Fact]
    public void A_new_named_consumer_stands_before_Start()
    {
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Start = 5 });

        Assert.Equal(4UL, consumer.Position);
    }

    [Fact]
    public async Task Position_moves_up_to_the_highest_mark_with_every_delivered_entry_below_it_marked()
    {
        host.WriteRange(1, 3);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Start = 1, Window = 3 });
        await consumer.Entries.ReadAsync(3);

        await consumer.MarkAsync(1);
        await consumer.MarkAsync(3);

        Assert.Equal(1UL, consumer.Position);
    }

    [Fact]
    public async Task Position_counts_a_mark_held_for_Skip_before_it_is_persisted()
    {
        host.WriteRange(1, 2);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Start = 1, Window = 2, Skip = 1 });
        await consumer.Entries.ReadAsync(2);

        consumer.Mark(2, cumulative: true);
        await consumer.MarksProcessedAsync();

        Assert.Equal(2UL, consumer.Position);
        Assert.Equal([0UL], host.Table.Get("c"));
    }

    [Fact]
    public async Task A_restarted_consumer_resumes_at_its_stored_position()
    {
        host.WriteRange(1, 3);
        Consumer first = host.Start(new ConsumerOptions { Name = "c", Start = 1, Window = 3 });
        await first.Entries.ReadAsync(2);
        await first.MarkAsync(2, cumulative: true);
        await first.DisposeAsync();

        Consumer second = host.Start(new ConsumerOptions { Name = "c", Start = 1 });

        Assert.Equal(2UL, second.Position);
    }

    [Fact]
    public async Task A_temporary_consumer_stands_at_the_last_entry_it_delivered()
    {
        host.WriteRange(1, 3);
        Consumer consumer = host.StartWithoutTable(new ConsumerOptions { Start = 1, Batch = 3 });

        await consumer.Entries.ReadAsync(3);

        await Bounded.Until(() => consumer.Position == 3, "the last delivery is recorded");
    }

    [Fact]
    public void Lag_counts_every_live_entry_above_Position()
    {
        host.WriteRange(1, 5);

        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Start = 3 });

        Assert.Equal(3, consumer.Lag);
    }

    [Fact]
    public async Task Lag_falls_as_entries_are_marked()
    {
        host.WriteRange(1, 4);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Start = 1, Window = 4 });
        await consumer.Entries.ReadAsync(3);

        await consumer.MarkAsync(3, cumulative: true);

        Assert.Equal(1, consumer.Lag);
    }

    [Fact]
    public void Lag_does_not_count_entries_deleted_from_the_ledger()
    {
        host.WriteRange(1, 5);
        host.Ledger.Delete(3);

        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Start = 1 });

        Assert.Equal(2, consumer.Lag);
    }
}
