namespace Quasar;

/// <remarks>
/// Assigned sequences. Protocol: a sequence is assigned in <see cref="Entered"/>, which the queue
/// calls under its lock as each item is accepted, so the order of sequences is the order of the
/// queue (and of the ledger) whatever order the callers arrived or woke from a full queue in.
/// <see cref="lastQueued"/> is touched only there, hence under that lock. It follows explicit
/// sequences as well, so an assigned sequence is above everything queued before it.
/// </remarks>
public sealed partial class Producer
{
    private ulong lastQueued;

    /// <summary>
    /// Assigns the next sequence itself, queues the payload under it and completes with that
    /// sequence once the entry is written, acknowledged as <see cref="WriteAsync(Entry, CancellationToken)"/>
    /// is (durable when the database syncs writes). Sequences follow <see cref="Sequence.Generate"/>'s
    /// scheme, <c>(unix seconds &lt;&lt; 32) | ordinal</c> from the database's clock, but are always
    /// above the ledger's <see cref="Ledger.Head"/> and above every sequence queued on this producer
    /// before, so they strictly increase in the order entries enter the queue, also with many
    /// concurrent callers. Mixed with explicit sequences on one producer: an explicit sequence at or
    /// below one assigned before it fails with <see cref="NotMonotonicException"/>, as any
    /// non-increasing sequence does (and, as then, so does the rest of its batch).
    /// </summary>
    /// <param name="payload">The payload; it must stay unchanged until the task completes.</param>
    /// <param name="cancellationToken">Cancels only the wait for room in the queue (no sequence is assigned then).</param>
    /// <returns>A task that completes with the entry's sequence when the entry is written.</returns>
    /// <exception cref="ProducerClosedException">The producer is closed (the task faults).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled while waiting for room.</exception>
    /// <exception cref="ArgumentException">The payload is longer than <see cref="Ledger.MaxPayloadLength"/> (the task faults).</exception>
#pragma warning disable RS0026 // both WriteAsync signatures are fixed by API.md; their first parameters differ in type, so no call is ambiguous
    public async Task<ulong> WriteAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
#pragma warning restore RS0026
    {
        var completion = new AssignedCompletion();
        await WriteAsync(new Entry(0, payload), completion, cancellationToken).ConfigureAwait(false);
        return completion.Sequence;
    }

    /// <summary>The queue's entry hook (under its lock): assigns the sequence of an <see cref="AssignedCompletion"/> item.</summary>
    private Item Entered(Item item)
    {
        if (item.IsFlush)
        {
            return item;
        }

        if (item.Completion is not AssignedCompletion assigned)
        {
            lastQueued = Math.Max(lastQueued, item.Entry.Sequence);
            return item;
        }

        ulong floor = Math.Max(lastQueued, ledger.Head);
        // At the very top nothing is left above the floor: reuse it, and the ledger refuses it.
        ulong next = Math.Max(Sequence.Join(clock.GetUtcNow(), 1), floor == ulong.MaxValue ? floor : floor + 1);
        lastQueued = next;
        assigned.Sequence = next;
        return item with { Entry = item.Entry with { Sequence = next } };
    }

    /// <summary>The completion of a write whose sequence the producer assigns; carries that sequence.</summary>
    private sealed class AssignedCompletion() : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        /// <summary>The assigned sequence; set under the queue's lock before the entry can be written.</summary>
        public ulong Sequence { get; set; }
    }
}
