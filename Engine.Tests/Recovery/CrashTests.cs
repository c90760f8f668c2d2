using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
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
        var history = new History();
        var watch = Stopwatch.StartNew();

        for (int iteration = 0; iteration < iterations; iteration++)
        {
            int seed = random.Next();
            int delay = random.Next(50, 401);
            ChildRun run = RunAndKill(db, seed, syncWrites, TimeSpan.FromMilliseconds(delay));
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

    private static void CheckIteration(string db, bool syncWrites, ChildRun run, History history, Random random)
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

        Entry[] next;
        var recovery = new WarningLog();
        using (OpenLedger open = OpenLedger.Open(db, CrashProtocol.SegmentSize, syncWrites, Prefix, recovery))
        {
            history.RecoveryWarnings.AddRange(recovery.Messages);
            CheckLedger(open.Ledger, history);
            history.Head = open.Ledger.Head;
            history.Tail = open.Ledger.Tail;

            // Writable: the next batch goes right after the recovered Head.
            next = CrashProtocol.Batch(history.Head + 1, random.Next(1, CrashProtocol.MaxBatch + 1));
            open.Ledger.Write(next);
            history.Batches.Add((next[0].Sequence, next[^1].Sequence));
        }

        using (OpenLedger open = OpenLedger.Open(db, CrashProtocol.SegmentSize, syncWrites, Prefix))
        {
            CheckLedger(open.Ledger, history);
            Assert.Equal(next[^1].Sequence, open.Ledger.Head);
            history.Head = open.Ledger.Head;
            history.Tail = open.Ledger.Tail;
        }
    }

    /// <summary>
    /// Sequences are written without gaps from 1, and Delete never passes Head, so the live entries
    /// must be exactly Tail+1..Head; every one must carry its own payload; batches must be whole
    /// (only deletion may cut one, from below); and every acknowledged batch must be there.
    /// </summary>
    private static void CheckLedger(Ledger ledger, History history)
    {
        ulong head = ledger.Head;
        ulong tail = ledger.Tail;
        long length = ledger.Length;
        Assert.True(tail >= history.LastDelete, $"Tail {tail} is below the last acknowledged delete {history.LastDelete}");
        Assert.True(head >= tail, $"Head {head} is below Tail {tail}");
        ulong acknowledgedHead = history.Batches.Count == 0 ? 0 : history.Batches.Max(b => b.Last);
        Assert.True(head >= acknowledgedHead, $"Head {head} is below the last acknowledged sequence {acknowledgedHead}");
        Assert.Equal((long)(head - tail), length);

        IReadOnlyList<Entry> entries = ledger.Read(1, int.MaxValue);
        Assert.Equal(length, entries.Count);
        (ulong First, int Count) previousBatch = default;
        for (int i = 0; i < entries.Count; i++)
        {
            ulong sequence = tail + 1 + (ulong)i;
            Assert.Equal(sequence, entries[i].Sequence);
            (ulong first, int count) = Parse(entries[i]);
            Assert.True(first <= sequence && sequence < first + (ulong)count, $"entry {sequence} claims batch {first}+{count}");
            if (i > 0 && first != previousBatch.First)
            {
                Assert.Equal(sequence, first); // a new batch starts at its first entry...
                Assert.Equal(sequence - 1, previousBatch.First + (ulong)previousBatch.Count - 1); // ...right after the previous one ended
            }

            previousBatch = (first, count);
        }

        if (length > 0)
        {
            Assert.Equal(head, previousBatch.First + (ulong)previousBatch.Count - 1); // the last batch is whole
            Assert.Equal((head, true), ledger.Index(-1));
            Assert.Equal((tail + 1, true), ledger.Index(0));
        }

        Assert.Equal((head, false), ledger.Index(length));
        foreach ((ulong first, ulong last) in history.Batches.Where(b => b.Last > tail))
        {
            // Present (Tail < last <= Head, no gaps), and written as this very batch.
            ulong from = Math.Max(first, tail + 1);
            for (ulong sequence = from; sequence <= last; sequence++)
            {
                Assert.Equal((first, (int)(last - first + 1)), Parse(entries[(int)(sequence - tail - 1)]));
            }
        }
    }

    /// <summary>Checks a payload byte for byte and returns the batch it names.</summary>
    private static (ulong First, int Count) Parse(Entry entry)
    {
        string text = Encoding.ASCII.GetString(entry.Payload.Span);
        Assert.True(CrashProtocol.TryParsePayload(text, out ulong first, out int count), $"entry {entry.Sequence} has a malformed payload '{text}'");
        Assert.Equal(CrashProtocol.PayloadText(entry.Sequence, first, count), text);
        return (first, count);
    }

    /// <summary>Starts the child, waits until it has opened the ledger, lets it write for <paramref name="delay"/>, and kills it.</summary>
    private static ChildRun RunAndKill(string db, int seed, bool syncWrites, TimeSpan delay)
    {
        using CrashChild child = CrashChild.Start(CrashProtocol.LedgerArguments(db, Prefix, seed, syncWrites));
        if (child.WaitReady())
        {
            Thread.Sleep(delay);
        }

        child.Kill();
        string[] all = child.Lines;
        return new ChildRun(
            child.IsReady,
            child.ExitedBeforeKill,
            child.ExitCode,
            all,
            Acks(all),
            Deletes(all),
            child.Stderr);
    }

    /// <summary>The batches the child reported written, in order.</summary>
    private static List<(ulong First, ulong Last)> Acks(string[] lines)
    {
        var acks = new List<(ulong First, ulong Last)>();
        foreach (string line in lines)
        {
            if (CrashProtocol.TryParseWritten(line, out ulong first, out ulong last))
            {
                acks.Add((first, last));
            }
        }

        return acks;
    }

    /// <summary>The sequences the child reported deleted up to, in order.</summary>
    private static List<ulong> Deletes(string[] lines)
    {
        var deletes = new List<ulong>();
        foreach (string line in lines)
        {
            if (CrashProtocol.TryParseDeleted(line, out ulong sequence))
            {
                deletes.Add(sequence);
            }
        }

        return deletes;
    }

    private sealed record ChildRun(
        bool Ready,
        bool ExitedBeforeKill,
        int ExitCode,
        string[] Lines,
        List<(ulong First, ulong Last)> Acks,
        List<ulong> Deletes,
        string Stderr);

    /// <summary>What the test knows across kills: every acknowledged batch, the last acknowledged delete, and the state last verified.</summary>
    private sealed class History
    {
        public List<(ulong First, ulong Last)> Batches { get; } = [];

        public ulong LastDelete { get; set; }

        public ulong Head { get; set; }

        public ulong Tail { get; set; }

        /// <summary>What recovery reported after the kills (torn tails, removed files, rebuilt indexes): shows where the kills landed.</summary>
        public List<string> RecoveryWarnings { get; } = [];
    }

    /// <summary>Collects the warnings the engine logs.</summary>
    private sealed class WarningLog : ILogger
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Messages.Enqueue(formatter(state, exception));
            }
        }
    }
}
