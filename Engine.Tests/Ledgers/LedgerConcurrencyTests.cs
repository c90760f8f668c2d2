using System.Collections.Concurrent;
using System.Diagnostics;
using Quasar.Tests.Support;

namespace Quasar.Tests.Ledgers;

public sealed class LedgerConcurrencyTests : IDisposable
{
    private const int BatchSize = 10;

    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    /// <summary>Runs <paramref name="action"/> on a thread of its own, so a busy thread pool cannot delay it.</summary>
    private static Task RunThread(Action action) =>
        Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Waits (bounded) until <paramref name="count"/> reaches <paramref name="expected"/>.</summary>
    private static void AwaitStarted(ref int count, int expected)
    {
        var spin = new SpinWait();
        var clock = Stopwatch.StartNew();
        while (Volatile.Read(ref count) < expected && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            spin.SpinOnce();
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(64)]
    public async Task Readers_never_see_a_partial_batch_while_a_writer_appends(int cache)
    {
        using var host = new LedgerHost(temp.Path, new LedgerOptions { Prefix = "c", Cache = cache }, new DbOptions { SegmentSize = 4096 });
        Ledger ledger = host.Ledger;
        var failures = new ConcurrentQueue<string>();
        int done = 0;
        int started = 0;
        long reads = 0;

        Task writer = RunThread(() =>
        {
            try
            {
                AwaitStarted(ref started, 2);
                var clock = Stopwatch.StartNew();
                for (ulong first = 1; clock.Elapsed < TimeSpan.FromMilliseconds(600) && first < 100_000; first += BatchSize)
                {
                    ledger.Write(TestEntries.Range(first, BatchSize));
                }
            }
            finally
            {
                Volatile.Write(ref done, 1);
            }
        });

        void Read()
        {
            var random = new Random();
            Interlocked.Increment(ref started);
            while (Volatile.Read(ref done) == 0)
            {
                try
                {
                    // Sequences are 1..Length with no gaps and nothing deleted.
                    long length = ledger.Length;
                    if (length == 0)
                    {
                        continue;
                    }

                    ulong start = (ulong)random.NextInt64(1, length + 1);
                    int amount = random.Next(4) == 0 ? int.MaxValue : random.Next(1, 60);
                    IReadOnlyList<Entry> read = ledger.Read(start, amount);
                    Interlocked.Increment(ref reads);
                    string? problem = Check(read, start, amount, length);
                    if (problem is not null)
                    {
                        failures.Enqueue($"Read({start}, {amount}) after Length {length}: {problem}");
                    }
                }
#pragma warning disable CA1031 // any exception is a failure to report
                catch (Exception error)
#pragma warning restore CA1031
                {
                    failures.Enqueue(error.ToString());
                }
            }
        }

        Task[] readers = [RunThread(Read), RunThread(Read)];
        await Task.WhenAll([writer, .. readers]).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(failures.Take(5));
        Assert.True(Interlocked.Read(ref reads) > 0);
        Assert.Equal(0, ledger.Length % BatchSize);
    }

    /// <summary>Null when <paramref name="read"/> is a valid answer to Read(start, amount) given Length was <paramref name="length"/> before it.</summary>
    private static string? Check(IReadOnlyList<Entry> read, ulong start, int amount, long length)
    {
        if (read.Count == 0)
        {
            return "empty, although the start was at or below the observed Length";
        }

        if (read.Count > amount)
        {
            return $"{read.Count} entries, more than asked";
        }

        for (int i = 0; i < read.Count; i++)
        {
            if (read[i].Sequence != start + (ulong)i)
            {
                return $"entry {i} has sequence {read[i].Sequence}, expected {start + (ulong)i} (not a contiguous run from the start)";
            }

            if (TestEntries.Text(read[i]) != $"entry-{read[i].Sequence}")
            {
                return $"entry {read[i].Sequence} has payload '{TestEntries.Text(read[i])}'";
            }
        }

        ulong last = read[^1].Sequence;
        if (read.Count < amount && last % BatchSize != 0)
        {
            return $"ends at {last}, inside a batch";
        }

        if (read.Count < amount && last < (ulong)length)
        {
            return $"ends at {last}, below the Length {length} observed before the read";
        }

        return null;
    }

    [Fact]
    public async Task Index_and_Head_observed_by_readers_always_name_written_batches()
    {
        using var host = new LedgerHost(temp.Path, new LedgerOptions { Prefix = "c" }, new DbOptions { SegmentSize = 4096 });
        Ledger ledger = host.Ledger;
        var failures = new ConcurrentQueue<string>();
        int done = 0;
        int started = 0;

        Task writer = RunThread(() =>
        {
            try
            {
                AwaitStarted(ref started, 1);
                for (ulong first = 1; first < 20_000; first += BatchSize)
                {
                    ledger.Write(TestEntries.Range(first, BatchSize));
                }
            }
            finally
            {
                Volatile.Write(ref done, 1);
            }
        });

        Task reader = RunThread(() =>
        {
            Interlocked.Increment(ref started);
            while (Volatile.Read(ref done) == 0)
            {
                ulong headBefore = ledger.Head;
                (ulong newest, bool found) = ledger.Index(-1);
                ulong headAfter = ledger.Head;
                if (headBefore % BatchSize != 0 || (found && (newest % BatchSize != 0 || newest < headBefore || newest > headAfter)))
                {
                    failures.Enqueue($"Head {headBefore}..{headAfter}, Index(-1) = ({newest}, {found})");
                }

                IReadOnlyList<Entry> tail = ledger.Read(headBefore, 1);
                if (headBefore > 0 && (tail.Count != 1 || tail[0].Sequence != headBefore))
                {
                    failures.Enqueue($"Read(Head {headBefore}, 1) returned [{string.Join(",", tail.Select(e => e.Sequence))}]");
                }
            }
        });

        await Task.WhenAll(writer, reader).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Empty(failures.Take(5));
        Assert.Equal(20_000UL, ledger.Head);
    }

    [Fact]
    public async Task Concurrent_writers_are_serialized_and_the_ledger_stays_strictly_increasing()
    {
        using var host = new LedgerHost(temp.Path, new LedgerOptions { Prefix = "c" }, new DbOptions { SegmentSize = 2048 });
        Ledger ledger = host.Ledger;
        long next = 0;
        long accepted = 0;

        void Write()
        {
            for (int i = 0; i < 2000; i++)
            {
                ulong first = (ulong)Interlocked.Add(ref next, 2) - 1;
                try
                {
                    ledger.Write(TestEntries.Range(first, 2));
                    Interlocked.Add(ref accepted, 2);
                }
                catch (NotMonotonicException)
                {
                    // another writer got a larger sequence in first: allowed
                }
            }
        }

        await Task.WhenAll(RunThread(Write), RunThread(Write), RunThread(Write)).WaitAsync(TimeSpan.FromSeconds(20));

        ulong[] live = LedgerProbe.Live(ledger);
        Assert.Equal(accepted, live.LongLength);
        Assert.Equal(accepted, ledger.Length);
        Assert.True(live.Zip(live.Skip(1)).All(p => p.First < p.Second), "sequences are not strictly increasing");
        var present = live.ToHashSet();
        Assert.All(live, s => Assert.Contains(s % 2 == 1 ? s + 1 : s - 1, present)); // batches are whole
        host.Reopen();
        Assert.Equal(live, LedgerProbe.Live(host.Ledger));
    }
}
