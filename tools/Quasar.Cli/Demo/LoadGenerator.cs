using System.Diagnostics;

namespace Quasar.Cli.Demo;

/// <summary>
/// The demo's producer threads, all writing through one engine <see cref="Producer"/>.
/// <para>
/// Protocol: a ledger takes strictly increasing sequences, and a producer writes entries in the
/// order they were queued, so each thread generates its sequence and queues the entry under
/// <see cref="order"/>: queue order is sequence order. <see cref="lastSequence"/> (guarded by
/// <see cref="order"/>) starts at the ledger's Head: <see cref="Sequence.Generate"/> restarts its
/// ordinals in every process, so a run started within the same second as the previous one would
/// otherwise generate sequences at or below that run's last. <see cref="Producer.Write"/> blocks under that
/// lock while the producer's queue is full, which is the back-pressure every thread then feels.
/// <see cref="next"/> hands out message numbers (and ends a <c>--messages</c> run); <see cref="written"/>
/// and <see cref="failed"/> are counted by the producer's acks on its loop; <see cref="stopping"/> is
/// set once by <see cref="StopAsync"/> and read by the threads.
/// </para>
/// <para>
/// With a rate, each thread sends on a fixed schedule and stamps a late message with the time it
/// was due rather than the time it went out, so a stall shows up as latency instead of silently
/// lowering the offered load (coordinated omission).
/// </para>
/// </summary>
internal sealed class LoadGenerator
{
    private readonly Producer producer;
    private readonly DemoSettings settings;
    private readonly ulong run;
    private readonly Lock order = new();
    private readonly Action<Exception?> ack;
    private readonly Thread[] threads;
    private ulong lastSequence;
    private long next;
    private long written;
    private long failed;
    private volatile bool stopping;
    private Exception? firstError;

    /// <summary>Prepares the threads; <see cref="Start"/> starts them.</summary>
    /// <param name="producer">The engine producer every thread writes through.</param>
    /// <param name="settings">Producers, payload size, rate and message count.</param>
    /// <param name="run">This run's identifier, stamped into every payload.</param>
    /// <param name="head">The ledger's Head: every sequence this run writes is above it.</param>
    public LoadGenerator(Producer producer, DemoSettings settings, ulong run, ulong head)
    {
        lastSequence = head;
        this.producer = producer;
        this.settings = settings;
        this.run = run;
        ack = OnAck;
        threads = new Thread[settings.Producers];
        for (int i = 0; i < threads.Length; i++)
        {
            threads[i] = new Thread(Produce) { IsBackground = true, Name = $"demo producer {i + 1}" };
        }
    }

    /// <summary>Messages the engine acknowledged as written.</summary>
    public long Written => Interlocked.Read(ref written);

    /// <summary>Messages whose write failed.</summary>
    public long Failed => Interlocked.Read(ref failed);

    /// <summary>The first write error, if any.</summary>
    public Exception? FirstError => Volatile.Read(ref firstError);

    /// <summary>Starts the producer threads.</summary>
    public void Start()
    {
        foreach (Thread thread in threads)
        {
            thread.Start();
        }
    }

    /// <summary>Stops offering load, waits for the threads, then until every queued message is written.</summary>
    /// <returns>A task that completes once every accepted message is acknowledged.</returns>
    public async Task StopAsync()
    {
        stopping = true;
        foreach (Thread thread in threads)
        {
            // A thread blocked on a full queue returns as the producer's loop drains it.
            await Task.Run(thread.Join);
        }

        await producer.FlushAsync();
    }

    private void Produce()
    {
        double ticksPerMessage = settings.Rate is int rate ? (double)Stopwatch.Frequency * settings.Producers / rate : 0;
        long start = Stopwatch.GetTimestamp();
        for (long sentByThisThread = 0; !stopping; sentByThisThread++)
        {
            long number = Interlocked.Increment(ref next) - 1;
            if (settings.Messages is int limit && number >= limit)
            {
                return;
            }

            long sentAt = ticksPerMessage > 0 ? WaitUntilDue(start + (long)(sentByThisThread * ticksPerMessage)) : Stopwatch.GetTimestamp();
            var payload = new byte[settings.Payload]; // the producer keeps it until the ack: never reused
            new MessageStamp(sentAt, run, number).WriteTo(payload);
            lock (order)
            {
                lastSequence = Math.Max(Sequence.Generate(), lastSequence + 1);
                if (!producer.Write(new Entry(lastSequence, payload), ack))
                {
                    return; // the producer closed under us: the run is over
                }
            }
        }
    }

    /// <summary>
    /// Sleeps while <paramref name="due"/> is at least a millisecond away (the sleep's resolution),
    /// so messages go out in bursts of at most about a millisecond. Returns the stamp: the due time
    /// when late (a stall counts as latency), else the actual time (a message sent early must not
    /// be stamped in the future).
    /// </summary>
    private long WaitUntilDue(long due)
    {
        long now = Stopwatch.GetTimestamp();
        while (!stopping && Stopwatch.GetElapsedTime(now, due) >= TimeSpan.FromMilliseconds(1))
        {
            Thread.Sleep(Stopwatch.GetElapsedTime(now, due));
            now = Stopwatch.GetTimestamp();
        }

        return Math.Min(due, now);
    }

    private void OnAck(Exception? error)
    {
        if (error is null)
        {
            Interlocked.Increment(ref written);
            return;
        }

        Interlocked.Increment(ref failed);
        Interlocked.CompareExchange(ref firstError, error, null);
    }
}
