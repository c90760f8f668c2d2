using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Quasar.Lifecycle;

namespace Quasar.Nats;

/// <summary>
/// One session of a <see cref="StreamIngest"/>: re-creates the durable consumer at the ledger's
/// Head + 1, then fetches, writes, syncs and acknowledges batch after batch until stopped or failed.
/// </summary>
/// <remarks>
/// Protocol: the retry loop runs <see cref="RunAsync"/>, one call at a time; that task alone
/// fetches, writes and acknowledges. <see cref="Written"/> and <see cref="Dropped"/> are read from
/// other threads (interlocked).
/// </remarks>
internal sealed class IngestSession
{
    private const int NotFound = 404;

    private readonly Db db;
    private readonly Ledger ledger;
    private readonly NatsJSContext jetStream;
    private readonly StreamIngestOptions options;
    private readonly KeyValuePair<string, object?>[] tags;
    private long written;
    private long dropped;

    public IngestSession(Db db, Ledger ledger, NatsConnection connection, StreamIngestOptions options)
    {
        this.db = db;
        this.ledger = ledger;
        this.options = options;
        jetStream = new NatsJSContext(connection);
        tags = NatsMetrics.Tags(ledger.Options.Prefix, options.Durable);
    }

    /// <summary>Messages written into the ledger, over all sessions.</summary>
    public long Written => Interlocked.Read(ref written);

    /// <summary>Deliveries dropped as already in the ledger, over all sessions.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>Runs until <paramref name="stopping"/> is cancelled or an error ends the session (thrown).</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        ulong head = ledger.Head;
        INatsJSConsumer consumer = await CreateConsumerAsync(head + 1, stopping).ConfigureAwait(false);
        Producer producer = new(ledger, new ProducerOptions { Batch = options.Batch, Filter = true });
        await using (producer.ConfigureAwait(false))
        {
            var batch = new List<NatsJSMsg<byte[]>>(options.Batch);
            var writes = new List<Task>(options.Batch);
            ulong nextDelivery = 1;
            while (true)
            {
                stopping.ThrowIfCancellationRequested();
                batch.Clear();
                var fetch = new NatsJSFetchOpts { MaxMsgs = options.Batch, Expires = options.FetchWait };
                await foreach (NatsJSMsg<byte[]> message in consumer.FetchAsync<byte[]>(fetch, cancellationToken: stopping).ConfigureAwait(false))
                {
                    ulong delivery = DeliveryOf(message).Sequence.Consumer;
                    if (delivery != nextDelivery)
                    {
                        throw new InvalidOperationException($"Delivery {delivery} arrived where {nextDelivery} was due (one was lost with a connection); starting again from the ledger's head.");
                    }

                    nextDelivery++;
                    batch.Add(message);
                }

                head = await WriteDurablyAsync(producer, batch, writes, head, stopping).ConfigureAwait(false);
                await AcknowledgeAsync(batch, stopping).ConfigureAwait(false);
            }
        }
    }

    private static NatsJSMsgMetadata DeliveryOf(NatsJSMsg<byte[]> message) =>
        message.Metadata ?? throw new InvalidOperationException($"A message on '{message.Subject}' carries no JetStream metadata.");

    private async Task<INatsJSConsumer> CreateConsumerAsync(ulong start, CancellationToken cancellationToken)
    {
        try
        {
            await jetStream.DeleteConsumerAsync(options.Stream, options.Durable, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsJSApiException missing) when (missing.Error.Code == NotFound)
        {
        }

        var config = new ConsumerConfig(options.Durable)
        {
            AckPolicy = ConsumerConfigAckPolicy.Explicit,
            AckWait = options.AckWait,
            DeliverPolicy = start == 1 ? ConsumerConfigDeliverPolicy.All : ConsumerConfigDeliverPolicy.ByStartSequence,
            OptStartSeq = start == 1 ? 0 : start,
            FilterSubject = options.FilterSubject,
        };
        return await jetStream.CreateOrUpdateConsumerAsync(options.Stream, config, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the batch through the filtering producer and makes it durable; returns the new highest sequence written.</summary>
    private async Task<ulong> WriteDurablyAsync(Producer producer, List<NatsJSMsg<byte[]>> batch, List<Task> writes, ulong head, CancellationToken cancellationToken)
    {
        writes.Clear();
        long fresh = 0;
        foreach (NatsJSMsg<byte[]> message in batch)
        {
            ulong sequence = DeliveryOf(message).Sequence.Stream;
            if (sequence > head)
            {
                head = sequence;
                fresh++;
            }

            writes.Add(producer.WriteAsync(new Entry(sequence, message.Data ?? []), cancellationToken));
        }

        await Task.WhenAll(writes).ConfigureAwait(false);
        if (batch.Count > 0 && !db.Options.SyncWrites)
        {
            ((IStore)ledger).Sync(); // this ledger only: the rest of the Db has nothing to do with the ack
        }

        Interlocked.Add(ref written, fresh);
        Interlocked.Add(ref dropped, batch.Count - fresh);
        if (fresh > 0)
        {
            NatsMetrics.Ingested.Add(fresh, tags);
        }

        return head;
    }

    private async Task AcknowledgeAsync(List<NatsJSMsg<byte[]>> batch, CancellationToken cancellationToken)
    {
        foreach (NatsJSMsg<byte[]> message in batch)
        {
            NatsJSMsgMetadata delivery = DeliveryOf(message);
            if (options.NakInstead?.Invoke(delivery.Sequence.Stream, delivery.NumDelivered) == true)
            {
                await message.NakAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await message.AckAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
