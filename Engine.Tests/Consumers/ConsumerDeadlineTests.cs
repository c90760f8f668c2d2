using System.Threading.Channels;
using Quasar.Tests.Support;
using static Quasar.Tests.Support.ConsumerProbe;

namespace Quasar.Tests.Consumers;

/// <summary>Deadline: a full window with no mark for this long kills the consumer with ConsumerDeadlockException.</summary>
public sealed class ConsumerDeadlineTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task A_full_window_without_marks_for_Deadline_completes_Entries_with_ConsumerDeadlockException()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 3, Deadline = Deadline });
        Assert.Equal(Run(1, 3), await consumer.Entries.ReadSequencesAsync(3));

        await Assert.ThrowsAsync<ConsumerDeadlockException>(() => consumer.Entries.Completion.Within());
    }

    [Fact]
    public async Task Reading_from_a_deadlocked_consumer_throws_with_ConsumerDeadlockException_inside()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 3, Deadline = Deadline });
        await consumer.Entries.ReadAsync(3);

        ChannelClosedException error = await Assert.ThrowsAsync<ChannelClosedException>(() => consumer.Entries.ReadOneAsync());

        Assert.IsType<ConsumerDeadlockException>(error.InnerException);
    }

    [Fact]
    public async Task A_deadlocked_consumer_faults_Completion_with_ConsumerDeadlockException()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 2, Deadline = Deadline });
        await consumer.Entries.ReadAsync(2);

        await Assert.ThrowsAsync<ConsumerDeadlockException>(() => consumer.Completion.Within());
    }

    [Fact]
    public async Task A_deadlocked_consumer_calls_Errors_with_ConsumerDeadlockException()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        var errors = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 2, Deadline = Deadline, Errors = e => errors.TrySetResult(e) });
        await consumer.Entries.ReadAsync(2);

        Assert.IsType<ConsumerDeadlockException>(await errors.Task.Within());
    }

    [Fact]
    public async Task A_window_held_full_by_one_unmarked_entry_dies_although_later_entries_are_marked()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 3, Deadline = Deadline });
        await consumer.Entries.ReadAsync(3);

        await consumer.MarkAsync(2).Within();
        await consumer.MarkAsync(3).Within();

        await Assert.ThrowsAsync<ConsumerDeadlockException>(() => consumer.Completion.Within());
    }

    [Fact]
    public async Task After_a_deadlock_Mark_returns_false_and_MarkAsync_faults_with_ConsumerClosedException()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 2, Deadline = Deadline });
        await consumer.Entries.ReadAsync(2);
        await Assert.ThrowsAsync<ConsumerDeadlockException>(() => consumer.Completion.Within());

        Assert.False(consumer.Mark(1));
        await Assert.ThrowsAsync<ConsumerClosedException>(() => consumer.MarkAsync(1).Within());
    }

    [Fact]
    public async Task A_deadlocked_consumer_keeps_its_persisted_positions_and_a_new_one_resumes_from_them()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 2, Deadline = Deadline });
        await consumer.Entries.ReadAsync(2);
        await consumer.MarkAsync(1).Within();
        await consumer.Entries.ReadAsync(1);
        await Assert.ThrowsAsync<ConsumerDeadlockException>(() => consumer.Completion.Within());

        Assert.Equal([1UL], host.Table.Get("c"));
        Consumer again = host.Start(new ConsumerOptions { Name = "c", Window = 2 });
        Assert.Equal(2UL, (await again.Entries.ReadOneAsync()).Sequence);
    }

    [Fact]
    public async Task A_consumer_whose_window_is_not_full_does_not_die_of_the_Deadline()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 3);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 5, Deadline = Deadline });
        await consumer.Entries.ReadAsync(3);

        await Task.Delay(Deadline * 3);

        Assert.False(consumer.Completion.IsCompleted);
        await consumer.MarkAsync(3, cumulative: true).Within();
    }

    [Fact]
    public async Task With_Deadline_zero_a_full_window_never_kills_the_consumer()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 2 });
        await consumer.Entries.ReadAsync(2);

        await Task.Delay(ConsumerProbe.Quiet);

        Assert.False(consumer.Completion.IsCompleted);
        await consumer.MarkAsync(2, cumulative: true).Within();
        Assert.Equal(Run(3, 2), await consumer.Entries.ReadSequencesAsync(2));
    }

    [Fact]
    public async Task A_temporary_consumer_is_not_subject_to_the_Deadline()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        Consumer consumer = host.StartWithoutTable(new ConsumerOptions { Window = 1, Deadline = TimeSpan.FromMilliseconds(50) });
        Assert.Equal(Run(1, 10), await consumer.Entries.ReadSequencesAsync(10));

        await Task.Delay(ConsumerProbe.Quiet);

        Assert.False(consumer.Completion.IsCompleted);
    }

    [Fact]
    public async Task An_Errors_callback_that_throws_does_not_stop_the_consumer_from_completing()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        int calls = 0;
        Consumer consumer = host.Start(new ConsumerOptions
        {
            Name = "c",
            Window = 2,
            Deadline = Deadline,
            Errors = _ =>
            {
                Interlocked.Increment(ref calls);
                throw new InvalidOperationException("errors callback failed");
            },
        });
        await consumer.Entries.ReadAsync(2);

        await Assert.ThrowsAsync<ConsumerDeadlockException>(() => consumer.Entries.Completion.Within());
        await Assert.ThrowsAsync<ConsumerDeadlockException>(() => consumer.Completion.Within());
        Assert.Equal(1, Volatile.Read(ref calls));
        Assert.Contains(host.Logger.Messages, m => m.Exception is InvalidOperationException { Message: "errors callback failed" });
    }
}
