using NATS.Client.Core;

namespace Quasar.Nats;

/// <summary>
/// Publishes a ledger's entries to a JetStream subject, at least once and in order: a named
/// <see cref="Consumer"/> delivers the entries, each goes out with the message id
/// <c>&lt;prefix&gt;:&lt;sequence&gt;</c> and the headers of <see cref="MirrorHeaders"/>, and the
/// consumer is marked (cumulatively) only after the server acknowledged. What a crash or a server
/// restart makes it send again carries the same message id, so the stream drops it within its
/// duplicate window. Up to <see cref="LedgerMirrorOptions.Window"/> publishes are in flight.
/// </summary>
/// <remarks>
/// Protocol: <see cref="StartAsync"/> once, then the mirror runs sessions on its own task until
/// <see cref="StopAsync"/> or <see cref="DisposeAsync"/> (any thread, idempotent; they persist the
/// marks made so far). A session opens the consumer, publishes and marks; any error (lost
/// connection, timeout, refused publish) ends it, the consumer is closed, and after
/// <see cref="LedgerMirrorOptions.RetryDelay"/> a new session resumes from the stored position.
/// Within a session, publishes after the first are conditional on their predecessor being the
/// stream's last message, so the stream never holds them out of order. The ledger and table
/// must stay open while the mirror runs (closing them ends it with <see cref="ObjectDisposedException"/>).
/// </remarks>
public sealed class LedgerMirror : IAsyncDisposable
{
    private readonly RetryLoop loop;
    private readonly MirrorSession session;

    /// <summary>Creates a mirror of <paramref name="ledger"/> whose consumer keeps its position in <paramref name="table"/>.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    public LedgerMirror(Ledger ledger, Table table, NatsConnection connection, LedgerMirrorOptions options)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        session = new MirrorSession(ledger, table, connection, options);
        loop = new RetryLoop("mirror", session.RunAsync, options.RetryDelay, options.Errors);
    }

    /// <summary>Entries the server acknowledged since the mirror started (re-sends it reported as duplicates included).</summary>
    public long Published => session.Published;

    /// <summary>Sessions that ended with an error (lost connection, timeout, refused publish) and were started again.</summary>
    public long Retries => loop.Retries;

    /// <summary>Completes when the mirror stops; faults with <see cref="ObjectDisposedException"/> if its ledger or table was closed under it.</summary>
    public Task Completion => loop.Completion;

    /// <summary>Starts publishing. A second call throws <see cref="InvalidOperationException"/>.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        loop.Start();
        return Task.CompletedTask;
    }

    /// <summary>Stops publishing: ends the session, persists the marks made so far, and waits (as long as the token allows).</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await loop.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Same as <see cref="StopAsync"/> without a token.</summary>
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);
}
