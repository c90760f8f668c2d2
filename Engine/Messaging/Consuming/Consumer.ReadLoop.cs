using Quasar.Diagnostics;

namespace Quasar;

/// <summary>The reader loop: from the ledger into <see cref="Entries"/>, within the window (see the block at the top of Consumer.cs).</summary>
public sealed partial class Consumer
{
    /// <summary>The sequence after <paramref name="sequence"/>, staying at the last one.</summary>
    private static ulong After(ulong sequence) => sequence == ulong.MaxValue ? ulong.MaxValue : sequence + 1;

    /// <summary>Reads, admits and delivers until closed; any failure kills the consumer with that error.</summary>
    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                stopping.Token.ThrowIfCancellationRequested();
                int room = Room();
                if (room <= 0)
                {
                    await WaitForRoomAsync().ConfigureAwait(false);
                    continue;
                }

                while (notifications.Reader.TryRead(out _))
                {
                    // a read follows, so older notifications say nothing new
                }

                SkipDeletedEntries();
                IReadOnlyList<Entry> batch = ledger.Read(next, Math.Min(options.Batch, room));
                if (batch.Count == 0)
                {
                    await notifications.Reader.WaitToReadAsync(stopping.Token).ConfigureAwait(false);
                    continue;
                }

                next = After(batch[^1].Sequence);
                IReadOnlyList<Entry> deliverable = progress?.Admit(batch) ?? batch;
                foreach (Entry entry in deliverable)
                {
                    if (!entries.Writer.TryWrite(entry))
                    {
                        await entries.Writer.WriteAsync(entry, stopping.Token).ConfigureAwait(false);
                    }

                    if (progress is null)
                    {
                        Volatile.Write(ref lastDelivered, entry.Sequence);
                    }

                    metrics.Delivered.Add(1, ledgerTag, consumerTag);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // closing
        }
#pragma warning disable CA1031 // any failure kills the consumer with that error
        catch (Exception error)
#pragma warning restore CA1031
        {
            Die(error);
        }
    }

    /// <summary>How many more entries may be delivered now (a temporary consumer: always a batch).</summary>
    private int Room() => progress?.Room() ?? options.Batch;

    /// <summary>Entries below the ledger's tail are gone (Threshold cleaning): continue at the oldest one.</summary>
    private void SkipDeletedEntries()
    {
        ulong tail = ledger.Tail;
        if (next > tail)
        {
            return;
        }

        if (progress is not null)
        {
            Log.ConsumerSkipped(logger, name!, ledger.Options.Prefix, next, tail);
            progress.SkipTo(tail);
        }

        next = After(tail);
    }

    /// <summary>Sleeps until a mark arrives; dies when none arrives for the deadline while the window stays full.</summary>
    private async Task WaitForRoomAsync()
    {
        long fullSince = clock.GetTimestamp();
        Volatile.Write(ref readerWaitingForRoom, true);
        try
        {
            await WaitUntilRoomAsync(fullSince).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref readerWaitingForRoom, false);
        }
    }

    /// <summary>Waits on <see cref="markArrived"/> until the window has room, the deadline passes (throws) or the consumer closes.</summary>
    /// <param name="fullSince">When the window was found full (a <see cref="clock"/> timestamp).</param>
    private async Task WaitUntilRoomAsync(long fullSince)
    {
        // Room is re-checked after the flag is set, so a mark applied in between is not missed.
        while (Room() <= 0)
        {
            if (options.Deadline <= TimeSpan.Zero)
            {
                await markArrived.Reader.WaitToReadAsync(stopping.Token).ConfigureAwait(false);
            }
            else
            {
                long since = Math.Max(fullSince, Volatile.Read(ref lastMarkAt));
                TimeSpan remaining = options.Deadline - clock.GetElapsedTime(since);
                if (remaining <= TimeSpan.Zero)
                {
                    throw new ConsumerDeadlockException($"Consumer '{name}' on ledger '{ledger.Options.Prefix}': the window of {options.Window} stayed full with no mark for {options.Deadline}.");
                }

                using var deadline = new CancellationTokenSource(remaining, clock);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token, deadline.Token);
                try
                {
                    await markArrived.Reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                {
                    continue; // re-check the deadline
                }
            }

            markArrived.Reader.TryRead(out _);
        }
    }
}
