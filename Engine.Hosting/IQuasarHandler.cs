namespace Quasar.Hosting;

/// <summary>
/// Handles the entries of one consumer registered with
/// <see cref="QuasarServiceCollectionExtensions.AddConsumer{THandler}"/>. A fresh instance is
/// resolved from a new scope for every attempt at every entry.
/// </summary>
public interface IQuasarHandler
{
    /// <summary>
    /// Handles <paramref name="entry"/>. Returning marks it; throwing retries it with backoff, and
    /// after the last attempt sends it to the dead-letter ledger.
    /// </summary>
    /// <param name="entry">The entry delivered.</param>
    /// <param name="cancellationToken">Cancelled when the host stops.</param>
    /// <returns>A task that completes once the entry is handled.</returns>
    ValueTask HandleAsync(Entry entry, CancellationToken cancellationToken);
}
