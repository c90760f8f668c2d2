using Quasar.Tests.Support;

namespace Quasar.Tests.Consumers;

/// <summary>Consumer.ReadAllAsync and the cancellable MarkAsync (issue 14).</summary>
public sealed class ConsumerAsyncStreamTests : IAsyncDisposable
{
    private readonly ConsumerHost host = new();

    public ValueTask DisposeAsync() => host.DisposeAsync();

    [Fact]
    public async Task ReadAllAsync_yields_the_entries_in_sequence_order()
    {
        host.WriteRange(1, 3);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Start = 1, Window = 3 });

        var read = new List<ulong>();
        await foreach (Entry entry in consumer.ReadAllAsync())
        {
            read.Add(entry.Sequence);
            if (read.Count == 3)
            {
                break;
            }
        }

        Assert.Equal([1UL, 2, 3], read);
    }

    [Fact]
    public async Task ReadAllAsync_ends_when_the_consumer_is_disposed()
    {
        host.WriteRange(1, 1);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Start = 1 });
        var read = new List<ulong>();

        Task reading = Task.Run(async () =>
        {
            await foreach (Entry entry in consumer.ReadAllAsync())
            {
                read.Add(entry.Sequence);
                await consumer.DisposeAsync();
            }
        });

        await reading.Within();
        Assert.Equal([1UL], read);
    }

    [Fact]
    public async Task ReadAllAsync_throws_OperationCanceledException_when_the_token_is_cancelled()
    {
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Start = 1 });
        using var cancel = new CancellationTokenSource();

        Task reading = Task.Run(async () =>
        {
            await foreach (Entry entry in consumer.ReadAllAsync(cancel.Token))
            {
                Assert.Fail("nothing was written, so nothing may be read");
            }
        });
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.Within());
    }

    [Fact]
    public async Task ReadAllAsync_throws_the_error_the_consumer_died_of()
    {
        host.WriteRange(1, 2);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Start = 1 });
        await consumer.Entries.ReadOneAsync();

        host.Ledger.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () =>
        {
            await foreach (Entry entry in consumer.ReadAllAsync())
            {
            }
        }).Within();
    }

    [Fact]
    public async Task Breaking_out_of_ReadAllAsync_leaves_the_rest_for_the_next_reader()
    {
        host.WriteRange(1, 2);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Start = 1, Window = 2 });
        await foreach (Entry entry in consumer.ReadAllAsync())
        {
            break;
        }

        Entry next = await consumer.Entries.ReadOneAsync();

        Assert.Equal(2UL, next.Sequence);
    }

    [Fact]
    public async Task MarkAsync_with_a_token_completes_once_the_mark_is_persisted()
    {
        host.WriteRange(1, 2);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Start = 1, Window = 2 });
        await consumer.Entries.ReadAsync(2);

        await consumer.MarkAsync(2, cumulative: true, CancellationToken.None).Within();

        Assert.Equal([2UL], host.Table.Get("c"));
    }

    [Fact]
    public async Task MarkAsync_with_a_cancelled_token_is_cancelled_and_marks_nothing()
    {
        host.WriteRange(1, 1);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Start = 1 });
        await consumer.Entries.ReadOneAsync();

        Task mark = consumer.MarkAsync(1, cumulative: false, new CancellationToken(canceled: true));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => mark);
        await consumer.MarksProcessedAsync();
        Assert.Equal([0UL], host.Table.Get("c"));
    }

    [Fact]
    public async Task MarkAsync_with_a_token_faults_with_InvalidSequenceException_for_an_undelivered_sequence()
    {
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Start = 1 });

        await Assert.ThrowsAsync<InvalidSequenceException>(() => consumer.MarkAsync(5, cumulative: false, CancellationToken.None)).Within();
    }

    [Fact]
    public async Task MarkAsync_with_a_token_cancelled_while_waiting_throws_OperationCanceledException()
    {
        host.WriteRange(1, 1);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Start = 1, Window = 2, Skip = 1 });
        await consumer.Entries.ReadOneAsync();
        using var cancel = new CancellationTokenSource();
        Task held = consumer.MarkAsync(1, cumulative: false, cancel.Token); // Skip 1, no Timeout: held until the next mark

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => held).Within();
    }
}
