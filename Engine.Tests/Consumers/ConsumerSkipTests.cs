using Quasar.Tests.Support;
using static Quasar.Tests.Support.ConsumerProbe;

namespace Quasar.Tests.Consumers;

/// <summary>Skip holds up to Skip marks in memory; the next mark, Timeout or DisposeAsync persists them.</summary>
public sealed class ConsumerSkipTests
{
    [Fact]
    public async Task With_Skip_0_every_mark_writes_the_table()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 3);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10 });
        await consumer.Entries.ReadAsync(3);

        foreach (ulong sequence in Run(1, 3))
        {
            Assert.True(consumer.Mark(sequence));
            await consumer.MarksProcessedAsync();
            Assert.Equal([sequence], host.Table.Get("c"));
        }
    }

    [Fact]
    public async Task With_Skip_k_the_table_is_written_on_every_k_plus_1_th_mark()
    {
        const int Skip = 2;
        await using var host = new ConsumerHost();
        host.WriteRange(1, 9);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10, Skip = Skip });
        await consumer.Entries.ReadAsync(9);
        ulong persisted = 0;

        foreach (ulong sequence in Run(1, 9))
        {
            Assert.True(consumer.Mark(sequence));
            await consumer.MarksProcessedAsync();
            if (sequence % (Skip + 1) == 0)
            {
                persisted = sequence;
            }

            Assert.Equal([persisted], host.Table.Get("c"));
        }

        Assert.Equal(9UL, persisted);
    }

    [Fact]
    public async Task Held_marks_are_acknowledged_only_when_a_later_mark_persists_them()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 3);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10, Skip = 2 });
        await consumer.Entries.ReadAsync(3);
        var acks = new List<Exception?>[3];
        var persisted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        for (int i = 0; i < acks.Length; i++)
        {
            acks[i] = [];
        }

        Assert.True(consumer.Mark(1, ack: acks[0].Add));
        Assert.True(consumer.Mark(2, ack: acks[1].Add));
        await consumer.MarksProcessedAsync();
        Assert.Empty(acks[0]);
        Assert.Empty(acks[1]);

        Assert.True(consumer.Mark(3, ack: error =>
        {
            acks[2].Add(error);
            persisted.TrySetResult();
        }));

        await persisted.Task.Within();
        Assert.All(acks, calls => Assert.Equal([null], calls));
        Assert.Equal([3UL], host.Table.Get("c"));
    }

    [Fact]
    public async Task A_cumulative_mark_counts_as_one_mark_toward_Skip()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 6);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10, Skip = 1 });
        await consumer.Entries.ReadAsync(6);

        Task first = consumer.MarkAsync(4, cumulative: true);
        await consumer.MarksProcessedAsync();
        Assert.False(first.IsCompleted);
        Assert.Equal([0UL], host.Table.Get("c"));

        await consumer.MarkAsync(5).Within();
        await first.Within();
        Assert.Equal([5UL], host.Table.Get("c"));
    }

    [Fact]
    public async Task Held_marks_are_written_once_Timeout_passes()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 5);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10, Skip = 4, Timeout = TimeSpan.FromMilliseconds(100) });
        await consumer.Entries.ReadAsync(5);

        Task first = consumer.MarkAsync(1);
        Task second = consumer.MarkAsync(2);

        await Task.WhenAll(first, second).Within();
        Assert.Equal([2UL], host.Table.Get("c"));
    }

    [Fact]
    public async Task Timeout_persists_held_marks_again_after_an_earlier_timeout()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 5);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10, Skip = 4, Timeout = TimeSpan.FromMilliseconds(50) });
        await consumer.Entries.ReadAsync(5);
        await consumer.MarkAsync(1).Within();

        await consumer.MarkAsync(2).Within();

        Assert.Equal([2UL], host.Table.Get("c"));
    }

    [Fact]
    public async Task DisposeAsync_persists_held_marks()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 5);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10, Skip = 4 });
        await consumer.Entries.ReadAsync(5);
        Task first = consumer.MarkAsync(1);
        Task third = consumer.MarkAsync(3);
        await consumer.MarksProcessedAsync();
        Assert.Equal([0UL], host.Table.Get("c"));

        await consumer.DisposeAsync().Within();

        await Task.WhenAll(first, third).Within();
        Assert.Equal([1UL, 3UL], host.Table.Get("c"));
    }

    [Fact]
    public async Task With_Skip_and_no_Timeout_a_held_MarkAsync_waits_until_a_later_mark_persists_it()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 2);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10, Skip = 1 });
        await consumer.Entries.ReadAsync(2);

        Task held = consumer.MarkAsync(1);
        await consumer.MarksProcessedAsync();
        await Task.Delay(ConsumerProbe.Quiet);
        Assert.False(held.IsCompleted);
        Assert.Equal([0UL], host.Table.Get("c"));

        await consumer.MarkAsync(2).Within();

        await held.Within();
        Assert.Equal([2UL], host.Table.Get("c"));
    }

    [Fact]
    public async Task Invalid_marks_do_not_count_toward_Skip()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 3);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10, Skip = 1 });
        await consumer.Entries.ReadAsync(3);

        Task held = consumer.MarkAsync(1);
        await Assert.ThrowsAsync<InvalidSequenceException>(() => consumer.MarkAsync(50).Within());
        await Assert.ThrowsAsync<InvalidSequenceException>(() => consumer.MarkAsync(60).Within());

        Assert.False(held.IsCompleted);
        Assert.Equal([0UL], host.Table.Get("c"));
        await consumer.MarkAsync(2).Within();
        await held.Within();
    }

    [Fact]
    public async Task Marks_covered_by_a_held_cumulative_mark_still_count_toward_Skip()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 5);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10, Skip = 2 });
        await consumer.Entries.ReadAsync(5);

        Task first = consumer.MarkAsync(5, cumulative: true);
        Task second = consumer.MarkAsync(3);
        Task third = consumer.MarkAsync(4); // the Skip + 1-th mark: persists all three

        await Task.WhenAll(first, second, third).Within();
        Assert.Equal([5UL], host.Table.Get("c"));
    }
}
