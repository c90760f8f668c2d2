using System.Buffers.Binary;
using System.Diagnostics;

namespace Quasar.Bench.Macro.Engines;

// Our engine's W5 (the IQueueWorkload capability): a Queue with one producer and one named consumer.
public sealed partial class QuasarEngine : IQueueWorkload
{
    /// <summary>
    /// W5 with BENCH.md's exact parameters: one producer writes <paramref name="entries"/> entries
    /// (sequences from <see cref="Sequence.Generate"/>, the send time in the payload's first 8 bytes)
    /// as fast as it accepts them; one named consumer reads and marks each. Timed: from the first
    /// <see cref="Producer.Write"/> call until the consumer has received the last entry.
    /// </summary>
    public QueueRun RunQueue(string directory, int entries)
    {
        // The producer does not copy payloads: each stays untouched until its ack. A ring of
        // payload slots, reused only once acknowledged (about 5,000 are ever in flight).
        const int Slots = 16_384;
        var ring = new byte[Slots * BenchPayload.Length];
        var latencies = new int[entries]; // microseconds, Write call -> receipt
        long acked = 0;
        Exception? failure = null;
        void Ack(Exception? error)
        {
            if (error is not null)
            {
                Interlocked.CompareExchange(ref failure, error, null);
            }

            Interlocked.Increment(ref acked);
        }

        using var db = Db.Open(directory, new DbOptions { SyncWrites = false });
        using var queue = Queue.Open(db, new QueueOptions
        {
            Prefix = "bench",
            LedgerLimit = 500_000,
            LedgerCache = 500_000,
            TableCache = true,
            CleanInterval = TimeSpan.FromMilliseconds(500),
        });
        Producer producer = queue.CreateProducer(new ProducerOptions
        {
            Batch = 2500,
            Timeout = TimeSpan.FromMilliseconds(1),
            Retry = 100,
            Delay = TimeSpan.FromMilliseconds(100),
        });
        Consumer consumer = queue.CreateConsumer(new ConsumerOptions
        {
            Name = "bench",
            Batch = 2500,
            Window = 5000,
            Skip = 2500,
            Timeout = TimeSpan.FromSeconds(1),
            Deadline = TimeSpan.FromSeconds(10),
        });

        Action<Exception?> ack = Ack;
        Task<long> receiving = Task.Factory.StartNew(() => Receive(consumer, latencies), TaskCreationOptions.LongRunning);
        long started = Stopwatch.GetTimestamp();
        for (int i = 0; i < entries; i++)
        {
            var spin = default(SpinWait);
            while (i - Volatile.Read(ref acked) >= Slots)
            {
                ThrowIfFailed(failure, receiving);
                spin.SpinOnce();
            }

            Memory<byte> payload = ring.AsMemory(i % Slots * BenchPayload.Length, BenchPayload.Length);
            BenchPayload.Write(payload.Span, (ulong)Stopwatch.GetTimestamp());
            if (!producer.Write(new Entry(Sequence.Generate(), payload), ack))
            {
                throw new InvalidOperationException("W5: the producer closed");
            }
        }

        if (!receiving.Wait(TimeSpan.FromMinutes(5)))
        {
            throw new TimeoutException($"W5: the consumer received fewer than {entries} entries in 5 minutes");
        }

        long finished = receiving.Result;
        ThrowIfFailed(failure, receiving);
        TimeSpan elapsed = Stopwatch.GetElapsedTime(started, finished);
        producer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        consumer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Array.Sort(latencies);
        return new QueueRun(elapsed, latencies[latencies.Length / 2] / 1000.0, latencies[(int)(latencies.Length * 0.99)] / 1000.0, latencies[^1] / 1000.0);
    }

    private static long Receive(Consumer consumer, int[] latencies)
    {
        double microsecondsPerTick = 1e6 / Stopwatch.Frequency;
        var reader = consumer.Entries;
        int received = 0;
        while (received < latencies.Length)
        {
            if (!reader.TryRead(out Entry entry))
            {
                if (!reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                {
                    consumer.Completion.GetAwaiter().GetResult(); // rethrows what the consumer died of
                    throw new InvalidOperationException($"W5: the consumer closed after {received} entries");
                }

                continue;
            }

            long now = Stopwatch.GetTimestamp();
            long sent = BinaryPrimitives.ReadInt64BigEndian(entry.Payload.Span);
            latencies[received++] = (int)Math.Min(int.MaxValue, (now - sent) * microsecondsPerTick);
            if (!consumer.Mark(entry.Sequence))
            {
                throw new InvalidOperationException("W5: the consumer closed while marking");
            }
        }

        return Stopwatch.GetTimestamp();
    }

    private static void ThrowIfFailed(Exception? failure, Task receiving)
    {
        if (failure is not null)
        {
            throw new InvalidOperationException("W5: a producer write failed", failure);
        }

        if (receiving.IsFaulted)
        {
            receiving.GetAwaiter().GetResult();
        }
    }
}
