using NATS.Client.Core;

namespace Quasar.Nats;

/// <summary>
/// Writes a JetStream stream's messages into a local ledger, at least once: a durable pull
/// consumer fetches them, each is written with the stream sequence as its ledger sequence (so the
/// ledger stays monotonic and a redelivery, at or below the ledger's Head, is dropped by the
/// producer's <see cref="ProducerOptions.Filter"/>), and each is acknowledged only after its write
/// is durable (<see cref="Db.Sync"/> unless the Db syncs every write).
/// </summary>
/// <remarks>
/// Protocol: <see cref="StartAsync"/> once, then the ingest runs sessions on its own task until
/// <see cref="StopAsync"/> or <see cref="DisposeAsync"/> (any thread, idempotent). Each session
/// re-creates the durable consumer at the ledger's Head + 1: the ledger, written durably before any
/// acknowledgement, is the position of record, so a crash between a write and its acknowledgement
/// costs nothing, and no message the server still holds as pending can arrive after a later one
/// was written. A gap in the delivery sequence (a delivery lost with a connection) ends the
/// session for the same reason. The ledger must hold nothing but this stream's messages, and the
/// Db and ledger must stay open while the ingest runs.
/// </remarks>
public sealed class StreamIngest : IAsyncDisposable
{
    private readonly RetryLoop loop;
    private readonly IngestSession session;

    /// <summary>Creates an ingest of the stream named in <paramref name="options"/> into <paramref name="ledger"/>, a ledger of <paramref name="db"/>.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid (the message names it), or <paramref name="ledger"/> is not a ledger of <paramref name="db"/>.</exception>
    public StreamIngest(Db db, Ledger ledger, NatsConnection connection, StreamIngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        if (!ReferenceEquals(ledger.Db, db))
        {
            // Acknowledgements wait for the ledger's data to be durable: its own Db decides that.
            throw new ArgumentException("the ledger belongs to another Db", nameof(ledger));
        }

        options.Validate();
        session = new IngestSession(db, ledger, connection, options);
        loop = new RetryLoop("ingest", session.RunAsync, options.RetryDelay, options.Errors);
    }

    /// <summary>Messages written into the ledger since the ingest started.</summary>
    public long Written => session.Written;

    /// <summary>Deliveries dropped because the ledger held them already (redeliveries).</summary>
    public long Dropped => session.Dropped;

    /// <summary>Sessions that ended with an error and were started again.</summary>
    public long Retries => loop.Retries;

    /// <summary>Completes when the ingest stops; faults with <see cref="ObjectDisposedException"/> if its Db or ledger was closed under it.</summary>
    public Task Completion => loop.Completion;

    /// <summary>Starts ingesting. A second call throws <see cref="InvalidOperationException"/>.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        loop.Start();
        return Task.CompletedTask;
    }

    /// <summary>Stops ingesting and waits (as long as the token allows); unacknowledged messages are fetched again next time.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => loop.StopAsync(cancellationToken);

    /// <summary>Same as <see cref="StopAsync"/> without a token.</summary>
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);
}
