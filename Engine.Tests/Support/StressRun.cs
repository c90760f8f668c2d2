using System.Collections.Concurrent;

namespace Quasar.Tests.Support;

/// <summary>Shared state of one run: the stop flag, what the writers announced, counters and failures.</summary>
public sealed class StressRun(int seed, int threads) : IDisposable
{
    /// <summary>How many failures are kept for the report (all are counted).</summary>
    public const int MaxFailures = 20;

    /// <summary>How long a thread waits at the barrier for the others.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly ConcurrentQueue<string> failures = new();
    private int stopped;
    private int failureCount;
    private long batches;
    private long written;
    private long deletes;
    private long reads;
    private long readEntries;
    private long indexCalls;
    private long tableCalls;

    private ulong head;

    /// <summary>The participants: every thread plus the test thread.</summary>
    public Barrier Barrier { get; } = new(threads + 1);

    /// <summary>Every batch end, added before its Write: Head must always be one (or 0).</summary>
    public ConcurrentDictionary<ulong, byte> BatchEnds { get; } = new();

    /// <summary>Every tail, added before its Delete: Tail must always be one (or 0).</summary>
    public ConcurrentDictionary<ulong, byte> Tails { get; } = new();

    /// <summary>What the table writer set (only it changes the table).</summary>
    public ConcurrentDictionary<string, ulong[]> TableModel { get; } = new(StringComparer.Ordinal);

    /// <summary>The last sequence of the last batch whose Write returned (0 before the first).</summary>
    public ulong Head => Volatile.Read(ref head);

    /// <summary>Whether the run was stopped (by the test, or by a thread that threw).</summary>
    public bool Stopped => Volatile.Read(ref stopped) != 0;

    /// <summary>Every failure reported, including those not kept.</summary>
    public int FailureCount => Volatile.Read(ref failureCount);

    /// <summary>The first <see cref="MaxFailures"/> failures, each naming its thread.</summary>
    public IEnumerable<string> Failures => failures;

    /// <summary>Batches written.</summary>
    public long Batches => Interlocked.Read(ref batches);

    /// <summary>Entries written.</summary>
    public long Written => Interlocked.Read(ref written);

    /// <summary>Deletes that moved the Tail.</summary>
    public long Deletes => Interlocked.Read(ref deletes);

    /// <summary>Read calls.</summary>
    public long Reads => Interlocked.Read(ref reads);

    /// <summary>Entries the reads returned.</summary>
    public long ReadEntries => Interlocked.Read(ref readEntries);

    /// <summary>Index calls.</summary>
    public long IndexCalls => Interlocked.Read(ref indexCalls);

    /// <summary>Table calls.</summary>
    public long TableCalls => Interlocked.Read(ref tableCalls);

    /// <summary>Whether <paramref name="sequence"/> may be a Head: 0 or an announced batch end.</summary>
    public bool IsHead(ulong sequence) => sequence == 0 || BatchEnds.ContainsKey(sequence);

    /// <summary>Whether <paramref name="sequence"/> may be a Tail: 0 or an announced tail.</summary>
    public bool IsTail(ulong sequence) => sequence == 0 || Tails.ContainsKey(sequence);

    /// <summary>Asks every thread to finish its current step and return.</summary>
    public void Stop() => Volatile.Write(ref stopped, 1);

    /// <summary>Releases the barrier.</summary>
    public void Dispose() => Barrier.Dispose();

    /// <summary>Reports a violation seen by <paramref name="thread"/>; the run goes on.</summary>
    public void Fail(string thread, string message)
    {
        if (Interlocked.Increment(ref failureCount) <= MaxFailures)
        {
            failures.Enqueue($"{thread}: {message}");
        }
    }

    /// <summary>The writer's batch of <paramref name="entries"/> returned, ending at <paramref name="last"/>.</summary>
    public void CountBatch(ulong last, int entries)
    {
        Volatile.Write(ref head, last);
        Interlocked.Increment(ref batches);
        Interlocked.Add(ref written, entries);
    }

    /// <summary>One delete returned.</summary>
    public void CountDelete() => Interlocked.Increment(ref deletes);

    /// <summary>One read returned <paramref name="entries"/> entries.</summary>
    public void CountRead(int entries)
    {
        Interlocked.Increment(ref reads);
        Interlocked.Add(ref readEntries, entries);
    }

    /// <summary>One Index call returned.</summary>
    public void CountIndex() => Interlocked.Increment(ref indexCalls);

    /// <summary>One table call returned.</summary>
    public void CountTableCall() => Interlocked.Increment(ref tableCalls);

    /// <summary>
    /// Starts a dedicated thread that waits at the barrier, then runs <paramref name="body"/> with
    /// its own random source until stopped; anything it throws is a failure and stops the run.
    /// </summary>
    public Thread Start(string name, int index, Action<Random> body)
    {
        var thread = new Thread(() =>
        {
            try
            {
                if (!Barrier.SignalAndWait(StartTimeout))
                {
                    Fail(name, $"the barrier did not open within {StartTimeout}");
                    return;
                }

                body(new Random(seed + (index * 7919)));
            }
#pragma warning disable CA1031 // any exception is a failure to report
            catch (Exception error)
#pragma warning restore CA1031
            {
                Fail(name, error.ToString());
                Stop();
            }
        })
        {
            Name = name,
            IsBackground = true,
        };
        thread.Start();
        return thread;
    }
}
