namespace Quasar.Bench.Macro;

/// <summary>
/// W7's check after the run: every ticket 1..entries (the value in each written payload) was
/// stored exactly once, and the stored sequences strictly increase. Single-threaded.
/// </summary>
public sealed class WrittenTickets(int entries)
{
    private readonly bool[] seen = new bool[entries + 1];
    private long count;
    private ulong lastSequence;

    /// <summary>Records the next stored entry, in stored order.</summary>
    /// <exception cref="InvalidOperationException">The sequence does not increase, or the payload's ticket is unknown or seen before.</exception>
    public void Add(ulong sequence, ReadOnlySpan<byte> payload)
    {
        if (count > 0 && sequence <= lastSequence)
        {
            throw new InvalidOperationException($"W7: sequence {sequence} follows {lastSequence}");
        }

        ulong ticket = BenchPayload.ReadValue(payload);
        if (payload.Length != BenchPayload.Length || ticket == 0 || ticket >= (ulong)seen.Length || seen[ticket])
        {
            throw new InvalidOperationException($"W7: the entry at sequence {sequence} carries ticket {ticket}: unknown, or stored twice");
        }

        BenchPayload.Verify(payload, ticket);
        seen[ticket] = true;
        lastSequence = sequence;
        count++;
    }

    /// <summary>Throws unless every ticket was stored.</summary>
    public void ThrowIfIncomplete()
    {
        if (count != seen.Length - 1)
        {
            throw new InvalidOperationException($"W7: {count} entries stored, {seen.Length - 1} written");
        }
    }
}
