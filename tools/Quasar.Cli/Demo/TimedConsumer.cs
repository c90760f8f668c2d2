using System.Collections;
using System.Diagnostics;
using HdrHistogram;

namespace Quasar.Cli.Demo;

/// <summary>
/// One named consumer of the demo: receives every message, records its end-to-end latency, marks
/// what it processed.
/// <para>
/// Protocol: one receive loop (<see cref="ReceiveAsync"/>) owns <see cref="seen"/> and
/// <see cref="lastProcessed"/> and is the only writer of the counters; the monitor reads the
/// counters (interlocked) and takes interval histograms from <see cref="latency"/> (a
/// <see cref="Recorder"/>, built for one writer and one reader). <see cref="DisposeAsync"/> cancels the
/// loop, waits for it, then marks the last processed entry and closes the consumer, which persists
/// the mark: a rerun resumes right after it. <see cref="DisposeAsync"/> is that stop.
/// </para>
/// </summary>
internal sealed class TimedConsumer : IAsyncDisposable
{
    /// <summary>Latencies above this (in microseconds) are recorded as this: an hour.</summary>
    public const long MaxLatencyMicroseconds = 3_600_000_000;

    private readonly Consumer consumer;
    private readonly ulong run;
    private readonly BitArray? seen;
    private readonly Recorder latency = NewRecorder();
    private readonly CancellationTokenSource stopping = new();
    private readonly Task loop;
    private long received;
    private long earlier;
    private ulong lastProcessed;
    private Exception? error;

    /// <summary>Creates the engine consumer on <paramref name="queue"/> and starts receiving.</summary>
    /// <param name="queue">The demo's queue.</param>
    /// <param name="name">The consumer's name: its position is stored under it.</param>
    /// <param name="settings">Batch size and the number of messages a run sends.</param>
    /// <param name="run">This run's identifier: messages stamped with another are leftovers of an earlier run.</param>
    /// <param name="start">The first sequence when the table stores nothing for <paramref name="name"/>.</param>
    public TimedConsumer(Queue queue, string name, DemoSettings settings, ulong run, ulong start)
    {
        Name = name;
        this.run = run;
        seen = settings.Messages is int messages ? new BitArray(messages) : null;
        int window = Math.Max(4 * settings.Batch, 64);
        consumer = queue.CreateConsumer(new ConsumerOptions
        {
            Name = name,
            Start = start,
            Batch = settings.Batch,
            Window = window,
            // Marks are cumulative, one per drained batch: persisting every 16th (or after 100 ms)
            // keeps table writes off the hot path while a stop still loses at most that much progress.
            Skip = Math.Min(16, window - 1),
            Timeout = TimeSpan.FromMilliseconds(100),
        });
        loop = Task.Run(ReceiveAsync);
    }

    /// <summary>The consumer's name.</summary>
    public string Name { get; }

    /// <summary>Distinct messages of this run received.</summary>
    public long Received => Interlocked.Read(ref received);

    /// <summary>Messages of earlier runs received (a resumed consumer's backlog).</summary>
    public long FromEarlierRuns => Interlocked.Read(ref earlier);

    /// <summary>Why the consumer stopped receiving before it was asked to, if it did.</summary>
    public Exception? Error => Volatile.Read(ref error);

    /// <summary>Whether a <c>--messages</c> run's every message reached this consumer.</summary>
    /// <param name="expected">Messages the run sent.</param>
    /// <returns>True once all of them were received.</returns>
    public bool HasAll(long expected) => Received >= expected;

    /// <summary>Moves the latencies recorded since the last call into <paramref name="target"/>.</summary>
    /// <param name="target">A histogram with the same range and precision (<see cref="NewHistogram"/>).</param>
    public void DrainLatencies(HistogramBase target) => target.Add(latency.GetIntervalHistogram());

    /// <summary>Stops receiving, marks the last processed entry, waits until that mark is stored, and closes.</summary>
    /// <returns>A task that completes once the consumer is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await loop;
        ulong last = lastProcessed;
        try
        {
            if (last != 0)
            {
                // Awaited so the stop cannot race the mark: it is stored (Timeout persists it) before the close.
                await consumer.MarkAsync(last, cumulative: true);
            }
        }
        catch (QuasarException exception)
        {
            Interlocked.CompareExchange(ref error, exception, null);
        }

        await consumer.DisposeAsync();
        stopping.Dispose();
    }

    /// <summary>A histogram for the latencies <see cref="DrainLatencies"/> moves: microseconds, 3 significant digits.</summary>
    /// <returns>An empty histogram.</returns>
    public static LongHistogram NewHistogram() => new(1, MaxLatencyMicroseconds, 3);

    private static Recorder NewRecorder() =>
        new(1, MaxLatencyMicroseconds, 3, (id, lowest, highest, digits) => new LongHistogram(id, lowest, highest, digits));

    private async Task ReceiveAsync()
    {
        var entries = consumer.Entries;
        try
        {
            while (await entries.WaitToReadAsync(stopping.Token))
            {
                ulong last = 0;
                while (entries.TryRead(out Entry entry))
                {
                    Process(entry);
                    last = entry.Sequence;
                }

                if (last != 0)
                {
                    consumer.Mark(last, cumulative: true);
                    lastProcessed = last;
                }
            }

            Volatile.Write(ref error, consumer.Completion.Exception?.InnerException);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // asked to stop: what is still buffered was not processed, so it is not marked and a rerun receives it
        }
        catch (Exception exception) when (exception is QuasarException or ObjectDisposedException or IOException)
        {
            Volatile.Write(ref error, exception);
        }
    }

    private void Process(Entry entry)
    {
        long now = Stopwatch.GetTimestamp();
        if (!MessageStamp.TryRead(entry.Payload.Span, out MessageStamp stamp) || stamp.Run != run)
        {
            Interlocked.Increment(ref earlier);
            return;
        }

        long micros = (long)Stopwatch.GetElapsedTime(stamp.SentAt, now).TotalMicroseconds;
        latency.RecordValue(Math.Clamp(micros, 1, MaxLatencyMicroseconds));
        if (seen is null)
        {
            Interlocked.Increment(ref received);
        }
        else if (stamp.Number >= 0 && stamp.Number < seen.Length && !seen[(int)stamp.Number])
        {
            seen[(int)stamp.Number] = true;
            Interlocked.Increment(ref received);
        }
    }
}
