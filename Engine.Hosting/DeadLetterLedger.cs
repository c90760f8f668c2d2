namespace Quasar.Hosting;

/// <summary>
/// The ledger <c>&lt;prefix&gt;:dead</c> of one queue, shared by all its hosted consumers.
/// Protocol: <see cref="WriteAsync"/> may be called from any worker; the ledger's own producer
/// assigns each letter a sequence (<see cref="Producer.WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/>),
/// so concurrent workers need no lock of their own to keep it monotonic.
/// </summary>
internal sealed class DeadLetterLedger : IAsyncDisposable
{
    /// <summary>The suffix after the queue's prefix.</summary>
    public const string Suffix = ":dead";

    private readonly Producer producer;

    /// <summary>Writes dead letters into <paramref name="ledger"/>, which this object then owns.</summary>
    public DeadLetterLedger(Ledger ledger)
    {
        Ledger = ledger;
        producer = new Producer(ledger, new ProducerOptions());
    }

    /// <summary>The ledger itself, for readers.</summary>
    public Ledger Ledger { get; }

    /// <summary>Writes <paramref name="letter"/>; completes once it is written (durably as far as the Db's SyncWrites makes it).</summary>
    /// <param name="letter">The dead letter.</param>
    /// <returns>A task that completes when the letter is in the ledger.</returns>
    public Task WriteAsync(DeadLetter letter) => producer.WriteAsync(letter.Encode());

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await producer.DisposeAsync().ConfigureAwait(false);
        Ledger.Dispose();
    }
}
