using System.Threading.Tasks.Sources;

namespace Quasar;

/// <summary>
/// The producer's bounded FIFO: many writers, one reader that takes items in bulk. Unlike a
/// channel it wakes the reader only when the reader's own condition is met (enough items for a
/// full batch, an item that must not wait, its timer, or closing), so a writer pays one lock and
/// no allocation per item, and the reader wakes once per batch rather than once per item.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
/// <remarks>
/// Protocol: one lock guards the ring, the counters and the waiting writers. The order in which
/// items enter is decided under that lock, so the optional entry hook runs there too, once per
/// item, in exactly the order the reader will take them.
/// </remarks>
internal sealed class BatchQueue<T>
{
    private readonly object sync = new();
    private readonly int capacity;
    private readonly Func<T, T>? onEnter;
    private readonly ReaderSignal signal = new();
    private T[] ring;
    private int head;
    private int count;
    private bool closed;
    private int wakeAt;
    private bool wakePending;
    private int blockedWriters;
    private List<TaskCompletionSource>? waitingWriters;

    /// <summary>Creates the queue.</summary>
    /// <param name="capacity">How many items fit before writers wait (urgent items excepted).</param>
    /// <param name="onEnter">
    /// Called under the queue's lock as an item is accepted, in queue order; what it returns is
    /// queued instead. It must be quick and must not call back into the queue; if it throws, the
    /// item is not queued and the exception reaches the writer.
    /// </param>
    public BatchQueue(int capacity, Func<T, T>? onEnter = null)
    {
        this.capacity = capacity;
        this.onEnter = onEnter;
        ring = new T[InitialCapacity.For(capacity)];
    }

    /// <summary>Whether <see cref="Close"/> was called.</summary>
    public bool IsClosed
    {
        get
        {
            lock (sync)
            {
                return closed;
            }
        }
    }

    /// <summary>
    /// Adds an item if there is room; an <paramref name="urgent"/> item (a flush request) is added
    /// even when full and wakes a waiting reader at once. False when full or closed.
    /// </summary>
    public bool TryAdd(in T item, bool urgent = false)
    {
        bool wake = false;
        lock (sync)
        {
            if (closed || (!urgent && count >= capacity))
            {
                return false;
            }

            if (count == ring.Length)
            {
                Grow();
            }

            ring[Slot(count)] = onEnter is null ? item : onEnter(item);
            count++;
            if (wakeAt > 0 && (urgent || count >= wakeAt))
            {
                wakeAt = 0;
                wake = true;
            }
            else if (urgent)
            {
                wakePending = true; // the reader is between waits: its next wait must not sleep
            }
        }

        if (wake)
        {
            signal.Set();
        }

        return true;
    }

    /// <summary>Adds an item, blocking while the queue is full; false once it is closed.</summary>
    public bool Add(in T item)
    {
        var spin = default(SpinWait);
        while (!TryAdd(item))
        {
            // The reader frees a whole batch at a time, usually within microseconds: spin a
            // little before parking the thread.
            if (!spin.NextSpinWillYield)
            {
                spin.SpinOnce(sleep1Threshold: -1);
                continue;
            }

            lock (sync)
            {
                if (closed)
                {
                    return false;
                }

                if (count >= capacity)
                {
                    blockedWriters++;
                    Monitor.Wait(sync);
                    blockedWriters--;
                }
            }
        }

        return true;
    }

    /// <summary>Adds an item, waiting asynchronously while the queue is full; false once it is closed.</summary>
    public async Task<bool> AddAsync(T item, CancellationToken cancellationToken)
    {
        while (!TryAdd(item))
        {
            TaskCompletionSource room;
            lock (sync)
            {
                if (closed)
                {
                    return false;
                }

                if (count < capacity)
                {
                    continue;
                }

                room = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                (waitingWriters ??= []).Add(room);
            }

            await room.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Reader: completes once at least <paramref name="atLeast"/> items are queued, or on <see cref="WakeReader"/>, an urgent item, or close.</summary>
    public ValueTask WaitAsync(int atLeast)
    {
        lock (sync)
        {
            if (closed || count >= atLeast || wakePending)
            {
                wakePending = false;
                return ValueTask.CompletedTask;
            }

            wakeAt = atLeast;
            signal.Reset();
        }

        return signal.WaitAsync();
    }

    /// <summary>
    /// Wakes the reader (its timeout passed). If it is not waiting yet - the timer can fire between
    /// the reader's last check and its wait - the wake is kept for its next <see cref="WaitAsync"/>,
    /// which then returns at once; a stale one costs the reader one empty turn.
    /// </summary>
    public void WakeReader()
    {
        bool wake;
        lock (sync)
        {
            wake = wakeAt > 0;
            wakePending = !wake;
            wakeAt = 0;
        }

        if (wake)
        {
            signal.Set();
        }
    }

    /// <summary>Reader: moves up to <paramref name="max"/> items, oldest first, into <paramref name="into"/>; returns how many.</summary>
    public int TakeInto(List<T> into, int max)
    {
        List<TaskCompletionSource>? freed = null;
        int taken;
        lock (sync)
        {
            taken = Math.Min(max, count);
            for (int i = 0; i < taken; i++)
            {
                into.Add(ring[head]);
                ring[head] = default!;
                head = head + 1 == ring.Length ? 0 : head + 1;
            }

            count -= taken;
            if (taken > 0)
            {
                if (blockedWriters > 0)
                {
                    Monitor.PulseAll(sync);
                }

                freed = waitingWriters;
                waitingWriters = null;
            }
        }

        Release(freed);
        return taken;
    }

    /// <summary>Stops accepting items and wakes everyone; queued items stay for the reader to take.</summary>
    public void Close()
    {
        List<TaskCompletionSource>? freed;
        bool wake;
        lock (sync)
        {
            closed = true;
            wake = wakeAt > 0;
            wakeAt = 0;
            Monitor.PulseAll(sync);
            freed = waitingWriters;
            waitingWriters = null;
        }

        if (wake)
        {
            signal.Set();
        }

        Release(freed);
    }

    private static void Release(List<TaskCompletionSource>? writers)
    {
        if (writers is not null)
        {
            foreach (TaskCompletionSource writer in writers)
            {
                writer.TrySetResult();
            }
        }
    }

    private int Slot(int index)
    {
        int slot = head + index;
        return slot >= ring.Length ? slot - ring.Length : slot;
    }

    private void Grow()
    {
        var larger = new T[ring.Length * 2];
        for (int i = 0; i < count; i++)
        {
            larger[i] = ring[Slot(i)];
        }

        ring = larger;
        head = 0;
    }

    /// <summary>A reusable awaitable the reader waits on: no allocation per wait.</summary>
    private sealed class ReaderSignal : IValueTaskSource
    {
        private ManualResetValueTaskSourceCore<bool> core = new() { RunContinuationsAsynchronously = true };

        public void Reset() => core.Reset();

        public void Set() => core.SetResult(true);

        public ValueTask WaitAsync() => new(this, core.Version);

        public void GetResult(short token) => core.GetResult(token);

        public ValueTaskSourceStatus GetStatus(short token) => core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            core.OnCompleted(continuation, state, token, flags);
    }
}
