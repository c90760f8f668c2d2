using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using NATS.Client.Core;

namespace Quasar.Nats;

/// <summary>
/// One session of a <see cref="LedgerMirror"/>: opens the named consumer, pumps its entries to the
/// publisher, and marks them as their acknowledgements arrive in order. Any error ends the session
/// (the retry loop starts the next one); the consumer closes with it, persisting its marks.
/// </summary>
/// <remarks>
/// Protocol: the retry loop runs <see cref="RunAsync"/>, one call at a time. Inside a session two
/// tasks share a bounded channel of publishes in flight: the pump (the only writer and the only
/// caller of the publisher, so the wire order is the ledger order) and the acknowledger (the only
/// reader and the only caller of <see cref="Consumer.Mark"/>). Whichever ends first cancels the
/// other. <see cref="Published"/> is read from other threads.
/// </remarks>
internal sealed class MirrorSession
{
    /// <summary>The most entries the consumer hands over at once.</summary>
    private const int MaxBatch = 256;

    private readonly Ledger ledger;
    private readonly Table table;
    private readonly NatsConnection connection;
    private readonly LedgerMirrorOptions options;
    private readonly string idPrefix;
    private readonly KeyValuePair<string, object?>[] tags;
    private long published;

    public MirrorSession(Ledger ledger, Table table, NatsConnection connection, LedgerMirrorOptions options)
    {
        this.ledger = ledger;
        this.table = table;
        this.connection = connection;
        this.options = options;
        idPrefix = options.MessageIdPrefix ?? ledger.Options.Prefix;
        tags = NatsMetrics.Tags(ledger.Options.Prefix, options.Name);
    }

    /// <summary>Entries acknowledged by the server so far, over all sessions.</summary>
    public long Published => Interlocked.Read(ref published);

    /// <summary>Runs until <paramref name="stopping"/> is cancelled or an error ends the session (thrown).</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var consumer = new Consumer(ledger, table, new ConsumerOptions
        {
            Name = options.Name,
            Window = options.Window,
            Batch = Math.Min(options.Window, MaxBatch),
        });
        try
        {
            JetStreamPublisher publisher = await JetStreamPublisher.StartAsync(connection, stopping).ConfigureAwait(false);
            await using (publisher.ConfigureAwait(false))
            {
                await PublishUntilFailureAsync(consumer, publisher, stopping).ConfigureAwait(false);
            }
        }
        finally
        {
            await consumer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task PublishUntilFailureAsync(Consumer consumer, JetStreamPublisher publisher, CancellationToken stopping)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        Channel<InFlight> inFlight = Channel.CreateBounded<InFlight>(new BoundedChannelOptions(options.Window) { SingleReader = true, SingleWriter = true });
        Task pump = PumpAsync(consumer, publisher, inFlight.Writer, session.Token);
        Task acknowledger = AcknowledgeAsync(consumer, inFlight.Reader, session.Token);
        await Task.WhenAny(pump, acknowledger).ConfigureAwait(false);
        await session.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(pump, acknowledger).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Exception? failure = FirstFailure(acknowledger) ?? FirstFailure(pump);
        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        stopping.ThrowIfCancellationRequested();
        throw new InvalidOperationException("The mirror's consumer stopped delivering entries.", consumer.Completion.Exception?.InnerException);
    }

    private static Exception? FirstFailure(Task task) =>
        task.Exception?.InnerException is { } inner and not OperationCanceledException ? inner : null;

    private async Task PumpAsync(Consumer consumer, JetStreamPublisher publisher, ChannelWriter<InFlight> inFlight, CancellationToken token)
    {
        try
        {
            string? previousId = null;
            await foreach (Entry entry in consumer.ReadAllAsync(token).ConfigureAwait(false))
            {
                string id = MirrorHeaders.MessageIdFor(idPrefix, entry.Sequence);
                NatsHeaders headers = MirrorHeaders.For(id, entry.Sequence, previousId);
                Task<PublishAck> ack = await publisher.SendAsync(options.Subject, entry.Payload, headers, token).ConfigureAwait(false);
                await inFlight.WriteAsync(new InFlight(entry.Sequence, ack, Stopwatch.GetTimestamp()), token).ConfigureAwait(false);
                previousId = id;
            }
        }
        finally
        {
            inFlight.TryComplete();
        }
    }

    private async Task AcknowledgeAsync(Consumer consumer, ChannelReader<InFlight> inFlight, CancellationToken token)
    {
        while (await inFlight.WaitToReadAsync(token).ConfigureAwait(false))
        {
            while (inFlight.TryRead(out InFlight publish))
            {
                PublishAck ack = await publish.Ack.WaitAsync(options.AckTimeout, token).ConfigureAwait(false);
                if (ack.Error is not null)
                {
                    throw new MirrorPublishException(publish.Sequence, ack.Error);
                }

                Interlocked.Increment(ref published);
                NatsMetrics.Published.Add(1, tags);
                if (NatsMetrics.AckDuration.Enabled)
                {
                    NatsMetrics.AckDuration.Record(Stopwatch.GetElapsedTime(publish.Started).TotalMilliseconds, tags);
                }

                // One cumulative mark per run of acknowledgements that arrived together: the
                // consumer's window frees as fast, with a table write per run instead of per entry.
                if (!inFlight.TryPeek(out InFlight next) || !next.Ack.IsCompleted)
                {
                    consumer.Mark(publish.Sequence, cumulative: true);
                }
            }
        }
    }

    /// <summary>A publish waiting for its acknowledgement.</summary>
    private readonly record struct InFlight(ulong Sequence, Task<PublishAck> Ack, long Started);
}
