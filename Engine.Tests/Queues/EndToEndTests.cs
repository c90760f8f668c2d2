using System.Collections.Concurrent;
using System.Threading.Channels;
using Quasar.Tests.Support;
using Xunit.Abstractions;

namespace Quasar.Tests.Queues;

/// <summary>
/// A producer and named consumers on one queue, with restarts and a cleaner. The entry count of the
/// big run is QUASAR_E2E_ENTRIES (default 100,000).
/// </summary>
public sealed class EndToEndTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private static int EntryCount() =>
        int.TryParse(Environment.GetEnvironmentVariable("QUASAR_E2E_ENTRIES"), out int count) && count > 0 ? count : 100_000;

    private static Entry Payload(ulong sequence) => new(sequence, BitConverter.GetBytes(sequence));

    /// <summary>Writes entries 1..count through a queue producer on a dedicated thread, then flushes.</summary>
    private static async Task ProduceAsync(Queue queue, int count, ConcurrentQueue<Exception> errors)
    {
        Producer producer = queue.CreateProducer(new ProducerOptions { Batch = 500, Timeout = TimeSpan.FromMilliseconds(1) });
        await Task.Factory.StartNew(
            () =>
            {
                for (ulong sequence = 1; sequence <= (ulong)count; sequence++)
                {
                    if (!producer.Write(Payload(sequence), error =>
                    {
                        if (error is not null)
                        {
                            errors.Enqueue(error);
                        }
                    }))
                    {
                        errors.Enqueue(new InvalidOperationException($"Producer.Write({sequence}) returned false."));
                        return;
                    }
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).WaitAsync(TimeSpan.FromSeconds(60));
        await producer.FlushAsync().Within();
        await producer.DisposeAsync().Within();
    }

    /// <summary>Waits for at least one entry (bounded) and takes every entry available now.</summary>
    private static async Task<List<Entry>> NextEntriesAsync(ChannelReader<Entry> reader)
    {
        using var timeout = new CancellationTokenSource(Bounded.Limit);
        Assert.True(await reader.WaitToReadAsync(timeout.Token), "Entries completed while entries were still expected.");
        var entries = new List<Entry>();
        while (reader.TryRead(out Entry entry))
        {
            entries.Add(entry);
        }

        return entries;
    }

    [Fact]
    public async Task Every_entry_reaches_a_named_consumer_that_is_restarted_at_random_points()
    {
        int count = EntryCount();
        int seed = Environment.TickCount;
        output.WriteLine($"entries {count}, seed {seed}");
        var random = new Random(seed);
        long[] restartAt = [.. Enumerable.Range(0, random.Next(5, 11)).Select(_ => (long)random.Next(1, count)).Order()];
        output.WriteLine($"restarts after {string.Join(", ", restartAt)} received entries");

        using var db = Db.Open(temp.Path);
        using var queue = Queue.Open(db, new QueueOptions { Prefix = "e2e", LedgerCache = 2_000 });
        var options = new ConsumerOptions { Name = "reader", Batch = 500, Window = 1000, Skip = 100, Timeout = TimeSpan.FromMilliseconds(50) };
        var produceErrors = new ConcurrentQueue<Exception>();
        var markErrors = new ConcurrentQueue<Exception>();
        var deliveries = new int[count + 1];
        var acked = new bool[count + 1];
        var leftUnmarked = new List<ulong>();
        long received = 0;
        int nextRestart = 0;
        int distinct = 0;
        int lifetimes = 0;

        Task producing = ProduceAsync(queue, count, produceErrors);
        while (distinct < count)
        {
            Consumer consumer = queue.CreateConsumer(options);
            lifetimes++;
            ulong previous = 0;
            var pending = new List<ulong>();
            int markEvery = random.Next(1, 65);
            bool restart = false;
            while (!restart && distinct < count)
            {
                foreach (Entry entry in await NextEntriesAsync(consumer.Entries))
                {
                    ulong sequence = entry.Sequence;
                    Assert.True(sequence > previous, $"Lifetime {lifetimes} delivered {sequence} after {previous}.");
                    Assert.InRange(sequence, 1UL, (ulong)count);
                    Assert.Equal(sequence, BitConverter.ToUInt64(entry.Payload.Span));
                    Assert.False(Volatile.Read(ref acked[sequence]), $"Entry {sequence} was delivered again although its mark was acknowledged.");
                    previous = sequence;
                    if (deliveries[sequence]++ == 0)
                    {
                        distinct++;
                    }

                    received++;
                    pending.Add(sequence);
                    if (pending.Count >= markEvery || distinct == count)
                    {
                        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pending));
                        foreach (ulong mark in pending)
                        {
                            Assert.True(consumer.Mark(mark, ack: error =>
                            {
                                if (error is null)
                                {
                                    Volatile.Write(ref acked[mark], true);
                                }
                                else if (error is not ConsumerClosedException)
                                {
                                    markErrors.Enqueue(error);
                                }
                            }));
                        }

                        pending.Clear();
                        markEvery = random.Next(1, 65);
                    }

                    if (nextRestart < restartAt.Length && received >= restartAt[nextRestart])
                    {
                        nextRestart++;
                        restart = distinct < count;
                        if (restart)
                        {
                            break;
                        }
                    }
                }
            }

            leftUnmarked.AddRange(pending); // never marked: the next lifetime must deliver them again
            await consumer.DisposeAsync().Within();
        }

        await producing.WaitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine($"lifetimes {lifetimes}, received {received}, redelivered {received - count}, left unmarked at restarts {leftUnmarked.Count}");

        Assert.Empty(produceErrors);
        Assert.Empty(markErrors);
        Assert.True(lifetimes > restartAt.Length / 2, $"Only {lifetimes} consumer lifetimes ran.");
        Assert.All(Enumerable.Range(1, count), s => Assert.True(deliveries[s] > 0, $"Entry {s} was never delivered."));
        Assert.All(leftUnmarked, s => Assert.True(deliveries[s] >= 2, $"Entry {s}, left unmarked at a restart, was not delivered again."));
        Assert.Equal([(ulong)count], queue.Table.Get("reader"));
    }

    [Fact]
    public async Task Several_named_consumers_on_one_queue_progress_independently()
    {
        const int Count = 5_000;
        using var db = Db.Open(temp.Path);
        using var queue = Queue.Open(db, new QueueOptions { Prefix = "shared" });
        Consumer fast = queue.CreateConsumer(new ConsumerOptions { Name = "fast", Batch = 100, Window = 200, Skip = 10, Timeout = TimeSpan.FromMilliseconds(20) });
        Consumer stuck = queue.CreateConsumer(new ConsumerOptions { Name = "stuck", Window = 20 });
        var produceErrors = new ConcurrentQueue<Exception>();

        Task producing = ProduceAsync(queue, Count, produceErrors);
        ulong expected = 1;
        while (expected <= Count)
        {
            foreach (Entry entry in await NextEntriesAsync(fast.Entries))
            {
                Assert.Equal(expected++, entry.Sequence);
                Assert.True(fast.Mark(entry.Sequence));
            }
        }

        await producing.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Empty(produceErrors);
        await fast.MarkAsync(Count).Within();
        Assert.Equal([(ulong)Count], queue.Table.Get("fast"));

        ulong[] stuckDelivered = await stuck.Entries.ReadSequencesAsync(20);
        Assert.Equal(ConsumerProbe.Run(1, 20), stuckDelivered);
        await stuck.Entries.AssertNothingDeliveredAsync();
        Assert.Equal([0UL], queue.Table.Get("stuck"));

        await stuck.MarkAsync(20, cumulative: true).Within();

        Assert.Equal([20UL], queue.Table.Get("stuck"));
        Assert.Equal([(ulong)Count], queue.Table.Get("fast"));
        Assert.Equal(21UL, (await stuck.Entries.ReadOneAsync()).Sequence);
    }

    [Fact]
    public async Task A_cleaner_never_deletes_an_entry_that_a_named_consumer_has_not_marked()
    {
        const int Count = 4_000;
        using var db = Db.Open(temp.Path);
        using var queue = Queue.Open(db, new QueueOptions { Prefix = "cleaned", CleanInterval = TimeSpan.FromMilliseconds(100), CleanRetention = 0 });
        var fastOptions = new ConsumerOptions { Name = "fast", Batch = 500, Window = 1000, Skip = 100, Timeout = TimeSpan.FromMilliseconds(50) };
        var slowOptions = new ConsumerOptions { Name = "slow", Batch = 10, Window = 50, Skip = 5, Timeout = TimeSpan.FromMilliseconds(20) };
        Consumer fast = queue.CreateConsumer(fastOptions);
        Consumer slow = queue.CreateConsumer(slowOptions);
        var produceErrors = new ConcurrentQueue<Exception>();
        var violations = new ConcurrentQueue<string>();
        using var sampling = new CancellationTokenSource();

        // The tail, read before the positions, never passes the lowest first position (positions only grow).
        Task sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                ulong tail = queue.Ledger.Tail;
                ulong lowest = Math.Min(queue.Table.Get("fast")[0], queue.Table.Get("slow")[0]);
                if (tail > lowest)
                {
                    violations.Enqueue($"tail {tail} above the lowest stored position {lowest}");
                }

                await Task.Delay(5);
            }
        });

        Task producing = ProduceAsync(queue, Count, produceErrors);
        Task fastReading = Task.Run(async () =>
        {
            ulong expected = 1;
            while (expected <= Count)
            {
                foreach (Entry entry in await NextEntriesAsync(fast.Entries))
                {
                    Assert.Equal(expected++, entry.Sequence);
                    Assert.True(fast.Mark(entry.Sequence));
                }
            }

            await fast.MarkAsync(Count).Within();
        });

        // The slow consumer reads in small steps, marks each entry only ten entries later, and
        // restarts once, halfway, leaving its last ten entries unmarked.
        var slowDelivered = new List<ulong>();
        var unmarked = new List<ulong>();
        ulong slowExpected = 1;
        ulong[] leftUnmarked = [];
        bool restarted = false;
        while (slowExpected <= Count)
        {
            Entry entry = await slow.Entries.ReadOneAsync();
            Assert.Equal(slowExpected, entry.Sequence);
            Assert.Equal(entry.Sequence, BitConverter.ToUInt64(entry.Payload.Span));
            slowDelivered.Add(entry.Sequence);
            slowExpected++;
            unmarked.Add(entry.Sequence);
            if (unmarked.Count > 10)
            {
                Assert.True(slow.Mark(unmarked[0]));
                unmarked.RemoveAt(0);
            }

            if (!restarted && entry.Sequence == Count / 2)
            {
                restarted = true;
                leftUnmarked = [.. unmarked];
                unmarked.Clear();
                await slow.DisposeAsync().Within();
                slow = queue.CreateConsumer(slowOptions);
                slowExpected = leftUnmarked[0];
            }

            if (entry.Sequence % 25 == 0)
            {
                await Task.Delay(1);
            }
        }

        foreach (ulong sequence in unmarked)
        {
            Assert.True(slow.Mark(sequence));
        }

        await slow.MarkAsync(Count).Within();
        await fastReading.Within();
        await producing.WaitAsync(TimeSpan.FromSeconds(60));
        await Bounded.Until(() => queue.Ledger.Tail == Count, "the cleaner deletes every entry both consumers marked");
        await sampling.CancelAsync().Within();
        await sampler.Within();

        Assert.Empty(produceErrors);
        Assert.Empty(violations);
        Assert.Equal(Count + leftUnmarked.Length, slowDelivered.Count);
        Assert.All(leftUnmarked, s => Assert.Equal(2, slowDelivered.Count(d => d == s)));
    }
}
