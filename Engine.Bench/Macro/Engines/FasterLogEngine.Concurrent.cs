using FASTER.core;

namespace Quasar.Bench.Macro.Engines;

// FasterLog's W7 (the IConcurrentDurableWorkload capability): tasks awaiting EnqueueAsync + WaitForCommitAsync.
public sealed partial class FasterLogEngine : IConcurrentDurableWorkload
{
    /// <summary>
    /// W7: every writer awaits <c>EnqueueAsync</c> and then <c>WaitForCommitAsync</c> past its
    /// entry. The committer is FasterLog's own <c>AutoCommit</c> (a commit requested on every
    /// enqueue; FasterLog runs them one after another, so each covers what was enqueued
    /// meanwhile). The sequence is the logical address FasterLog assigns.
    /// </summary>
    public ConcurrentRun ConcurrentDurable(string directory, int entries, int writers)
    {
        byte[][] payloads = ConcurrentWriters.PayloadBuffers(writers);

        using FasterLogSettings settings = Settings(directory);
        settings.AutoCommit = true;
        using var log = new FasterLog(settings);
        ConcurrentRun run = ConcurrentWriters.OnTasks(entries, writers, async (writer, ticket) =>
        {
            byte[] payload = payloads[writer];
            BenchPayload.Write(payload, (ulong)ticket);
            long address = await log.EnqueueAsync(payload);
            await log.WaitForCommitAsync(address + 1); // committed past its start: the whole entry is
        });

        VerifyConcurrent(log, entries);
        return run;
    }

    private static void VerifyConcurrent(FasterLog log, int entries)
    {
        var tickets = new WrittenTickets(entries);
        using FasterLogScanIterator iterator = log.Scan(log.BeginAddress, log.CommittedUntilAddress);
        while (true)
        {
            if (iterator.GetNext(out byte[] entry, out int length, out long address))
            {
                tickets.Add((ulong)address, entry.AsSpan(0, length));
            }
            else if (iterator.Ended)
            {
                break;
            }
            else
            {
                iterator.WaitAsync().AsTask().GetAwaiter().GetResult(); // a page that is no longer in memory: wait for its read
            }
        }

        tickets.ThrowIfIncomplete();
    }
}
