using System.Diagnostics;
using Quasar.CrashWriter;
using Quasar.Storage;
using Quasar.Tests.Support;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Quasar.Tests.Recovery;

/// <summary>
/// The whole stack under SIGKILL: a child process (tools/Quasar.CrashWriter, mode <c>queue</c>) runs a
/// queue with a durable producer, two named consumers that record what they process in files of
/// their own before marking it, a cleaner every few milliseconds, tiny segments and a table kept
/// near its rewrite threshold; the test kills it at random moments, over and over on the same
/// directory, and checks after each kill what <see cref="QueueCrashHistory"/> lists (no durable
/// mark lost or delivered again, nothing cleaned that a consumer had not durably marked, every
/// acknowledged entry kept or processed by all, nothing delivered that was never written) and
/// that the consistency checker finds no error, before and after recovery. The test recovers and
/// checks a copy of the directory: the next child recovers the killed directory itself, with its
/// consumers, producer and cleaner starting on it at once, and must find the state the copy showed.
/// QUASAR_CRASH_ITERATIONS sets the number of kills (default 10 here); QUASAR_CRASH_SEED replays a
/// run (the seed is printed in the test output and in every failure message).
/// </summary>
public sealed class QueueCrashTests(ITestOutputHelper output) : IDisposable
{
    private const string Prefix = "crash:Queue";

    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Consumers_keep_their_durable_marks_and_lose_nothing_when_the_whole_queue_is_killed_at_any_moment()
    {
        int iterations = TestEnvironment.Int("QUASAR_CRASH_ITERATIONS") ?? 10;
        int masterSeed = TestEnvironment.Int("QUASAR_CRASH_SEED") ?? Random.Shared.Next();
        output.WriteLine($"QUASAR_CRASH_SEED={masterSeed}, {iterations} iterations");
        var random = new Random(masterSeed);
        string db = Path.Combine(temp.Path, "db");
        string recordsDirectory = Directory.CreateDirectory(Path.Combine(temp.Path, "records")).FullName;
        Dictionary<string, QueueCrashRecords> records = CrashProtocol.QueueConsumers.ToDictionary(
            c => c, c => new QueueCrashRecords(CrashProtocol.ConsumerRecordsPath(recordsDirectory, c)));
        var history = new QueueCrashHistory();
        var phases = new QueueCrashPhases();
        ulong generation = 0;
        var watch = Stopwatch.StartNew();

        for (int iteration = 0; iteration < iterations; iteration++)
        {
            int seed = random.Next();
            int delay = random.Next(5, 301);
            QueueCrashRun run = QueueCrashRun.RunAndKill(db, recordsDirectory, Prefix, seed, TimeSpan.FromMilliseconds(delay));
            string context = $"iteration {iteration} (QUASAR_CRASH_SEED={masterSeed}, child seed {seed}, killed {delay} ms after ready)";
            try
            {
                IReadOnlyList<string> landed = CheckIteration(db, Path.Combine(temp.Path, "recovered"), run, records, history, phases, ref generation);
                output.WriteLine($"iteration {iteration}: child seed {seed}, kill after {delay} ms, {run.Acknowledged.Count} acks, {run.Rolls} rolls, {run.Cleanings} cleanings; Head {history.Head}, Tail {history.Tail}{(landed.Count == 0 ? string.Empty : "; landed during " + string.Join(", ", landed))}");
            }
            catch (Exception error)
            {
                throw new XunitException($"{context}: {error.GetType().Name}: {error.Message}\nchild stderr:\n{run.Stderr}", error);
            }
        }

        output.WriteLine(phases.Describe(iterations));
        output.WriteLine($"{iterations} kills in {watch.Elapsed.TotalSeconds:F1} s: Head {history.Head}, Tail {history.Tail}, {history.Deliveries} deliveries of which {history.Redeliveries} redeliveries");
    }

    private static IReadOnlyList<string> CheckIteration(
        string db, string copy, QueueCrashRun run, Dictionary<string, QueueCrashRecords> records, QueueCrashHistory history, QueueCrashPhases phases, ref ulong generation)
    {
        Assert.True(run.Ready, "the child never reported it was ready");
        Assert.False(run.ExitedBeforeKill, $"the child exited on its own with code {run.ExitCode}");
        Assert.Equal(137, run.ExitCode); // 128 + SIGKILL
        Assert.True(string.IsNullOrEmpty(run.Stderr), "the child wrote to stderr");
        Assert.Equal(CrashProtocol.QueueReady(history.Head, history.Tail), run.Lines.First(CrashProtocol.IsReady)); // it recovered the state the copy showed

        // What the kill left is consistent before recovery touches it (a torn tail is a warning).
        StoreCheck.AssertNoErrors(db, "after the kill, before recovery");
        ulong generationAfter = TableGeneration(db);

        history.Acknowledge(run.Acknowledged);
        foreach ((string consumer, QueueCrashRecords file) in records)
        {
            history.Deliver(consumer, file.ReadNew());
        }

        LedgerFiles.CopyDirectory(db, copy);
        var recovery = new TestLogger();
        using (var open = Db.Open(copy, new DbOptions { SyncWrites = true, SegmentSize = CrashProtocol.SegmentSize, Logger = recovery }))
        using (var queue = Queue.Open(open, new QueueOptions { Prefix = Prefix }))
        {
            history.CheckRecovered(queue.Ledger, queue.Table);
        }

        StoreCheck.AssertNoErrors(copy, "after recovery and a clean close");
        foreach (QueueCrashRecords file in records.Values)
        {
            file.DropTornLine();
        }

        IReadOnlyList<string> landed = phases.Add(run, generation, generationAfter, recovery.Messages);
        generation = generationAfter;
        return landed;
    }

    /// <summary>The generation in the queue table's header (each rewrite adds one), read without opening the database.</summary>
    private static ulong TableGeneration(string db)
    {
        var inspector = DbInspector.Open(db);
        StoreInfo table = inspector.Stores.Single(s => s.Kind == StoreKind.Table);
        return inspector.ReadTable(table).Generation;
    }
}
