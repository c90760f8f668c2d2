namespace Quasar.Hosting;

/// <summary>
/// The ledger <c>&lt;prefix&gt;:dead</c> of one queue, shared by all its hosted consumers.
/// Protocol: <see cref="Write"/> may be called from any worker; a lock makes choosing the next
/// sequence (a fresh one, above Head so it stays monotonic) and writing it one step.
/// </summary>
internal sealed class DeadLetterLedger(Ledger ledger) : IDisposable
{
    /// <summary>The suffix after the queue's prefix.</summary>
    public const string Suffix = ":dead";

    private readonly Lock gate = new();

    /// <summary>The ledger itself, for readers.</summary>
    public Ledger Ledger { get; } = ledger;

    /// <summary>Writes <paramref name="letter"/> durably as far as the Db's SyncWrites makes it.</summary>
    /// <param name="letter">The dead letter.</param>
    public void Write(DeadLetter letter)
    {
        byte[] payload = letter.Encode();
        lock (gate)
        {
            ulong sequence = Math.Max(Sequence.Generate(), Ledger.Head + 1);
            Ledger.Write(new Entry(sequence, payload));
        }
    }

    /// <inheritdoc />
    public void Dispose() => Ledger.Dispose();
}
