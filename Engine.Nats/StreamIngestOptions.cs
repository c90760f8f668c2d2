namespace Quasar.Nats;

/// <summary>How a <see cref="StreamIngest"/> reads a JetStream stream into a ledger.</summary>
public sealed record StreamIngestOptions
{
    /// <summary>The stream to read.</summary>
    public required string Stream { get; init; }

    /// <summary>The durable pull consumer's name on the stream (the ingest owns it: it is re-created at each session start).</summary>
    public required string Durable { get; init; }

    /// <summary>Only messages on this subject (wildcards allowed); null reads the whole stream.</summary>
    public string? FilterSubject { get; init; }

    /// <summary>Messages fetched, written and acknowledged together.</summary>
    public int Batch { get; init; } = 256;

    /// <summary>How long a fetch waits for messages before it asks again (at least one second).</summary>
    public TimeSpan FetchWait { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the server waits for an acknowledgement before it delivers a message again.</summary>
    public TimeSpan AckWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The pause after a failed session (lost connection, lost delivery) before the next one.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Called with each error that ended a session (the ingest then starts another); must not block.</summary>
    public Action<Exception>? Errors { get; init; }

    /// <summary>
    /// Tests only: called with each message's stream sequence and delivery count after its write
    /// is durable; true answers with a negative acknowledgement instead, so the server delivers it again.
    /// </summary>
    internal Func<ulong, ulong, bool>? NakInstead { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad option.</summary>
    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Stream, nameof(Stream));
        ArgumentException.ThrowIfNullOrWhiteSpace(Durable, nameof(Durable));
        if (FilterSubject is not null && string.IsNullOrWhiteSpace(FilterSubject))
        {
            throw new ArgumentException("FilterSubject must be null (the whole stream) or non-blank.", nameof(FilterSubject));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(Batch, 1, nameof(Batch));
        ArgumentOutOfRangeException.ThrowIfLessThan(FetchWait, TimeSpan.FromSeconds(1), nameof(FetchWait));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(AckWait, TimeSpan.Zero, nameof(AckWait));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryDelay, TimeSpan.Zero, nameof(RetryDelay));
    }
}
