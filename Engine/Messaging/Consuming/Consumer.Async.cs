using System.Runtime.CompilerServices;

namespace Quasar;

/// <summary>
/// The consumer as .NET code expects to use it: an async stream of its entries, a cancellable
/// mark, and where it stands (<see cref="Position"/>, <see cref="Lag"/>). Views over the same
/// state the loops keep (see the block at the top of Consumer.cs); nothing here runs a loop.
/// </summary>
public sealed partial class Consumer
{
    /// <summary>
    /// P of the Window rule: every entry up to it that this consumer delivered (or restored from
    /// its stored positions) is marked, or was deleted by cleaning before it was delivered. Marks
    /// count once applied, before they are persisted. A temporary consumer tracks no marks: its
    /// Position is the last entry it delivered (<c>Start - 1</c>, or 0, before the first).
    /// </summary>
    public ulong Position => progress?.Position ?? Volatile.Read(ref lastDelivered);

    /// <summary>How many entries the ledger holds above <see cref="Position"/>: delivered but unmarked, and not yet delivered.</summary>
    /// <exception cref="ObjectDisposedException">The ledger is disposed.</exception>
    public long Lag => ledger.CountAfter(Position);

    /// <summary>
    /// The entries as an async stream, in sequence order: <c>await foreach</c> over it reads
    /// <see cref="Entries"/>. It ends when the consumer closes (dispose), throws the error the
    /// consumer dies of, and throws <see cref="OperationCanceledException"/> when
    /// <paramref name="cancellationToken"/> is cancelled. Leaving the loop early (break) leaves the
    /// consumer running; entries not read stay for the next reader.
    /// </summary>
    /// <param name="cancellationToken">Ends the wait for the next entry.</param>
    /// <returns>The stream of delivered entries.</returns>
    public async IAsyncEnumerable<Entry> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await entries.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (entries.Reader.TryRead(out Entry entry))
            {
                yield return entry;
            }
        }
    }

    /// <summary>
    /// <see cref="MarkAsync(ulong, bool)"/> with a token that cancels the wait for the mark to be
    /// persisted. An already cancelled token queues nothing; a token cancelled later does not take
    /// back a mark that was queued (it is still applied and persisted), it only ends the wait.
    /// </summary>
    /// <param name="sequence">The delivered sequence to mark.</param>
    /// <param name="cumulative">Also mark every delivered entry below it.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>A task that completes once the mark is persisted.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled first (the task is cancelled).</exception>
    /// <exception cref="ConsumerClosedException">The consumer is closed (the task faults).</exception>
    /// <exception cref="InvalidSequenceException">The sequence was not delivered (the task faults).</exception>
    public Task MarkAsync(ulong sequence, bool cumulative, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested
            ? Task.FromCanceled(cancellationToken)
            : MarkAsync(sequence, cumulative).WaitAsync(cancellationToken);
}
