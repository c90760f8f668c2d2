using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Quasar.CrashWriter;
using Quasar.Tests.Support;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Quasar.Tests.Recovery;

/// <summary>
/// Kills a writer process (tools/Quasar.CrashWriter) with SIGKILL at random moments, over and over
/// on the same directory, and checks after each kill that every acknowledged batch is there, that
/// no part of a batch is ever visible without the rest, and that the ledger goes on working.
/// QUASAR_CRASH_ITERATIONS sets the number of kills per run (default 20); QUASAR_CRASH_SEED replays a
/// run (the seed is printed in the test output and in every failure message).
/// </summary>
public sealed class CrashTests(ITestOutputHelper output) : IDisposable
{
    private const string Prefix = "crash:Log";

    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    /// <summary>
    /// With <see cref="DbOptions.SyncWrites"/> an acknowledged batch is on disk; without it, it has
    /// reached the operating system, which is enough to survive the death of the process.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Acknowledged_batches_survive_a_kill_at_any_moment_and_no_partial_batch_is_ever_visible(bool syncWrites)
    {
        int iterations = TestEnvironment.Int("QUASAR_CRASH_ITERATIONS") ?? 20;
        int masterSeed = TestEnvironment.Int("QUASAR_CRASH_SEED") ?? Random.Shared.Next();
        output.WriteLine($"QUASAR_CRASH_SEED={masterSeed}, {iterations} iterations, SyncWrites {syncWrites}");
        var random = new Random(masterSeed);
        string db = Path.Combine(temp.Path, "db");
        var history = new LedgerCrashHistory();
        var watch = Stopwatch.StartNew();

        for (int iteration = 0; iteration < iterations; iteration++)
        {
            int seed = random.Next();
            int delay = random.Next(50, 401);
            LedgerCrashRun run = LedgerCrashRun.RunAndKill(db, Prefix, seed, syncWrites, TimeSpan.FromMilliseconds(delay));
            string context = $"iteration {iteration} (SyncWrites {syncWrites}, QUASAR_CRASH_SEED={masterSeed}, child seed {seed}, killed {delay} ms after ready)";
            try
            {
                CheckIteration(db, syncWrites, run, history, random);
            }
            catch (Exception error)
            {
                throw new XunitException(
                    $"{context}: {error.GetType().Name}: {error.Message}\n"
                    + $"child stdout (last lines):\n{string.Join('\n', run.Lines.TakeLast(10))}\n"
                    + $"child stderr:\n{run.Stderr}\n"
                    + $"recovery warnings (last):\n{string.Join('\n', history.RecoveryWarnings.TakeLast(5))}",
                    error);
            }

            output.WriteLine($"iteration {iteration}: child seed {seed}, kill after {delay} ms, {run.Acks.Count} acks, {run.Deletes.Count} deletes; Head {history.Head}, Tail {history.Tail}");
        }

        foreach (string warning in history.RecoveryWarnings)
        {
            output.WriteLine($"recovery: {warning}");
        }

        int segments = Directory.GetFiles(db, "*.seg", SearchOption.AllDirectories).Length;
        output.WriteLine($"{iterations} kills in {watch.Elapsed.TotalSeconds:F1} s: {history.Batches.Count} known batches, Head {history.Head}, Tail {history.Tail}, {segments} segment files");
    }

    /// <summary>
    /// Delete persists the tail first and unlinks whole segments after; a crash in between leaves
    /// segments whose entries are all deleted. Opening finishes the job.
    /// </summary>
    [Fact]
    public void A_delete_interrupted_before_its_segments_were_unlinked_is_finished_on_open()
    {
        string db = Path.Combine(temp.Path, "db");
        Entry[] all = LedgerFiles.Batch(1, 30);
        string[] segments;
        var saved = new Dictionary<string, byte[]>();
        using (OpenLedger open = OpenLedger.Open(db, 300))
        {
            foreach (Entry[] batch in all.Chunk(3))
            {
                open.Ledger.Write(batch);
            }

            segments = LedgerFiles.Segments(db);
            Assert.Equal(5, segments.Length);
            foreach (string segment in segments[..2])
            {
                saved[segment] = File.ReadAllBytes(segment);
                saved[LedgerFiles.IndexOf(segment)] = File.ReadAllBytes(LedgerFiles.IndexOf(segment));
            }

            Assert.Equal(14L, open.Ledger.Delete(14));
            Assert.Equal(segments[2..], LedgerFiles.Segments(db));
        }

        foreach ((string file, byte[] bytes) in saved)
        {
            File.WriteAllBytes(file, bytes);
        }

        using (OpenLedger open = OpenLedger.Open(db, 300))
        {
            Assert.Equal(segments[2..], LedgerFiles.Segments(db));
            Assert.All(saved.Keys, file => Assert.False(File.Exists(file), $"{file} was not removed"));
            Assert.Equal(14UL, open.Ledger.Tail);
            Assert.Equal(16, open.Ledger.Length);
            Assert.Equal((15UL, true), open.Ledger.Index(0));
            TestEntries.AssertMatches(all[14..], open.Ledger.Read(1, 100));
        }
    }

    private static void CheckIteration(string db, bool syncWrites, LedgerCrashRun run, LedgerCrashHistory history, Random random)
    {
        Assert.True(run.Ready, "the child never reported it was ready");
        Assert.False(run.ExitedBeforeKill, $"the child exited on its own with code {run.ExitCode}");
        Assert.Equal(137, run.ExitCode); // 128 + SIGKILL
        Assert.True(string.IsNullOrEmpty(run.Stderr), "the child wrote to stderr");

        // The child saw exactly the state the test left behind.
        Assert.Equal(CrashProtocol.LedgerReady(history.Head, history.Tail, (long)(history.Head - history.Tail)), run.Lines[0]);
        history.Batches.AddRange(run.Acks);
        if (run.Deletes.Count > 0)
        {
            history.LastDelete = Math.Max(history.LastDelete, run.Deletes.Max());
        }

        // What the kill left is consistent before recovery touches it (a torn tail is a warning).
        StoreCheck.AssertNoErrors(db, "after the kill, before recovery");

        Entry[] next;
        var recovery = new TestLogger();
        using (OpenLedger open = OpenLedger.Open(db, CrashProtocol.SegmentSize, syncWrites, Prefix, recovery))
        {
            history.RecoveryWarnings.AddRange(recovery.At(LogLevel.Warning).Select(m => m.Message));
            history.Check(open.Ledger);
            history.Head = open.Ledger.Head;
            history.Tail = open.Ledger.Tail;

            // Writable: the next batch goes right after the recovered Head.
            next = CrashProtocol.Batch(history.Head + 1, random.Next(1, CrashProtocol.MaxBatch + 1));
            open.Ledger.Write(next);
            history.Batches.Add((next[0].Sequence, next[^1].Sequence));
        }

        using (OpenLedger open = OpenLedger.Open(db, CrashProtocol.SegmentSize, syncWrites, Prefix))
        {
            history.Check(open.Ledger);
            Assert.Equal(next[^1].Sequence, open.Ledger.Head);
            history.Head = open.Ledger.Head;
            history.Tail = open.Ledger.Tail;
        }

        StoreCheck.AssertNoErrors(db, "after recovery and a clean close");
    }
}
