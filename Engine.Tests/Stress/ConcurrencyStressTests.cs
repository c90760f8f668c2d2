using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Quasar.Tests.Recovery;
using Quasar.Tests.Support;
using Xunit.Abstractions;

namespace Quasar.Tests.Stress;

/// <summary>
/// One writer appending batches of 1..20 entries, three readers, one deleter and one table writer,
/// all on the same <see cref="Db"/> at once, on dedicated threads released together by a barrier,
/// for QUASAR_STRESS_SECONDS (default 3). Checks that hold whatever the interleaving:
/// <list type="bullet">
/// <item>sequences are written 1, 2, 3, ... without gaps and deletes only cut prefixes, so every
/// read returns a contiguous run, starting at the sequence asked for or right after a Tail the
/// deleter actually set (announced before its Delete), never at or below a Tail observed before the read;</item>
/// <item>payloads name their batch (first sequence and size): a read not cut by its amount ends at a
/// batch end, at or after the Head observed before it; Head is always a batch end;</item>
/// <item>Length, Index and a full Read agree with Head and Tail observed around them (bounds that any
/// single instant between the observations satisfies);</item>
/// <item>no call throws; the table holds exactly what its only writer set.</item>
/// </list>
/// At the end the ledger and the table are compared with what was written, and again after a reopen.
/// Cases: 64 KiB segments and a delete every few ms, without and with a ledger cache; and 4 KiB
/// segments with a deleter that never pauses, so segments are unlinked right under the readers.
/// </summary>
public sealed class ConcurrencyStressTests(ITestOutputHelper output) : IDisposable
{
    private const int Readers = 3;
    private const int MaxBatch = 20;
    private const int TableNames = 32;
    private const int MaxFailures = 20;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(512)]
    public void Writer_readers_deleter_and_table_writer_racing_on_one_db_see_only_consistent_states(int cache) =>
        Stress(64 * 1024, cache, $"ledger cache {cache}, a delete every few ms", (ledger, run, random) => Deleter(ledger, run, random, pause: true, keep: 0));

    /// <summary>
    /// The same, with 4 KiB segments and a deleter that never pauses and keeps only the newest few
    /// entries: segments roll and are unlinked all the time, right under Head, Index and Read.
    /// </summary>
    [Fact]
    public void The_same_with_tiny_segments_unlinked_right_under_the_readers()
    {
        Stress(4096, 0, "4 KiB segments, a deleter keeping only the newest 0..40 entries, without pause", (ledger, run, random) => Deleter(ledger, run, random, pause: false, keep: 40));
    }

    private void Stress(long segmentSize, int cache, string description, Action<Ledger, Run, Random> deleter)
    {
        int seconds = TestEnvironment.Int("QUASAR_STRESS_SECONDS") ?? 3;
        int seed = TestEnvironment.Int("QUASAR_STRESS_SEED") ?? Random.Shared.Next();
        output.WriteLine($"QUASAR_STRESS_SEED={seed}, {seconds} s, {description}");
        var dbOptions = new DbOptions { SegmentSize = segmentSize };
        var ledgerOptions = new LedgerOptions { Prefix = "stress", Cache = cache };
        var tableOptions = new TableOptions { Prefix = "stress-table" };
        using var run = new Run(seed);

        using (var db = Db.Open(temp.Path, dbOptions))
        using (var ledger = Ledger.Open(db, ledgerOptions))
        using (var table = Table.Open(db, tableOptions))
        {
            Thread[] threads =
            [
                run.Start("writer", 0, random => Writer(ledger, run, random)),
                .. Enumerable.Range(1, Readers).Select(i => run.Start($"reader {i}", i, random => Reader(ledger, run, random))),
                run.Start("deleter", Readers + 1, random => deleter(ledger, run, random)),
                run.Start("table writer", Readers + 2, random => TableWriter(table, run, random)),
            ];

            if (run.Barrier.SignalAndWait(StartTimeout))
            {
                Thread.Sleep(TimeSpan.FromSeconds(seconds));
            }
            else
            {
                run.Fail("main", $"the threads did not all start within {StartTimeout}");
            }

            run.Stop();
            foreach (Thread thread in threads)
            {
                Assert.True(thread.Join(StopTimeout), $"{thread.Name} did not stop within {StopTimeout}");
            }

            output.WriteLine(
                $"{run.Batches} batches ({run.Written} entries) written, {run.Deletes} deletes, {run.Reads} reads ({run.ReadEntries} entries), "
                + $"{run.IndexCalls} Index calls, {run.TableCalls} table calls; final Head {ledger.Head}, Tail {ledger.Tail}, Length {ledger.Length}, "
                + $"{Directory.GetFiles(temp.Path, "*.seg", SearchOption.AllDirectories).Length} segment files");
            Assert.True(run.FailureCount == 0, $"{run.FailureCount} failures (QUASAR_STRESS_SEED={seed}), the first:\n{string.Join('\n', run.Failures)}");
            Assert.True(run.Batches > 0 && run.Reads > 0 && run.Deletes > 0 && run.TableCalls > 0, "a thread never got to work");

            CheckFinal(ledger, table, run);
            LedgerState before = LedgerState.Capture(ledger);
            Dictionary<string, ulong[]> tableBefore = new(table.All());
            ledger.Dispose();
            table.Dispose();
            db.Dispose();

            using var reopened = Db.Open(temp.Path, dbOptions);
            using var ledgerAgain = Ledger.Open(reopened, ledgerOptions);
            using var tableAgain = Table.Open(reopened, tableOptions);
            LedgerState.AssertSame(before, LedgerState.Capture(ledgerAgain));
            CheckFinal(ledgerAgain, tableAgain, run);
            AssertTable(tableBefore, tableAgain.All());
        }
    }

    /// <summary>Writes batches of 1..20 entries right after Head, announcing each batch end before the write.</summary>
    private static void Writer(Ledger ledger, Run run, Random random)
    {
        ulong next = 1;
        while (!run.Stopped)
        {
            int count = random.Next(1, MaxBatch + 1);
            var batch = new Entry[count];
            for (int i = 0; i < count; i++)
            {
                batch[i] = new Entry(next + (ulong)i, Payload(next + (ulong)i, next, count));
            }

            ulong last = next + (ulong)count - 1;
            run.BatchEnds[last] = 0;
            ledger.Write(batch);
            Volatile.Write(ref run.Head, last);
            run.CountBatch(count);
            next = last + 1;
        }
    }

    /// <summary>
    /// Deletes up to a random sequence at or below Head (announcing the new Tail first), pausing
    /// 1..5 ms between deletes or not at all; with <paramref name="keep"/> &gt; 0 it deletes all but
    /// the newest 0..keep entries. Now and then a delete at or below the tail, which changes nothing.
    /// </summary>
    private static void Deleter(Ledger ledger, Run run, Random random, bool pause, int keep)
    {
        while (!run.Stopped)
        {
            if (pause)
            {
                Thread.Sleep(random.Next(1, 6));
            }

            ulong tail = ledger.Tail; // only this thread moves it
            ulong head = ledger.Head;
            if (head <= tail || random.Next(10) == 0)
            {
                // Nothing above the tail (or on purpose): a delete at or below the tail changes nothing.
                ulong below = tail - Math.Min(tail, (ulong)random.Next(0, 3));
                long none = ledger.Delete(below);
                if (none != 0 || ledger.Tail != tail)
                {
                    run.Fail("deleter", $"Delete({below}) at or below Tail {tail} returned {none} and left Tail {ledger.Tail}");
                }

                continue;
            }

            ulong target = keep > 0
                ? Math.Max(tail + 1, head - Math.Min(head, (ulong)random.Next(0, keep + 1)))
                : random.Next(4) == 0 ? head : tail + 1 + (ulong)random.NextInt64((long)(head - tail));
            run.Tails[target] = 0;
            long removed = ledger.Delete(target); // Head only grows, so min(target, Head) is target
            if (removed != (long)(target - tail) || ledger.Tail != target)
            {
                run.Fail("deleter", $"Delete({target}) with Tail {tail} and Head {head} returned {removed} and left Tail {ledger.Tail}");
            }

            run.CountDelete();
        }
    }

    private static void Reader(Ledger ledger, Run run, Random random)
    {
        while (!run.Stopped)
        {
            switch (random.Next(10))
            {
                case 0:
                    FullRead(ledger, run, random);
                    break;
                case 1 or 2 or 3:
                    IndexProbe(ledger, run, random);
                    break;
                default:
                    RangeRead(ledger, run, random);
                    break;
            }
        }
    }

    /// <summary>Read(start, amount) from a random start (below the tail, inside, at or past Head).</summary>
    private static void RangeRead(Ledger ledger, Run run, Random random)
    {
        ulong h0 = ledger.Head;
        ulong t1 = ledger.Tail;
        long length = ledger.Length;
        ulong start = random.Next(6) switch
        {
            0 => (ulong)random.Next(0, 2),
            1 => t1 - Math.Min(t1, (ulong)random.Next(0, 50)),
            2 or 3 => h0 + (ulong)random.Next(0, 3), // where a consumer reads, racing the writer
            _ => t1 + 1 + (ulong)random.NextInt64((long)(h0 > t1 ? h0 - t1 : 0) + 1),
        };
        int amount = random.Next(8) == 0 ? int.MaxValue : random.Next(1, 3 * MaxBatch);
        IReadOnlyList<Entry> read = ledger.Read(start, amount);
        ulong h2 = ledger.Head;
        ulong t2 = ledger.Tail;
        run.CountRead(read.Count);
        string what = $"Read({start}, {amount}) with Head {h0}..{h2}, Tail {t1}..{t2}";
        CheckObserved(run, what, h0, t1, h2, t2);
        CheckLength(run, what, length, h0, t1, h2, t2);
        CheckRead(run, what, read, start, amount, h0, t1, h2, t2);
    }

    /// <summary>Read of everything: as many entries as Length, by the same bounds.</summary>
    private static void FullRead(Ledger ledger, Run run, Random random)
    {
        ulong h0 = ledger.Head;
        ulong t1 = ledger.Tail;
        ulong start = random.Next(2) == 0 ? 0 : t1 + 1;
        IReadOnlyList<Entry> read = ledger.Read(start, int.MaxValue);
        ulong h2 = ledger.Head;
        ulong t2 = ledger.Tail;
        run.CountRead(read.Count);
        string what = $"Read({start}, int.MaxValue) with Head {h0}..{h2}, Tail {t1}..{t2}";
        CheckObserved(run, what, h0, t1, h2, t2);
        CheckRead(run, what, read, start, int.MaxValue, h0, t1, h2, t2);
        CheckLength(run, what + " (its count)", read.Count, h0, t1, h2, t2);
    }

    /// <summary>Index at a random position, from either end, in or out of range.</summary>
    private static void IndexProbe(Ledger ledger, Run run, Random random)
    {
        ulong h0 = ledger.Head;
        ulong t1 = ledger.Tail;
        long length = ledger.Length;
        long span = Math.Max(length, 0) + 3;
        long index = random.Next(4) switch
        {
            0 => 0,
            1 => -1,
            2 => random.NextInt64(span),
            _ => -1 - random.NextInt64(span),
        };
        (ulong sequence, bool found) = ledger.Index(index);
        ulong h2 = ledger.Head;
        ulong t2 = ledger.Tail;
        run.CountIndex();
        string what = $"Index({index}) = ({sequence}, {found}) with Head {h0}..{h2}, Tail {t1}..{t2}";
        CheckObserved(run, what, h0, t1, h2, t2);
        CheckLength(run, what, length, h0, t1, h2, t2);

        // At the instant x it ran: the live entries are Tail(x)+1 .. Head(x), t1 <= Tail(x) <= t2, h0 <= Head(x) <= h2.
        long minLength = (long)h0 - (long)t2;
        long maxLength = (long)h2 - (long)t1;
        if (!found)
        {
            long needed = index >= 0 ? index + 1 : -index; // the length that would have held the position
            if (sequence < h0 || sequence > h2)
            {
                run.Fail("reader", $"{what}: not found must return Head");
            }
            else if (minLength >= needed)
            {
                run.Fail("reader", $"{what}: not found, but at least {minLength} entries were live throughout");
            }

            return;
        }

        if (index >= 0)
        {
            // Oldest + index: Tail(x) + 1 + index, and Tail(x) is a tail the deleter set.
            ulong tail = sequence - 1 - (ulong)index;
            if (sequence <= (ulong)index || tail < t1 || tail > t2 || sequence > h2 || !run.IsTail(tail) || index >= maxLength)
            {
                run.Fail("reader", $"{what}: the entry {index} places above the oldest must be Tail + 1 + {index} for a Tail between {t1} and {t2}, at or below Head");
            }
        }
        else
        {
            // Newest - (-index - 1): Head(x) + index + 1, and Head(x) is a batch end.
            ulong head = sequence + (ulong)(-index) - 1;
            if (head < h0 || head > h2 || sequence <= t1 || !run.IsHead(head) || -index > maxLength)
            {
                run.Fail("reader", $"{what}: the entry {-index - 1} places below the newest must be Head - {-index - 1} for a Head between {h0} and {h2}, above Tail");
            }
        }
    }

    /// <summary>Head is always the end of a written batch; Tail always one the deleter set; neither goes back.</summary>
    private static void CheckObserved(Run run, string what, ulong h0, ulong t1, ulong h2, ulong t2)
    {
        if (h2 < h0 || t2 < t1 || !run.IsHead(h0) || !run.IsHead(h2) || !run.IsTail(t1) || !run.IsTail(t2) || t1 > h2)
        {
            run.Fail("reader", $"{what}: Head or Tail went back, or is not a batch end / a tail that was set");
        }
    }

    /// <summary>A length observed between the observations of Head and Tail lies between their extremes.</summary>
    private static void CheckLength(Run run, string what, long length, ulong h0, ulong t1, ulong h2, ulong t2)
    {
        if (length < (long)h0 - (long)t2 || length > (long)h2 - (long)t1)
        {
            run.Fail("reader", $"{what}: Length {length} is outside [{(long)h0 - (long)t2}, {(long)h2 - (long)t1}]");
        }
    }

    private static void CheckRead(Run run, string what, IReadOnlyList<Entry> read, ulong start, int amount, ulong h0, ulong t1, ulong h2, ulong t2)
    {
        if (read.Count > amount)
        {
            run.Fail("reader", $"{what}: {read.Count} entries, more than asked");
            return;
        }

        if (read.Count == 0)
        {
            // Empty only when nothing was live from the start: start above Head, or everything deleted.
            if (start <= h0 && t2 < h0)
            {
                run.Fail("reader", $"{what}: empty, although entries up to {h0} were written and the Tail stayed below it");
            }

            return;
        }

        ulong first = read[0].Sequence;
        for (int i = 0; i < read.Count; i++)
        {
            ulong sequence = read[i].Sequence;
            if (sequence != first + (ulong)i)
            {
                run.Fail("reader", $"{what}: entry {i} is {sequence} after {first}: not a contiguous run");
                return;
            }

            string? problem = CheckPayload(read[i], out _, out _);
            if (problem is not null)
            {
                run.Fail("reader", $"{what}: {problem}");
                return;
            }
        }

        // It starts at the start asked for, or right after a Tail the deleter set (at or after the one observed before).
        if (first < start || first <= t1 || (first != start && (first - 1 > t2 || !run.IsTail(first - 1))))
        {
            run.Fail("reader", $"{what}: starts at {first}: neither the start nor right after a Tail between {t1} and {t2}");
        }

        ulong last = read[^1].Sequence;
        CheckPayload(read[^1], out ulong batchFirst, out int batchCount);
        if (last > h2)
        {
            run.Fail("reader", $"{what}: ends at {last}, above Head");
        }

        if (read.Count < amount)
        {
            if (last != batchFirst + (ulong)batchCount - 1)
            {
                run.Fail("reader", $"{what}: ends at {last}, inside the batch {batchFirst}+{batchCount} (a partial batch)");
            }

            if (last < h0)
            {
                run.Fail("reader", $"{what}: ends at {last}, below the Head {h0} observed before the read, although not cut by the amount");
            }
        }
    }

    /// <summary>Sets and deletes names of a table on the same Db, checking each against its own model.</summary>
    private static void TableWriter(Table table, Run run, Random random)
    {
        ulong next = 1;
        while (!run.Stopped)
        {
            string name = string.Create(CultureInfo.InvariantCulture, $"consumer-{random.Next(TableNames)}");
            if (random.Next(5) == 0)
            {
                table.Delete(name);
                run.TableModel.TryRemove(name, out _);
            }
            else
            {
                var positions = new ulong[random.Next(1, 21)];
                for (int i = 0; i < positions.Length; i++)
                {
                    positions[i] = next;
                    next += (ulong)random.Next(1, 5);
                }

                table.Set(name, positions);
                run.TableModel[name] = positions;
            }

            ulong[] expected = run.TableModel.TryGetValue(name, out ulong[]? value) ? value : [];
            ulong[] actual = table.Get(name);
            if (!actual.AsSpan().SequenceEqual(expected))
            {
                run.Fail("table writer", $"Get('{name}') returned [{string.Join(',', actual)}] right after it was set to [{string.Join(',', expected)}]");
            }

            run.CountTableCall();
        }
    }

    /// <summary>The final state: Length is the number of entries above Tail, all of them readable, whole and in order; the table matches its model.</summary>
    private static void CheckFinal(Ledger ledger, Table table, Run run)
    {
        ulong head = ledger.Head;
        ulong tail = ledger.Tail;
        long length = ledger.Length;
        Assert.Equal(Volatile.Read(ref run.Head), head);
        Assert.True(tail <= head, $"Tail {tail} above Head {head}");
        Assert.Equal((long)(head - tail), length);
        IReadOnlyList<Entry> all = ledger.Read(0, int.MaxValue);
        Assert.Equal(length, all.Count);
        for (int i = 0; i < all.Count; i++)
        {
            Assert.Equal(tail + 1 + (ulong)i, all[i].Sequence);
            Assert.Null(CheckPayload(all[i], out _, out _));
        }

        if (length > 0)
        {
            CheckPayload(all[^1], out ulong batchFirst, out int batchCount);
            Assert.Equal(head, batchFirst + (ulong)batchCount - 1);
            Assert.Equal((tail + 1, true), ledger.Index(0));
            Assert.Equal((head, true), ledger.Index(-1));
        }

        Assert.Equal((head, false), ledger.Index(length));
        AssertTable(new Dictionary<string, ulong[]>(run.TableModel), table.All());
    }

    private static void AssertTable(Dictionary<string, ulong[]> expected, IReadOnlyDictionary<string, ulong[]> actual)
    {
        Assert.Equal(
            expected.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}=[{string.Join(',', p.Value)}]"),
            actual.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}=[{string.Join(',', p.Value)}]"));
    }

    /// <summary>"s=&lt;sequence&gt; b=&lt;batch first&gt; n=&lt;batch size&gt;".</summary>
    private static byte[] Payload(ulong sequence, ulong first, int count) =>
        Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"s={sequence} b={first} n={count}"));

    /// <summary>Null when the payload is the one written for the entry's sequence; outputs the batch it names.</summary>
    private static string? CheckPayload(Entry entry, out ulong batchFirst, out int batchCount)
    {
        batchFirst = 0;
        batchCount = 0;
        string text = Encoding.ASCII.GetString(entry.Payload.Span);
        string[] fields = text.Split(' ');
        if (fields.Length != 3
            || !fields[1].StartsWith("b=", StringComparison.Ordinal)
            || !fields[2].StartsWith("n=", StringComparison.Ordinal)
            || !ulong.TryParse(fields[1].AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out batchFirst)
            || !int.TryParse(fields[2].AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out batchCount))
        {
            return $"entry {entry.Sequence} has a malformed payload '{text}'";
        }

        ulong sequence = entry.Sequence;
        if (batchCount is < 1 or > MaxBatch || sequence < batchFirst || sequence >= batchFirst + (ulong)batchCount
            || !entry.Payload.Span.SequenceEqual(Payload(sequence, batchFirst, batchCount)))
        {
            return $"entry {sequence} has the payload '{text}'";
        }

        return null;
    }

    /// <summary>Shared state of one run: the stop flag, what the writers announced, counters and failures.</summary>
    private sealed class Run(int seed) : IDisposable
    {
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

        /// <summary>The last sequence of the last batch whose Write returned.</summary>
        public ulong Head;

        /// <summary>The participants: every thread plus the test thread.</summary>
        public Barrier Barrier { get; } = new(Readers + 4);

        /// <summary>Every batch end, added before its Write: Head must always be one (or 0).</summary>
        public ConcurrentDictionary<ulong, byte> BatchEnds { get; } = new();

        /// <summary>Every tail, added before its Delete: Tail must always be one (or 0).</summary>
        public ConcurrentDictionary<ulong, byte> Tails { get; } = new();

        /// <summary>What the table writer set (only it changes the table).</summary>
        public ConcurrentDictionary<string, ulong[]> TableModel { get; } = new(StringComparer.Ordinal);

        public bool Stopped => Volatile.Read(ref stopped) != 0;

        public int FailureCount => Volatile.Read(ref failureCount);

        public IEnumerable<string> Failures => failures;

        public long Batches => Interlocked.Read(ref batches);

        public long Written => Interlocked.Read(ref written);

        public long Deletes => Interlocked.Read(ref deletes);

        public long Reads => Interlocked.Read(ref reads);

        public long ReadEntries => Interlocked.Read(ref readEntries);

        public long IndexCalls => Interlocked.Read(ref indexCalls);

        public long TableCalls => Interlocked.Read(ref tableCalls);

        public bool IsHead(ulong sequence) => sequence == 0 || BatchEnds.ContainsKey(sequence);

        public bool IsTail(ulong sequence) => sequence == 0 || Tails.ContainsKey(sequence);

        public void Stop() => Volatile.Write(ref stopped, 1);

        public void Dispose() => Barrier.Dispose();

        public void Fail(string thread, string message)
        {
            if (Interlocked.Increment(ref failureCount) <= MaxFailures)
            {
                failures.Enqueue($"{thread}: {message}");
            }
        }

        public void CountBatch(int entries)
        {
            Interlocked.Increment(ref batches);
            Interlocked.Add(ref written, entries);
        }

        public void CountDelete() => Interlocked.Increment(ref deletes);

        public void CountRead(int entries)
        {
            Interlocked.Increment(ref reads);
            Interlocked.Add(ref readEntries, entries);
        }

        public void CountIndex() => Interlocked.Increment(ref indexCalls);

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
}
