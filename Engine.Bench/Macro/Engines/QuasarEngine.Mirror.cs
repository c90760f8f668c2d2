using System.Diagnostics;
using System.Diagnostics.Metrics;
using NATS.Client.Core;
using Quasar.Bench.Macro.Nats;
using Quasar.Diagnostics;
using Quasar.Nats;

namespace Quasar.Bench.Macro.Engines;

/// <summary>
/// W9 on our engine: the bench writes the ledger 1,000 entries per <see cref="Ledger.Write"/>
/// while a <see cref="LedgerMirror"/> publishes it. Each entry's latency runs from the return of
/// the write that stored it to the mirror's handling of its acknowledgement.
/// </summary>
public sealed partial class QuasarEngine : IMirrorWorkload
{
    /// <summary>Entries per ledger write in W9.</summary>
    private const int MirrorBatch = 1000;

    public LatencyRun Mirror(string directory, int entries, string natsUrl)
    {
        string store = Path.Combine(directory, "db");
        Directory.CreateDirectory(store);
        var writtenAt = new long[(entries + MirrorBatch - 1) / MirrorBatch];
        using var acks = new AckClock(entries);
        using var db = Db.Open(store, new DbOptions { SyncWrites = false });
        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = Prefix });
        using var table = Table.Open(db, new TableOptions { Prefix = "bench:marks" });
        NatsConnection connection = BenchStream.Connect(natsUrl);
        try
        {
            BenchStream.CreateAsync(connection).GetAwaiter().GetResult();
            Exception? firstError = null;
            var mirror = new LedgerMirror(ledger, table, connection, new LedgerMirrorOptions
            {
                Name = "bench-mirror",
                Subject = BenchStream.Subject,
                MessageIdPrefix = BenchStream.IdPrefix,
                Window = BenchStream.Window,
                Errors = error => Interlocked.CompareExchange(ref firstError, error, null),
            });
            long started;
            try
            {
                mirror.StartAsync().GetAwaiter().GetResult();
                void ThrowIfRetried()
                {
                    if (mirror.Retries > 0 || mirror.Completion.IsCompleted)
                    {
                        throw new InvalidOperationException("W9: the mirror's session ended, so the run would measure re-sends", Volatile.Read(ref firstError) ?? mirror.Completion.Exception);
                    }
                }

                var buffer = new byte[MirrorBatch * BenchPayload.Length];
                var batch = new Entry[MirrorBatch];
                started = Stopwatch.GetTimestamp();
                for (int written = 0; written < entries; written += batch.Length)
                {
                    // Keeps the backlog bounded as the plain publisher's in-flight limit does, so
                    // the latency measures the path, not a queue the bench piled up in front of it.
                    for (var spin = default(SpinWait); written - acks.Count >= BenchStream.Window; spin.SpinOnce())
                    {
                        ThrowIfRetried();
                    }

                    if (entries - written < batch.Length)
                    {
                        batch = new Entry[entries - written];
                    }

                    BenchPayload.FillBatch(batch, buffer, (ulong)written + 1);
                    ledger.Write(batch);
                    writtenAt[written / MirrorBatch] = Stopwatch.GetTimestamp();
                }

                var waited = Stopwatch.StartNew();
                while (acks.Count < entries)
                {
                    ThrowIfRetried();
                    if (waited.Elapsed > TimeSpan.FromMinutes(5))
                    {
                        throw new TimeoutException($"W9: the mirror acknowledged {acks.Count} of {entries} entries in 5 minutes");
                    }

                    Thread.Sleep(1);
                }

                ThrowIfRetried();
            }
            finally
            {
                mirror.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            if (mirror.Published != entries)
            {
                throw new InvalidOperationException($"W9: the mirror published {mirror.Published} entries, expected {entries}");
            }

            BenchStream.VerifyCountAsync(connection, entries, "quasar").GetAwaiter().GetResult();
            var latencies = new int[entries];
            for (int i = 0; i < entries; i++)
            {
                latencies[i] = LatencyRun.Microseconds(writtenAt[i / MirrorBatch], acks.At(i));
            }

            return LatencyRun.From(Stopwatch.GetElapsedTime(started, acks.At(entries - 1)), latencies);
        }
        finally
        {
            connection.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// When the mirror handled each acknowledgement, observed through its published counter on the
    /// <c>Quasar</c> meter (Engine.Nats' public API unchanged). The mirror's acknowledger adds one
    /// per entry in ledger order, so the n-th measurement belongs to sequence n (sequences 1..N;
    /// the run fails if a session restarts, which would send entries again).
    /// </summary>
    /// <remarks>Protocol: only the acknowledger (one thread at a time) calls the callback, which stores the time before it publishes the new count; the writer reads <see cref="Count"/>, and <see cref="At"/> only after the count passed the index.</remarks>
    private sealed class AckClock : IDisposable
    {
        private const string PublishedCounter = "quasar.nats.mirror.published";

        private readonly long[] at;
        private readonly MeterListener listener = new();
        private int count;

        public AckClock(int entries)
        {
            at = new long[entries];
            listener.InstrumentPublished = (instrument, owner) =>
            {
                if (instrument.Meter.Name == QuasarMetrics.MeterName && instrument.Name == PublishedCounter)
                {
                    owner.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, _, _, _) => Record());
            listener.Start();
        }

        /// <summary>Acknowledgements handled so far.</summary>
        public int Count => Volatile.Read(ref count);

        /// <summary>When the acknowledgement of the entry at <paramref name="index"/> (sequence index + 1) was handled.</summary>
        public long At(int index) => at[index];

        public void Dispose() => listener.Dispose();

        private void Record()
        {
            int n = count;
            if (n < at.Length)
            {
                at[n] = Stopwatch.GetTimestamp();
            }

            Volatile.Write(ref count, n + 1);
        }
    }
}
