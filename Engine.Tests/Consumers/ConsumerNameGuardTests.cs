using Quasar.Tests.Support;

namespace Quasar.Tests.Consumers;

/// <summary>
/// One live consumer per name and table (issue 14): two would overwrite each other's stored
/// positions, each compiling only its own marks.
/// </summary>
public sealed class ConsumerNameGuardTests : IAsyncDisposable
{
    private readonly ConsumerHost host = new();

    public ValueTask DisposeAsync() => host.DisposeAsync();

    [Fact]
    public void A_second_live_consumer_with_the_same_name_on_the_same_table_throws_InvalidOperationException()
    {
        host.Start(new ConsumerOptions { Name = "c" });

        Assert.Throws<InvalidOperationException>(() => host.Start(new ConsumerOptions { Name = "c" }));
    }

    [Fact]
    public async Task A_refused_consumer_leaves_the_first_one_delivering()
    {
        Consumer first = host.Start(new ConsumerOptions { Name = "c", Start = 1 });
        Assert.Throws<InvalidOperationException>(() => host.Start(new ConsumerOptions { Name = "c" }));

        host.WriteRange(1, 1);

        Assert.Equal(1UL, (await first.Entries.ReadOneAsync()).Sequence);
    }

    [Fact]
    public async Task The_name_is_free_again_once_the_first_consumer_is_disposed()
    {
        Consumer first = host.Start(new ConsumerOptions { Name = "c" });

        await first.DisposeAsync();

        host.Start(new ConsumerOptions { Name = "c" });
    }

    [Fact]
    public async Task The_name_is_free_again_once_the_first_consumer_died()
    {
        host.WriteRange(1, 2);
        Consumer first = host.Start(new ConsumerOptions { Name = "c", Start = 1, Window = 1, Deadline = TimeSpan.FromMilliseconds(1) });
        await first.Entries.ReadOneAsync();
        await Assert.ThrowsAsync<ConsumerDeadlockException>(() => first.Completion.Within());

        host.Start(new ConsumerOptions { Name = "c" });
    }

    [Fact]
    public void Different_names_on_one_table_live_side_by_side()
    {
        host.Start(new ConsumerOptions { Name = "a" });

        host.Start(new ConsumerOptions { Name = "b" });
    }

    [Fact]
    public void The_same_name_on_another_table_is_a_different_consumer()
    {
        using var other = Table.Open(host.Db, new TableOptions { Prefix = "other" });
        host.Start(new ConsumerOptions { Name = "c" });

        using var second = new DisposingConsumer(new Consumer(host.Ledger, other, new ConsumerOptions { Name = "c" }));
    }

    [Fact]
    public void Temporary_consumers_are_never_refused()
    {
        host.StartWithoutTable(new ConsumerOptions());

        host.StartWithoutTable(new ConsumerOptions());
    }

    [Fact]
    public void A_consumer_refused_for_its_name_stores_nothing()
    {
        host.Start(new ConsumerOptions { Name = "c", Start = 7 });

        Assert.Throws<InvalidOperationException>(() => host.Start(new ConsumerOptions { Name = "c", Start = 100 }));

        Assert.Equal([6UL], host.Table.Get("c"));
    }

    /// <summary>Disposes a consumer the host does not track, synchronously, for a using declaration.</summary>
    private sealed class DisposingConsumer(Consumer consumer) : IDisposable
    {
        public void Dispose() => consumer.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
