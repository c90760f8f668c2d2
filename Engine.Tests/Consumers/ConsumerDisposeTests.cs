using Microsoft.Extensions.Logging;
using Quasar.Tests.Support;
using static Quasar.Tests.Support.ConsumerProbe;

namespace Quasar.Tests.Consumers;

public sealed class ConsumerDisposeTests
{
    [Fact]
    public async Task DisposeAsync_is_idempotent()
    {
        await using var host = new ConsumerHost();
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c" });

        await consumer.DisposeAsync().Within();
        await consumer.DisposeAsync().Within();
    }

    [Fact]
    public async Task Concurrent_DisposeAsync_calls_all_complete()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 5);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10 });

        Task[] disposing = Enumerable.Range(0, 4).Select(_ => Task.Run(async () => await consumer.DisposeAsync())).ToArray();

        await Task.WhenAll(disposing).Within();
    }

    [Fact]
    public async Task After_DisposeAsync_Mark_returns_false_and_does_not_call_the_ack()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 5);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10 });
        await consumer.Entries.ReadAsync(1);
        await consumer.DisposeAsync().Within();
        int acks = 0;

        Assert.False(consumer.Mark(1, ack: _ => Interlocked.Increment(ref acks)));

        await Task.Delay(ConsumerProbe.Quiet);
        Assert.Equal(0, Volatile.Read(ref acks));
        Assert.Equal([0UL], host.Table.Get("c"));
    }

    [Fact]
    public async Task After_DisposeAsync_MarkAsync_faults_with_ConsumerClosedException()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 5);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10 });
        await consumer.Entries.ReadAsync(1);
        await consumer.DisposeAsync().Within();

        await Assert.ThrowsAsync<ConsumerClosedException>(() => consumer.MarkAsync(1).Within());
    }

    [Fact]
    public async Task After_DisposeAsync_a_temporary_consumer_also_rejects_marks()
    {
        await using var host = new ConsumerHost();
        Consumer consumer = host.StartWithoutTable(new ConsumerOptions());
        await consumer.DisposeAsync().Within();

        Assert.False(consumer.Mark(1));
        await Assert.ThrowsAsync<ConsumerClosedException>(() => consumer.MarkAsync(1).Within());
    }

    [Fact]
    public async Task DisposeAsync_completes_Entries_and_Completion_without_error()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 3);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10 });
        await consumer.Entries.ReadAsync(3);

        await consumer.DisposeAsync().Within();

        await consumer.Entries.Completion.Within();
        await consumer.Completion.Within();
    }

    [Fact]
    public async Task DisposeAsync_completes_while_the_consumer_waits_for_new_entries()
    {
        await using var host = new ConsumerHost();
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c" });
        await consumer.Entries.AssertNothingDeliveredAsync();

        await consumer.DisposeAsync().Within();

        await consumer.Entries.Completion.Within();
    }

    [Fact]
    public async Task DisposeAsync_completes_while_the_consumer_waits_for_room_in_a_full_window()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 2 });
        await consumer.Entries.ReadAsync(2);

        await consumer.DisposeAsync().Within();

        await consumer.Completion.Within();
    }

    [Fact]
    public async Task DisposeAsync_completes_while_Entries_is_full_and_nobody_reads()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 20);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 20, Batch = 2 });
        await Bounded.Until(() => consumer.Entries.Count == 2, "Entries is full");

        await consumer.DisposeAsync().Within();

        await consumer.Completion.Within();
    }

    [Fact]
    public async Task Marks_queued_before_DisposeAsync_are_persisted_or_fail_with_ConsumerClosedException()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 5);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10 });
        await consumer.Entries.ReadAsync(5);
        Task[] marks = [.. Run(1, 5).Select(s => consumer.MarkAsync(s))];

        await consumer.DisposeAsync().Within();

        // Marks are processed in order, so those that succeeded form a prefix 1..k, and k is persisted.
        ulong succeeded = 0;
        foreach (Task mark in marks)
        {
            try
            {
                await mark.Within();
                succeeded++;
            }
            catch (ConsumerClosedException)
            {
                // allowed for a mark queued just before the dispose; every later one fails too
                break;
            }
        }

        foreach (Task mark in marks.Skip((int)succeeded))
        {
            await Assert.ThrowsAsync<ConsumerClosedException>(() => mark.Within());
        }

        Assert.Equal(succeeded, host.Table.Get("c")[0]);
    }

    [Fact]
    public async Task Db_Dispose_stops_a_running_consumer_and_completes_Entries()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 3);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10 });
        await consumer.Entries.ReadAsync(3);

        await host.DisposeDbAsync();

        await consumer.Entries.Completion.Within();
        await consumer.Completion.Within();
        Assert.False(consumer.Mark(1));
    }

    [Fact]
    public async Task Db_Dispose_persists_a_consumers_held_marks()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 5);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10, Skip = 4 });
        await consumer.Entries.ReadAsync(5);
        Task first = consumer.MarkAsync(2, cumulative: true);
        Task second = consumer.MarkAsync(4);
        await consumer.MarksProcessedAsync();

        await host.DisposeDbAsync();

        await Task.WhenAll(first, second).Within();
        Assert.Equal([2UL, 4UL], host.StoredAfterReopen("c"));
    }

    [Fact]
    public async Task Ledger_Dispose_while_a_consumer_runs_completes_Entries_with_ObjectDisposedException()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 3);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10 });
        await consumer.Entries.ReadAsync(3);

        await Task.Run(host.Ledger.Dispose).Within();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => consumer.Entries.Completion.Within());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => consumer.Completion.Within());
    }

    [Fact]
    public async Task Ledger_Dispose_while_a_consumer_runs_calls_Errors_with_ObjectDisposedException()
    {
        await using var host = new ConsumerHost();
        var errors = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Start(new ConsumerOptions { Name = "c", Errors = e => errors.TrySetResult(e) });

        await Task.Run(host.Ledger.Dispose).Within();

        Assert.IsType<ObjectDisposedException>(await errors.Task.Within());
    }

    [Fact]
    public async Task Ledger_Dispose_stops_a_temporary_consumer_with_ObjectDisposedException()
    {
        await using var host = new ConsumerHost();
        Consumer consumer = host.StartWithoutTable(new ConsumerOptions());

        await Task.Run(host.Ledger.Dispose).Within();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => consumer.Entries.Completion.Within());
    }

    [Fact]
    public async Task Table_Dispose_while_a_named_consumer_runs_completes_Entries_with_ObjectDisposedException()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 3);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10 });
        await consumer.Entries.ReadAsync(3); // a completed channel reports its error once drained

        await Task.Run(host.Table.Dispose).Within();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => consumer.Entries.Completion.Within());
    }

    [Fact]
    public async Task Ledger_Dispose_persists_held_marks_before_the_consumer_stops()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 5);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10, Skip = 4 });
        await consumer.Entries.ReadAsync(5);
        Task held = consumer.MarkAsync(3, cumulative: true);
        await consumer.MarksProcessedAsync();

        await Task.Run(host.Ledger.Dispose).Within();

        await held.Within();
        Assert.Equal([3UL], host.Table.Get("c"));
    }

    [Fact]
    public async Task An_ack_that_throws_is_caught_logged_and_the_consumer_goes_on()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 4);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 2 });
        await consumer.Entries.ReadAsync(2);

        Assert.True(consumer.Mark(1, ack: _ => throw new InvalidOperationException("ack failed")));
        await consumer.MarkAsync(2).Within();

        Assert.Equal(Run(3, 2), await consumer.Entries.ReadSequencesAsync(2));
        Assert.Contains(host.Logger.At(LogLevel.Error), m => m.Exception is InvalidOperationException { Message: "ack failed" });
        Assert.False(consumer.Completion.IsCompleted);
    }

    [Fact]
    public async Task An_ack_that_throws_on_an_invalid_mark_is_caught()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 2);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10 });
        await consumer.Entries.ReadAsync(2);

        Assert.True(consumer.Mark(99, ack: _ => throw new InvalidOperationException("ack failed")));

        await consumer.MarkAsync(2, cumulative: true).Within();
        Assert.Equal([2UL], host.Table.Get("c"));
    }

    [Fact]
    public async Task A_temporary_consumers_ack_that_throws_is_caught_inside_Mark()
    {
        await using var host = new ConsumerHost();
        Consumer consumer = host.StartWithoutTable(new ConsumerOptions());

        Assert.True(consumer.Mark(1, ack: _ => throw new InvalidOperationException("ack failed")));
    }

    [Fact]
    public async Task An_ack_that_throws_when_the_consumer_closes_does_not_prevent_the_close()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 2);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10, Skip = 1 });
        await consumer.Entries.ReadAsync(2);
        Assert.True(consumer.Mark(1, ack: _ => throw new InvalidOperationException("ack failed")));
        await consumer.MarksProcessedAsync();

        await consumer.DisposeAsync().Within();

        await consumer.Completion.Within();
        Assert.Equal([1UL], host.Table.Get("c"));
    }
}
