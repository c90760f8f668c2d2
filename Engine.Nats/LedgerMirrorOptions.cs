namespace Quasar.Nats;

/// <summary>How a <see cref="LedgerMirror"/> publishes a ledger to JetStream.</summary>
public sealed record LedgerMirrorOptions
{
    /// <summary>The name of the mirror's consumer on the ledger: its stored position is where a restart resumes.</summary>
    public required string Name { get; init; }

    /// <summary>The subject every entry is published to; a JetStream stream must capture it.</summary>
    public required string Subject { get; init; }

    /// <summary>
    /// The first part of each message id (<c>&lt;prefix&gt;:&lt;sequence&gt;</c>); null takes the
    /// ledger's prefix. The mirror must be its stream's only publisher: every publish after a
    /// session's first is conditional on its predecessor being the stream's last message (so a
    /// lost message cannot be followed by later ones), which another writer would break.
    /// </summary>
    public string? MessageIdPrefix { get; init; }

    /// <summary>Publishes in flight at most (delivered by the consumer, not yet acknowledged); the consumer's <see cref="ConsumerOptions.Window"/>.</summary>
    public int Window { get; init; } = 1024;

    /// <summary>How long a publish may wait for the server's acknowledgement before the session is abandoned and started again.</summary>
    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The pause after a failed session (lost connection, refused publish) before the next one.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Called with each error that ended a session (the mirror then starts another); must not block.</summary>
    public Action<Exception>? Errors { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad option.</summary>
    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Name, nameof(Name));
        ArgumentException.ThrowIfNullOrWhiteSpace(Subject, nameof(Subject));
        if (Subject.Contains('*', StringComparison.Ordinal) || Subject.Contains('>', StringComparison.Ordinal) || Subject.Contains(' ', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Subject '{Subject}' must be a literal subject: no wildcards, no spaces.", nameof(Subject));
        }

        if (MessageIdPrefix is not null && string.IsNullOrWhiteSpace(MessageIdPrefix))
        {
            throw new ArgumentException("MessageIdPrefix must be null (the ledger's prefix) or non-blank.", nameof(MessageIdPrefix));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(Window, 1, nameof(Window));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(AckTimeout, TimeSpan.Zero, nameof(AckTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryDelay, TimeSpan.Zero, nameof(RetryDelay));
    }
}
