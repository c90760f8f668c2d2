namespace Quasar.Tests.Producers;

/// <summary>The producer's queue wakes its reader exactly when the reader's condition holds, and never loses a wake.</summary>
public sealed class BatchQueueTests
{
    [Fact]
    public void A_wait_for_a_full_batch_does_not_complete_before_the_batch_is_there()
    {
        var queue = new BatchQueue<int>(10);
        ValueTask waiting = queue.WaitAsync(3);
        queue.TryAdd(1);
        queue.TryAdd(2);

        Assert.False(waiting.IsCompleted);
        queue.TryAdd(3);
        Assert.True(waiting.IsCompleted);
    }

    [Fact]
    public void An_urgent_item_wakes_a_waiting_reader_at_once()
    {
        var queue = new BatchQueue<int>(10);
        ValueTask waiting = queue.WaitAsync(5);

        queue.TryAdd(1, urgent: true);

        Assert.True(waiting.IsCompleted);
    }

    [Fact]
    public void An_urgent_item_added_between_two_waits_makes_the_next_wait_return_at_once()
    {
        var queue = new BatchQueue<int>(10);
        queue.TryAdd(1, urgent: true);

        Assert.True(IsCompleted(queue.WaitAsync(9)));
    }

    [Fact]
    public void A_wake_that_arrives_before_the_wait_is_kept_for_it()
    {
        var queue = new BatchQueue<int>(10);
        queue.WakeReader();

        Assert.True(IsCompleted(queue.WaitAsync(9)));
        Assert.False(IsCompleted(queue.WaitAsync(9))); // kept once, not for ever
    }

    [Fact]
    public void Close_wakes_the_reader_and_leaves_the_queued_items_to_take()
    {
        var queue = new BatchQueue<int>(10);
        queue.TryAdd(7);
        ValueTask waiting = queue.WaitAsync(5);

        queue.Close();

        Assert.True(waiting.IsCompleted);
        Assert.False(queue.TryAdd(8));
        var taken = new List<int>();
        Assert.Equal(1, queue.TakeInto(taken, 10));
        Assert.Equal([7], taken);
    }

    [Fact]
    public void A_full_queue_refuses_ordinary_items_but_takes_urgent_ones()
    {
        var queue = new BatchQueue<int>(2);
        Assert.True(queue.TryAdd(1));
        Assert.True(queue.TryAdd(2));

        Assert.False(queue.TryAdd(3));
        Assert.True(queue.TryAdd(4, urgent: true));
        var taken = new List<int>();
        queue.TakeInto(taken, 10);
        Assert.Equal([1, 2, 4], taken);
    }

    [Fact]
    public async Task A_blocked_writer_proceeds_once_the_reader_takes_items()
    {
        var queue = new BatchQueue<int>(1);
        queue.TryAdd(1);
        Task<bool> blocked = Task.Run(() => queue.Add(2));

        await Task.Delay(50);
        Assert.False(blocked.IsCompleted);
        queue.TakeInto([], 1);

        Assert.True(await blocked.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static bool IsCompleted(ValueTask wait) => wait.IsCompleted;
}
