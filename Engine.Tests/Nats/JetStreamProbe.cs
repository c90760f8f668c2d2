using System.Diagnostics;
using System.Globalization;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Quasar.Nats;
using Xunit.Sdk;

namespace Quasar.Tests.Nats;

/// <summary>One message as the tests read it back from a stream.</summary>
/// <param name="StreamSequence">Its stream sequence.</param>
/// <param name="EntrySequence">The ledger sequence its <see cref="MirrorHeaders.Sequence"/> header names (0 without one).</param>
/// <param name="Payload">Its data.</param>
internal sealed record StreamMessage(ulong StreamSequence, ulong EntrySequence, byte[] Payload);

/// <summary>The tests' own view of a stream: creates it, waits for it to fill, reads it back whole.</summary>
internal static class JetStreamProbe
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Creates a file-backed stream on <paramref name="subject"/>, retrying while JetStream is still starting.</summary>
    public static async Task CreateStreamAsync(NatsConnection connection, string stream, string subject)
    {
        var js = new NatsJSContext(connection);
        await Eventually(async token =>
        {
            await js.CreateStreamAsync(new StreamConfig(stream, [subject]) { Storage = StreamConfigStorage.File, DuplicateWindow = TimeSpan.FromMinutes(2) }, token);
            return true;
        });
    }

    /// <summary>The stream's message count, retrying across a server restart.</summary>
    public static async Task<long> CountAsync(NatsConnection connection, string stream)
    {
        var js = new NatsJSContext(connection);
        long count = 0;
        await Eventually(async token =>
        {
            INatsJSStream info = await js.GetStreamAsync(stream, cancellationToken: token);
            count = info.Info.State.Messages;
            return true;
        });
        return count;
    }

    /// <summary>Waits until the stream holds at least <paramref name="count"/> messages, or fails after <paramref name="timeout"/>.</summary>
    public static async Task WaitForCountAsync(NatsConnection connection, string stream, long count, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        long seen;
        while ((seen = await CountAsync(connection, stream)) < count)
        {
            if (waited.Elapsed > timeout)
            {
                throw new XunitException($"stream {stream} holds {seen} messages after {timeout}; expected at least {count}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Every message of the stream, in stream order.</summary>
    public static async Task<List<StreamMessage>> ReadAllAsync(NatsConnection connection, string stream)
    {
        long count = await CountAsync(connection, stream);
        var messages = new List<StreamMessage>((int)count);
        if (count == 0)
        {
            return messages;
        }

        var js = new NatsJSContext(connection);
        INatsJSConsumer reader = await js.CreateOrderedConsumerAsync(stream);
        using var timeout = new CancellationTokenSource(Patience);
        await foreach (NatsJSMsg<byte[]> message in reader.ConsumeAsync<byte[]>(cancellationToken: timeout.Token))
        {
            ulong entry = message.Headers is { } headers && headers.TryGetValue(MirrorHeaders.Sequence, out var value)
                ? ulong.Parse(value.ToString(), CultureInfo.InvariantCulture)
                : 0;
            messages.Add(new StreamMessage(message.Metadata!.Value.Sequence.Stream, entry, message.Data ?? []));
            if (messages.Count == count)
            {
                break;
            }
        }

        return messages;
    }

    /// <summary>Publishes <paramref name="payloads"/> to <paramref name="subject"/> one by one, each acknowledged.</summary>
    public static async Task PublishAsync(NatsConnection connection, string subject, IEnumerable<byte[]> payloads)
    {
        var js = new NatsJSContext(connection);
        foreach (byte[] payload in payloads)
        {
            PubAckResponse ack = await js.PublishAsync(subject, payload);
            ack.EnsureSuccess();
        }
    }

    private static async Task Eventually(Func<CancellationToken, Task<bool>> attempt)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                if (await attempt(timeout.Token))
                {
                    return;
                }
            }
            catch (Exception failure) when (failure is not XunitException && waited.Elapsed < Patience)
            {
                await Task.Delay(100);
            }
        }
    }
}
