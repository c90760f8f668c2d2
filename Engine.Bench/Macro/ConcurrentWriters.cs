using System.Diagnostics;
using Quasar.Bench.Macro.Engines;

namespace Quasar.Bench.Macro;

/// <summary>
/// W7's driver, the same for every engine: <c>writers</c> concurrent writers take tickets
/// 1..entries from one counter and make one write per ticket, each waiting for its own write
/// before taking the next ticket; the latency of every write is kept (by ticket, so writers never
/// share a slot). Protocol: the counter is the only shared state the writers touch; a gate
/// releases them together once all exist, the clock starts at the gate, and the first failure
/// is rethrown after every writer has stopped.
/// </summary>
public static class ConcurrentWriters
{
    /// <summary>A payload buffer per writer: each writer refills its own only after its previous write returned.</summary>
    public static byte[][] PayloadBuffers(int writers)
    {
        var buffers = new byte[writers][];
        for (int i = 0; i < writers; i++)
        {
            buffers[i] = new byte[BenchPayload.Length];
        }

        return buffers;
    }

    /// <summary>Writers on dedicated threads, for engines whose writes block (SQLite, LMDB).</summary>
    public static ConcurrentRun OnThreads(int entries, int writers, Action<int, long> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var latencies = new long[entries];
        long issued = 0;
        Exception? failure = null;
        using var gate = new ManualResetEventSlim();
        var threads = new Thread[writers];
        for (int w = 0; w < writers; w++)
        {
            int writer = w;
            threads[w] = new Thread(() =>
            {
                gate.Wait();
                try
                {
                    long ticket;
                    while ((ticket = Interlocked.Increment(ref issued)) <= entries && Volatile.Read(ref failure) is null)
                    {
                        long started = Stopwatch.GetTimestamp();
                        write(writer, ticket);
                        latencies[ticket - 1] = Stopwatch.GetTimestamp() - started;
                    }
                }
#pragma warning disable CA1031 // a writer's failure is rethrown on the caller's thread below
                catch (Exception error)
#pragma warning restore CA1031
                {
                    Interlocked.CompareExchange(ref failure, error, null);
                }
            })
            { IsBackground = true, Name = $"W7 writer {writer}" };
            threads[w].Start();
        }

        long start = Stopwatch.GetTimestamp();
        gate.Set();
        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        return Finish(start, latencies, failure);
    }

    /// <summary>Writers as tasks awaiting their writes, for engines with asynchronous writes (ours, FasterLog).</summary>
    public static ConcurrentRun OnTasks(int entries, int writers, Func<int, long, Task> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var latencies = new long[entries];
        long issued = 0;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = new Task[writers];
        for (int w = 0; w < writers; w++)
        {
            int writer = w;
            tasks[w] = Task.Run(async () =>
            {
                await gate.Task;
                long ticket;
                while ((ticket = Interlocked.Increment(ref issued)) <= entries)
                {
                    long started = Stopwatch.GetTimestamp();
                    await write(writer, ticket);
                    latencies[ticket - 1] = Stopwatch.GetTimestamp() - started;
                }
            });
        }

        long start = Stopwatch.GetTimestamp();
        gate.SetResult();
        Exception? failure = null;
        try
        {
            Task.WhenAll(tasks).GetAwaiter().GetResult();
        }
#pragma warning disable CA1031 // rethrown by Finish, after the clock has stopped
        catch (Exception error)
#pragma warning restore CA1031
        {
            failure = error;
        }

        return Finish(start, latencies, failure);
    }

    private static ConcurrentRun Finish(long start, long[] latencies, Exception? failure)
    {
        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
        if (failure is not null)
        {
            throw new InvalidOperationException("W7: a writer failed", failure);
        }

        Array.Sort(latencies);
        double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        return new ConcurrentRun(elapsed, Ms(latencies[latencies.Length / 2]), Ms(latencies[(int)(latencies.Length * 0.99)]), Ms(latencies[^1]));
    }
}
