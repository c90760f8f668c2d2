using System.Threading.Channels;

namespace Quasar;

/// <summary>The marker loop: queued marks into the progress, in order (see the block at the top of Consumer.cs).</summary>
public sealed partial class Consumer
{
    /// <summary>
    /// Drains the queued marks and applies them in one go per wake-up, handling a Timeout tick
    /// after them; once closed or dead, persists what is held and answers what is still queued.
    /// </summary>
    private async Task MarkLoopAsync()
    {
        ChannelReader<MarkRequest> reader = marks.Reader;
        try
        {
            var drained = new List<MarkRequest>();
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                bool timerTick = false;
                while (reader.TryRead(out MarkRequest mark))
                {
                    if (mark.IsTimerTick)
                    {
                        timerTick = true;
                    }
                    else
                    {
                        drained.Add(mark);
                    }
                }

                ApplyAll(drained);
                drained.Clear();
                if (timerTick)
                {
                    progress!.PersistIfTimedOut();
                }
            }
        }
#pragma warning disable CA1031 // any failure kills the consumer with that error
        catch (Exception error)
#pragma warning restore CA1031
        {
            Die(error);
        }

        persistTimer?.Dispose();

        // Closing or dead: persist what is held, then answer anything still queued.
        try
        {
            progress?.Persist();
        }
#pragma warning disable CA1031
        catch (Exception error)
#pragma warning restore CA1031
        {
            Die(error);
        }

        while (reader.TryRead(out MarkRequest late))
        {
            if (!late.IsTimerTick)
            {
                late.Complete(new ConsumerClosedException(), logger);
            }
        }
    }

    /// <summary>Applies the drained marks to the progress, then wakes the reader if it waits for room.</summary>
    /// <param name="drained">The marks, in the order they were queued.</param>
    private void ApplyAll(List<MarkRequest> drained)
    {
        if (drained.Count == 0)
        {
            return;
        }

        Volatile.Write(ref lastMarkAt, clock.GetTimestamp());
        metrics.Marked.Add(progress!.Apply(drained), ledgerTag, consumerTag);
        if (Volatile.Read(ref readerWaitingForRoom))
        {
            markArrived.Writer.TryWrite(true);
        }
    }

    /// <summary>The progress asks for a Timeout tick after <paramref name="due"/>: re-arms the one timer.</summary>
    /// <param name="due">How long from now.</param>
    private void ArmTimeout(TimeSpan due) => persistTimer?.Change(due, Timeout.InfiniteTimeSpan);
}
