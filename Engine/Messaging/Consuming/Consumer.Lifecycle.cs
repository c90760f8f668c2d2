using Quasar.Lifecycle;

namespace Quasar;

/// <summary>Closing and dying: how the two loops are ended and the consumer completes (see the block at the top of Consumer.cs).</summary>
public sealed partial class Consumer
{
    /// <summary>Persists held marks, then closes: <see cref="Entries"/> completes. Idempotent; never throws.</summary>
    /// <returns>A task that completes once both loops have stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.CompareExchange(ref state, Closing, Running) == Running)
        {
            Shutdown();
        }

        await run.ConfigureAwait(false);
        ledger.Db.Detach(this);
    }

    /// <inheritdoc/>
    int IAttachment.StopOrder => 1;

    /// <inheritdoc/>
    bool IAttachment.Uses(IStore store) => ReferenceEquals(store, ledger) || ReferenceEquals(store, table);

    /// <inheritdoc/>
    void IAttachment.Stop(Exception? reason)
    {
        if (reason is null)
        {
            if (Interlocked.CompareExchange(ref state, Closing, Running) == Running)
            {
                Shutdown();
            }
        }
        else
        {
            Die(reason);
        }

        run.GetAwaiter().GetResult();
    }

    /// <inheritdoc/>
    ValueTask IAttachment.StopAsync() => DisposeAsync();

    /// <summary>Runs both loops; once both have ended, unsubscribes and completes <see cref="Entries"/> and <see cref="Completion"/>.</summary>
    private async Task RunAsync()
    {
        Task reading = ReadLoopAsync();
        Task marking = MarkLoopAsync();
        await Task.WhenAll(reading, marking).ConfigureAwait(false);
        try
        {
            ledger.Unsubscribe(notifications.Writer);
        }
        catch (ObjectDisposedException)
        {
            // the ledger closed first; nothing to unsubscribe from
        }

        ConsumerLag.Untrack(this);
        if (name is not null)
        {
            table!.ConsumerNames.Release(name); // before Completion: whoever awaited the close may reuse the name
        }

        Exception? error = deathError;
        entries.Writer.TryComplete(error);
        if (error is null)
        {
            completion.TrySetResult();
        }
        else
        {
            completion.TrySetException(error);
        }
    }

    /// <summary>Ends both loops: the reader's waits are cancelled, the marker drains the queue and stops. Called once.</summary>
    private void Shutdown()
    {
        stopping.Cancel();
        marks.Writer.TryComplete();
    }

    /// <summary>Closes with <paramref name="error"/> (reported to <see cref="ConsumerOptions.Errors"/>), unless already closing.</summary>
    private void Die(Exception error)
    {
        if (Interlocked.CompareExchange(ref state, Dead, Running) != Running)
        {
            return;
        }

        deathError = error;
        Callbacks.Invoke(options.Errors, error, logger, "consumer errors");
        Shutdown();
    }
}
