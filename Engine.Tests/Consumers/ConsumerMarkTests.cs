using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Quasar.Tests.Support;
using static Quasar.Tests.Support.ConsumerProbe;

namespace Quasar.Tests.Consumers;

public sealed class ConsumerMarkTests
{
    [Fact]
    public async Task Marking_the_oldest_delivered_entry_persists_it_as_the_first_position()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 3);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10 });
        await consumer.Entries.ReadAsync(3);

        await consumer.MarkAsync(1).Within();

        Assert.Equal([1UL], host.Table.Get("c"));
    }

    [Fact]
    public async Task A_single_mark_marks_only_its_own_sequence()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 3);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10 });
        await consumer.Entries.ReadAsync(3);

        await consumer.MarkAsync(2).Within();

        Assert.Equal([0UL, 2UL], host.Table.Get("c"));
    }

    [Fact]
    public async Task A_cumulative_mark_marks_every_delivered_entry_up_to_it()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 5);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10 });
        await consumer.Entries.ReadAsync(5);

        await consumer.MarkAsync(4, cumulative: true).Within();

        Assert.Equal([4UL], host.Table.Get("c"));
    }

    [Fact]
    public async Task Marking_the_gap_joins_the_marks_after_it()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 5);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10 });
        await consumer.Entries.ReadAsync(5);
        await consumer.MarkAsync(2).Within();
        await consumer.MarkAsync(3).Within();
        await consumer.MarkAsync(5).Within();
        Assert.Equal([0UL, 2UL, 3UL, 5UL], host.Table.Get("c"));

        await consumer.MarkAsync(1).Within();

        Assert.Equal([3UL, 5UL], host.Table.Get("c"));
    }

    [Fact]
    public async Task Mark_returns_true_and_the_ack_gets_null_once_the_mark_is_persisted()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 2);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10 });
        await consumer.Entries.ReadAsync(2);
        var ack = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        ulong[]? storedAtAck = null;

        bool queued = consumer.Mark(1, ack: error =>
        {
            storedAtAck = host.Table.Get("c");
            ack.TrySetResult(error);
        });

        Assert.True(queued);
        Assert.Null(await ack.Task.Within());
        Assert.Equal([1UL], storedAtAck!);
    }

    [Fact]
    public async Task Mark_of_a_sequence_not_yet_delivered_acks_InvalidSequenceException()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 3 });
        await consumer.Entries.ReadAsync(3);
        var ack = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);

        Assert.True(consumer.Mark(7, ack: error => ack.TrySetResult(error)));

        Assert.IsType<InvalidSequenceException>(await ack.Task.Within());
    }

    [Fact]
    public async Task MarkAsync_of_a_sequence_not_delivered_faults_with_InvalidSequenceException()
    {
        await using var host = new ConsumerHost();
        host.Write(10, 20, 30);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10 });
        await consumer.Entries.ReadAsync(3);

        await Assert.ThrowsAsync<InvalidSequenceException>(() => consumer.MarkAsync(15).Within());
        await Assert.ThrowsAsync<InvalidSequenceException>(() => consumer.MarkAsync(31, cumulative: true).Within());
    }

    [Fact]
    public async Task An_invalid_mark_changes_nothing_and_the_consumer_goes_on()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 4);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 2 });
        await consumer.Entries.ReadAsync(2);

        await Assert.ThrowsAsync<InvalidSequenceException>(() => consumer.MarkAsync(3).Within());
        Assert.Equal([0UL], host.Table.Get("c"));

        await consumer.MarkAsync(2, cumulative: true).Within();
        Assert.Equal([2UL], host.Table.Get("c"));
        Assert.Equal(Run(3, 2), await consumer.Entries.ReadSequencesAsync(2));
    }

    [Fact]
    public async Task A_mark_at_or_below_the_persisted_first_position_succeeds_at_once()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        // Skip 3 without Timeout: a mark that were held would not complete before three more arrive.
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Start = 6, Window = 10, Skip = 3 });
        Assert.Equal([5UL], host.Table.Get("c"));

        await consumer.MarkAsync(5).Within();
        await consumer.MarkAsync(2).Within();
        await consumer.MarkAsync(1, cumulative: true).Within();
    }

    [Fact]
    public async Task Marks_at_or_below_the_persisted_first_position_do_not_count_toward_Skip()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Start = 6, Window = 10, Skip = 2 });
        Assert.Equal(Run(6, 3), await consumer.Entries.ReadSequencesAsync(3));

        Task sixth = consumer.MarkAsync(6);
        await consumer.MarkAsync(3).Within();
        await consumer.MarkAsync(4).Within();
        await consumer.MarkAsync(5).Within();
        Task seventh = consumer.MarkAsync(7);
        await consumer.MarksProcessedAsync();

        Assert.False(sixth.IsCompleted);
        Assert.False(seventh.IsCompleted);
        Assert.Equal([5UL], host.Table.Get("c"));

        await consumer.MarkAsync(8).Within();
        await Task.WhenAll(sixth, seventh).Within();
        Assert.Equal([8UL], host.Table.Get("c"));
    }

    [Fact]
    public async Task Marking_an_entry_twice_succeeds_both_times()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 3);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10 });
        await consumer.Entries.ReadAsync(3);

        await consumer.MarkAsync(2).Within();
        await consumer.MarkAsync(2).Within();
        await consumer.MarkAsync(1).Within();
        await consumer.MarkAsync(1).Within();

        Assert.Equal([2UL], host.Table.Get("c"));
    }

    [Fact]
    public async Task Concurrent_unordered_marks_from_several_tasks_all_complete_and_the_first_position_ends_at_the_last_sequence()
    {
        const int Count = 400;
        await using var host = new ConsumerHost();
        host.WriteRange(1, Count);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = Count, Batch = 50 });
        Assert.Equal(Run(1, Count), await consumer.Entries.ReadSequencesAsync(Count));
        ulong[] shuffled = Run(1, Count);
        new Random(7).Shuffle(shuffled);

        Task[] markers = Enumerable.Range(0, 4).Select(part => Task.Run(async () =>
        {
            for (int i = part; i < shuffled.Length; i += 4)
            {
                await consumer.MarkAsync(shuffled[i]).Within();
            }
        })).ToArray();
        await Task.WhenAll(markers).Within();

        Assert.Equal([(ulong)Count], host.Table.Get("c"));
    }

    [Fact]
    public async Task Concurrent_unordered_marks_with_Skip_and_Timeout_all_complete_and_the_first_position_ends_at_the_last_sequence()
    {
        const int Count = 400;
        await using var host = new ConsumerHost();
        host.WriteRange(1, Count);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = Count, Batch = 50, Skip = 9, Timeout = TimeSpan.FromMilliseconds(20) });
        Assert.Equal(Run(1, Count), await consumer.Entries.ReadSequencesAsync(Count));
        ulong[] shuffled = Run(1, Count);
        new Random(11).Shuffle(shuffled);
        var acks = new ConcurrentBag<Exception?>();
        int acked = 0;

        Task[] markers = Enumerable.Range(0, 4).Select(part => Task.Run(() =>
        {
            for (int i = part; i < shuffled.Length; i += 4)
            {
                Assert.True(consumer.Mark(shuffled[i], ack: error =>
                {
                    acks.Add(error);
                    Interlocked.Increment(ref acked);
                }));
            }
        })).ToArray();
        await Task.WhenAll(markers).Within();
        await Bounded.Until(() => Volatile.Read(ref acked) == Count, "every mark is acknowledged");

        Assert.All(acks, Assert.Null);
        Assert.Equal([(ulong)Count], host.Table.Get("c"));
    }

    [Fact]
    public async Task Marks_are_processed_in_the_order_they_were_queued()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 5);
        Consumer consumer = host.Start(new ConsumerOptions { Name = "c", Window = 10 });
        await consumer.Entries.ReadAsync(5);
        var order = new ConcurrentQueue<ulong>();

        foreach (ulong sequence in new ulong[] { 4, 2, 5, 1, 3 })
        {
            Assert.True(consumer.Mark(sequence, ack: _ => order.Enqueue(sequence)));
        }

        await consumer.MarksProcessedAsync();
        Assert.Equal([4UL, 2UL, 5UL, 1UL, 3UL], order.ToArray());
    }

    // ---- the lag gauge ----

    [Fact]
    public async Task The_lag_gauge_reports_the_entries_above_the_consumers_Position()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        string name = "lag-" + Guid.NewGuid().ToString("N");
        Consumer consumer = host.Start(new ConsumerOptions { Name = name, Window = 10 });
        Assert.Equal(10L, LagOf(name));

        await consumer.Entries.ReadAsync(5);
        await consumer.MarkAsync(4, cumulative: true).Within();

        Assert.Equal(6L, LagOf(name));
    }

    [Fact]
    public async Task The_lag_gauge_reports_what_Consumer_Lag_reports_held_marks_included()
    {
        // One definition of lag (issue 14): the gauge once counted from the persisted position (8 here).
        await using var host = new ConsumerHost();
        host.WriteRange(1, 10);
        string name = "lag-" + Guid.NewGuid().ToString("N");
        Consumer consumer = host.Start(new ConsumerOptions { Name = name, Start = 3, Window = 10, Skip = 5 });
        await consumer.Entries.ReadAsync(5);

        Assert.True(consumer.Mark(5, cumulative: true));
        await consumer.MarksProcessedAsync();

        Assert.Equal(5L, consumer.Lag); // the mark is held, not persisted: entries 6..10
        Assert.Equal(consumer.Lag, LagOf(name));
    }

    [Fact]
    public async Task A_disposed_consumer_is_no_longer_reported_by_the_lag_gauge()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 3);
        string name = "lag-" + Guid.NewGuid().ToString("N");
        Consumer consumer = host.Start(new ConsumerOptions { Name = name, Window = 10 });
        Assert.Equal(3L, LagOf(name));

        await consumer.DisposeAsync().Within();

        Assert.Null(LagOf(name));
    }

    [Fact]
    public async Task A_temporary_consumer_is_not_reported_by_the_lag_gauge()
    {
        await using var host = new ConsumerHost();
        host.WriteRange(1, 3);
        host.StartWithoutTable(new ConsumerOptions());

        Assert.DoesNotContain(LagMeasurements(), m => m.Consumer is null or "");
    }

    /// <summary>The lag reported for the consumer named <paramref name="name"/> (null if none), read with RecordObservableInstruments.</summary>
    private static long? LagOf(string name)
    {
        (string? Consumer, long Value)[] found = [.. LagMeasurements().Where(m => m.Consumer == name)];
        Assert.True(found.Length <= 1, $"The lag of {name} was reported {found.Length} times.");
        return found.Length == 0 ? null : found[0].Value;
    }

    private static List<(string? Consumer, long Value)> LagMeasurements()
    {
        var measurements = new List<(string? Consumer, long Value)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Quasar" && instrument.Name == "quasar.consumer.lag")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? consumer = null;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "consumer")
                {
                    consumer = tag.Value as string;
                }
            }

            measurements.Add((consumer, value));
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return measurements;
    }
}
