using System.Buffers.Binary;
using System.Diagnostics;

namespace Quasar.Bench.Macro.Engines;

/// <summary>Our engine: one <see cref="Ledger"/> (W1-W4, W6) or a <see cref="Queue"/> (W5).</summary>
public sealed class QuasarEngine : IEngineWorkloads
{
    private const string Prefix = "bench:l";

    public string Name => "quasar";

    public bool Supports(string workload) => workload is "W1" or "W2" or "W3" or "W4" or "W5" or "W6";

    public string Mode(string workload) => workload switch
    {
        "W1" => "SyncWrites off, one Db.Sync at the end; no compression",
        "W2" => "SyncWrites on: fdatasync per Ledger.Write of 10",
        "W3" => "reopened (page cache warm), Cache 0, Read(seq, 1000)",
        "W4" => "Db.Open + Ledger.Open (Cache 0) + Length, page cache warm",
        "W5" => "Queue, SyncWrites off, producer Batch 2500 -> named consumer Window 5000, Skip 2500",
        "W6" => "reopened (page cache warm), Cache 0, Read(random, 1)",
        _ => throw new ArgumentOutOfRangeException(nameof(workload), workload, null),
    };

    public TimeSpan Append(string directory, int entries, int batch, bool durableEachWrite)
    {
        var buffer = new byte[batch * BenchPayload.Length];
        var batchEntries = new Entry[batch];
        var watch = Stopwatch.StartNew();
        using var db = Db.Open(directory, new DbOptions { SyncWrites = durableEachWrite });
        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = Prefix });
        for (int written = 0; written < entries; written += batch)
        {
            if (entries - written < batch)
            {
                batchEntries = new Entry[entries - written];
            }

            BenchPayload.FillBatch(batchEntries, buffer, (ulong)written + 1);
            ledger.Write(batchEntries);
        }

        db.Sync();
        return watch.Elapsed;
    }

    public TimeSpan Open(string directory, int entries)
    {
        var watch = Stopwatch.StartNew();
        using var db = Db.Open(directory);
        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = Prefix });
        ulong head = ledger.Head;
        long length = ledger.Length;
        TimeSpan elapsed = watch.Elapsed;
        if (length != entries || head != (ulong)entries)
        {
            throw new InvalidOperationException($"W4 opened {length} entries up to {head}, expected {entries}");
        }

        return elapsed;
    }

    public TimeSpan ReadAll(string directory, int entries)
    {
        using var db = Db.Open(directory);
        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = Prefix });
        var watch = Stopwatch.StartNew();
        long read = 0;
        ulong next = 1;
        while (true)
        {
            IReadOnlyList<Entry> chunk = ledger.Read(next, 1000);
            if (chunk.Count == 0)
            {
                break;
            }

            for (int i = 0; i < chunk.Count; i++)
            {
                BenchPayload.Verify(chunk[i].Payload.Span, next + (ulong)i);
            }

            read += chunk.Count;
            next = chunk[^1].Sequence + 1;
        }

        TimeSpan elapsed = watch.Elapsed;
        if (read != entries)
        {
            throw new InvalidOperationException($"W3 read {read} entries, expected {entries}");
        }

        return elapsed;
    }

    public TimeSpan PointReads(string directory, int entries, int reads, int seed)
    {
        using var db = Db.Open(directory);
        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = Prefix });
        var random = new Random(seed);
        for (int i = 0; i < 1000; i++)
        {
            ReadOne(ledger, (ulong)random.Next(1, entries + 1));
        }

        var watch = Stopwatch.StartNew();
        for (int i = 0; i < reads; i++)
        {
            ReadOne(ledger, (ulong)random.Next(1, entries + 1));
        }

        return watch.Elapsed;
    }

    private static void ReadOne(Ledger ledger, ulong sequence)
    {
        IReadOnlyList<Entry> one = ledger.Read(sequence, 1);
        if (one.Count != 1 || one[0].Sequence != sequence)
        {
            throw new InvalidOperationException($"W6 read of {sequence} failed");
        }

        BenchPayload.Verify(one[0].Payload.Span, sequence);
    }

    /// <summary>
    /// W5 with BENCH.md's exact parameters: one producer writes <paramref name="entries"/> entries
    /// (sequences from <see cref="Sequence.Generate"/>, the send time in the payload's first 8 bytes)
    /// as fast as it accepts them; one named consumer reads and marks each. Timed: from the first
    /// <see cref="Producer.Write"/> call until the consumer has received the last entry.
    /// </summary>
    public static QueueRun RunQueue(string directory, int entries)
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

/// <summary>W5's outcome: time until the consumer had all, and the latencies from Write call to receipt.</summary>
public readonly record struct QueueRun(TimeSpan Elapsed, double P50Ms, double P99Ms, double MaxMs);
