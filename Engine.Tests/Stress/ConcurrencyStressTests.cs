using System.Globalization;
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
    private const int TableNames = 32;
    private static readonly TimeSpan StartTimeout = StressRun.StartTimeout;
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

    private void Stress(long segmentSize, int cache, string description, Action<Ledger, StressRun, Random> deleter)
    {
        int seconds = TestEnvironment.Int("QUASAR_STRESS_SECONDS") ?? 3;
        int seed = TestEnvironment.Int("QUASAR_STRESS_SEED") ?? Random.Shared.Next();
        output.WriteLine($"QUASAR_STRESS_SEED={seed}, {seconds} s, {description}");
        var dbOptions = new DbOptions { SegmentSize = segmentSize };
        var ledgerOptions = new LedgerOptions { Prefix = "stress", Cache = cache };
        var tableOptions = new TableOptions { Prefix = "stress-table" };
        using var run = new StressRun(seed, threads: Readers + 3);

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
            StoreCheck.AssertNoErrors(temp.Path, $"after the run (QUASAR_STRESS_SEED={seed})");

            using var reopened = Db.Open(temp.Path, dbOptions);
            using var ledgerAgain = Ledger.Open(reopened, ledgerOptions);
            using var tableAgain = Table.Open(reopened, tableOptions);
            LedgerState.AssertSame(before, LedgerState.Capture(ledgerAgain));
            CheckFinal(ledgerAgain, tableAgain, run);
            AssertTable(tableBefore, tableAgain.All());
        }
    }

    /// <summary>Writes batches of 1..20 entries right after Head, announcing each batch end before the write.</summary>
    private static void Writer(Ledger ledger, StressRun run, Random random)
    {
        ulong next = 1;
        while (!run.Stopped)
        {
            int count = random.Next(1, LedgerHistory.MaxBatch + 1);
            var batch = new Entry[count];
            for (int i = 0; i < count; i++)
            {
                batch[i] = new Entry(next + (ulong)i, LedgerHistory.Payload(next + (ulong)i, next, count));
            }

            ulong last = next + (ulong)count - 1;
            run.BatchEnds[last] = 0;
            ledger.Write(batch);
            run.CountBatch(last, count);
            next = last + 1;
        }
    }

    /// <summary>
    /// Deletes up to a random sequence at or below Head (announcing the new Tail first), pausing
    /// 1..5 ms between deletes or not at all; with <paramref name="keep"/> &gt; 0 it deletes all but
    /// the newest 0..keep entries. Now and then a delete at or below the tail, which changes nothing.
    /// </summary>
    private static void Deleter(Ledger ledger, StressRun run, Random random, bool pause, int keep)
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

    private static void Reader(Ledger ledger, StressRun run, Random random)
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
    private static void RangeRead(Ledger ledger, StressRun run, Random random)
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
        int amount = random.Next(8) == 0 ? int.MaxValue : random.Next(1, 3 * LedgerHistory.MaxBatch);
        IReadOnlyList<Entry> read = ledger.Read(start, amount);
        ulong h2 = ledger.Head;
        ulong t2 = ledger.Tail;
        run.CountRead(read.Count);
        string what = $"Read({start}, {amount}) with Head {h0}..{h2}, Tail {t1}..{t2}";
        LedgerHistory.CheckObserved(run, what, h0, t1, h2, t2);
        LedgerHistory.CheckLength(run, what, length, h0, t1, h2, t2);
        LedgerHistory.CheckRead(run, what, read, start, amount, h0, t1, h2, t2);
    }

    /// <summary>Read of everything: as many entries as Length, by the same bounds.</summary>
    private static void FullRead(Ledger ledger, StressRun run, Random random)
    {
        ulong h0 = ledger.Head;
        ulong t1 = ledger.Tail;
        ulong start = random.Next(2) == 0 ? 0 : t1 + 1;
        IReadOnlyList<Entry> read = ledger.Read(start, int.MaxValue);
        ulong h2 = ledger.Head;
        ulong t2 = ledger.Tail;
        run.CountRead(read.Count);
        string what = $"Read({start}, int.MaxValue) with Head {h0}..{h2}, Tail {t1}..{t2}";
        LedgerHistory.CheckObserved(run, what, h0, t1, h2, t2);
        LedgerHistory.CheckRead(run, what, read, start, int.MaxValue, h0, t1, h2, t2);
        LedgerHistory.CheckLength(run, what + " (its count)", read.Count, h0, t1, h2, t2);
    }

    /// <summary>Index at a random position, from either end, in or out of range.</summary>
    private static void IndexProbe(Ledger ledger, StressRun run, Random random)
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
        LedgerHistory.CheckObserved(run, what, h0, t1, h2, t2);
        LedgerHistory.CheckLength(run, what, length, h0, t1, h2, t2);

        LedgerHistory.CheckIndex(run, what, index, sequence, found, h0, t1, h2, t2);
    }

    /// <summary>Sets and deletes names of a table on the same Db, checking each against its own model.</summary>
    private static void TableWriter(Table table, StressRun run, Random random)
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

    /// <summary>The final state: the ledger holds what the history allows, the table exactly what its only writer set.</summary>
    private static void CheckFinal(Ledger ledger, Table table, StressRun run)
    {
        LedgerHistory.CheckFinal(ledger, run);
        AssertTable(new Dictionary<string, ulong[]>(run.TableModel), table.All());
    }

    private static void AssertTable(Dictionary<string, ulong[]> expected, IReadOnlyDictionary<string, ulong[]> actual)
    {
        Assert.Equal(
            expected.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}=[{string.Join(',', p.Value)}]"),
            actual.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}=[{string.Join(',', p.Value)}]"));
    }
}
