using System.Collections.Concurrent;
using System.Globalization;
using NATS.Client.Core;

namespace Quasar.Nats;

/// <summary>
/// Pipelined JetStream publishing: each message goes out on the core connection with its own
/// reply subject under one inbox, and the replies complete the matching tasks as they come. Unlike
/// awaiting one request per message (or starting many requests at once, whose publishes may reach
/// the wire in any order), messages reach the server in the order <see cref="SendAsync"/> is called.
/// </summary>
/// <remarks>
/// Protocol: one caller at a time runs <see cref="SendAsync"/> (the mirror's pump), which keeps
/// the wire order; the reply loop is the only reader of the inbox subscription and completes the
/// pending tasks, which <see cref="pending"/> (concurrent) hands from one side to the other.
/// <see cref="DisposeAsync"/> ends the subscription and fails every task still pending.
/// </remarks>
internal sealed class JetStreamPublisher : IAsyncDisposable
{
    private readonly NatsConnection connection;
    private readonly string inbox;
    private readonly INatsSub<byte[]> replies;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<PublishAck>> pending = new();
    private readonly Task replyLoop;
    private long nextToken;

    private JetStreamPublisher(NatsConnection connection, string inbox, INatsSub<byte[]> replies)
    {
        this.connection = connection;
        this.inbox = inbox;
        this.replies = replies;
        replyLoop = Task.Run(ReadRepliesAsync);
    }

    /// <summary>Subscribes to a fresh inbox and starts reading replies.</summary>
    public static async Task<JetStreamPublisher> StartAsync(NatsConnection connection, CancellationToken cancellationToken)
    {
        // Not under the connection's own inbox prefix: the client routes replies there to its
        // request muxer, and this subscription would never see them.
        string inbox = "_QUASAR_ACK." + Guid.NewGuid().ToString("N");
        INatsSub<byte[]> replies = await connection.SubscribeCoreAsync<byte[]>(inbox + ".*", cancellationToken: cancellationToken).ConfigureAwait(false);
        return new JetStreamPublisher(connection, inbox, replies);
    }

    /// <summary>
    /// Writes the message to the connection; the returned task completes with the server's reply.
    /// Returns once the message is queued for the wire, not once it is stored.
    /// </summary>
    public async ValueTask<Task<PublishAck>> SendAsync(string subject, ReadOnlyMemory<byte> payload, NatsHeaders headers, CancellationToken cancellationToken)
    {
        long token = ++nextToken;
        var ack = new TaskCompletionSource<PublishAck>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[token] = ack;
        try
        {
            string replyTo = inbox + "." + token.ToString(CultureInfo.InvariantCulture);
            await connection.PublishAsync(subject, payload, headers, replyTo, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            pending.TryRemove(token, out _);
            throw;
        }

        return ack.Task;
    }

    /// <summary>Ends the inbox subscription; pending publishes fail with <see cref="OperationCanceledException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        await replies.DisposeAsync().ConfigureAwait(false);
        await replyLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (long token in pending.Keys)
        {
            if (pending.TryRemove(token, out TaskCompletionSource<PublishAck>? ack))
            {
                ack.TrySetCanceled();
            }
        }
    }

    private async Task ReadRepliesAsync()
    {
        await foreach (NatsMsg<byte[]> reply in replies.Msgs.ReadAllAsync().ConfigureAwait(false))
        {
            int dot = reply.Subject.LastIndexOf('.');
            if (dot >= 0
                && long.TryParse(reply.Subject.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out long token)
                && pending.TryRemove(token, out TaskCompletionSource<PublishAck>? ack))
            {
                ack.TrySetResult(PublishAck.Parse(reply.Data));
            }
        }
    }
}
