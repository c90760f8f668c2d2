using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Quasar.CrashWriter;
using Quasar.Storage.Tables;
using Quasar.Tests.Support;
using static Quasar.Tests.Support.TableFile;
using static Quasar.Tests.Support.TableState;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Quasar.Tests.Recovery;

/// <summary>
/// Kills a table writer process (tools/Quasar.CrashWriter, mode <c>table</c>) with SIGKILL at random
/// moments, over and over on the same directory, and checks after each kill that every acknowledged
/// set and delete is there (a name holds exactly its last acknowledged value, or the value of the
/// one call that was in flight), that the table stays writable, and that rewrites - which the
/// writer triggers again and again - never lose anything. QUASAR_CRASH_ITERATIONS sets the number
/// of kills (default 20, shared with <see cref="CrashTests"/>); QUASAR_CRASH_SEED replays a run.
/// </summary>
public sealed class TableCrashTests(ITestOutputHelper output) : IDisposable
{
    private const string Prefix = "crash:Table";

    /// <summary>The table's directory for <see cref="Prefix"/> (FORMAT.md: ':' -> '+', 'T' -> '^t').</summary>
    private const string TableDirectoryName = "table-crash+^table";

    /// <summary>A name only the test sets: it keeps the largest position ever written, so the child never reuses one.</summary>
    private const string ProbeName = "probe";

    /// <summary>A name the test sets and deletes to grow the file just below the rewrite threshold.</summary>
    private const string PadName = "pad";

    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    /// <summary>
    /// Before every run the test pads the file to a random point at most 64 KiB below
    /// <see cref="TableLog.MinRewriteBytes"/>, so each child crosses the threshold early in its run
    /// and the kills land before, inside and after rewrites (a run lasts long enough to write about
    /// another mebibyte, so some cross it twice). With only a few names live, a file at the threshold
    /// is always rewritten: whenever a child was acknowledged for enough bytes to reach it, the test
    /// checks that the generation in the header went up.
    /// </summary>
    [Fact]
    public void Acknowledged_sets_and_deletes_survive_a_kill_at_any_moment_also_during_rewrites()
    {
        int iterations = TestEnvironment.Int("QUASAR_CRASH_ITERATIONS") ?? 20;
        int masterSeed = TestEnvironment.Int("QUASAR_CRASH_SEED") ?? Random.Shared.Next();
        output.WriteLine($"QUASAR_CRASH_SEED={masterSeed}, {iterations} iterations");
        var random = new Random(masterSeed);
        string db = Path.Combine(temp.Path, "db");
        string file = Path.Combine(db, TableDirectoryName, "table.log");
        var state = new Dictionary<string, ulong[]>(StringComparer.Ordinal);
        var totals = new TableCrashTotals();
        var watch = Stopwatch.StartNew();

        for (int iteration = 0; iteration < iterations; iteration++)
        {
            int seed = random.Next();
            int delay = random.Next(50, 401);
            int headroom = random.Next(1024, 64 * 1024);
            string context = $"iteration {iteration} (QUASAR_CRASH_SEED={masterSeed}, child seed {seed}, killed {delay} ms after ready, padded to {headroom} bytes below the threshold)";
            TableCrashReplay replay;
            TableFileAfterKill kill;
            using (CrashChild child = RunHotChild(db, file, seed, delay, headroom, state, out long lengthBefore, out ulong generationBefore))
            {
                try
                {
                    Assert.True(child.IsReady, "the child never reported it was ready");
                    Assert.False(child.ExitedBeforeKill, $"the child exited on its own with code {child.ExitCode}");
                    Assert.Equal(137, child.ExitCode); // 128 + SIGKILL
                    Assert.True(string.IsNullOrEmpty(child.Stderr), "the child wrote to stderr");
                    string[] lines = child.Lines;
                    Assert.Equal(CrashProtocol.TableReady(state.Count, MaxPosition(state)), lines[0]); // the child saw exactly what the test left
                    replay = TableCrashReplay.Run(state, lines.AsSpan(1));
                    kill = TableFileAfterKill.Inspect(file, lengthBefore, generationBefore);

                    // Deterministic, not timing: a file at the threshold with a few names live must be rewritten.
                    if (replay.AcknowledgedBytes >= TableLog.MinRewriteBytes - lengthBefore)
                    {
                        Assert.True(
                            kill.Generation > generationBefore,
                            $"the child was acknowledged for {replay.AcknowledgedBytes} bytes on a {lengthBefore}-byte file, past the {TableLog.MinRewriteBytes}-byte threshold, but the generation stayed {generationBefore}");
                    }

                    CheckAfterKill(db, file, iteration, replay, random, state, totals);
                }
                catch (Exception error)
                {
                    throw new XunitException($"{context}: {error.GetType().Name}: {error.Message}\n{child.Describe()}", error);
                }
            }

            totals.Add(replay, kill);
            output.WriteLine(
                $"iteration {iteration}: seed {seed}, kill after {delay} ms, {replay.Sets} sets and {replay.Deletes} deletes acknowledged ({replay.AcknowledgedBytes} bytes), "
                + $"in flight: {(replay.Pending is null ? "nothing" : replay.Pending.Describe())}; file {kill.LengthBefore} -> {kill.Length} bytes, "
                + $"generation {kill.GenerationBefore} -> {kill.Generation}{(kill.TemporaryLeft ? $", killed inside a rewrite ({kill.TemporaryLength}-byte table.log.tmp left)" : string.Empty)}");
        }

        foreach (string warning in totals.RecoveryWarnings)
        {
            output.WriteLine($"recovery: {warning}");
        }

        output.WriteLine(
            $"{iterations} kills in {watch.Elapsed.TotalSeconds:F1} s: {totals.Sets} sets, {totals.Deletes} deletes, {totals.Rewrites} rewrites while a child ran "
            + $"({totals.RunsWithRewrite} runs), {totals.KillsInsideRewrite} kills inside a rewrite, {totals.InFlightApplied} in-flight calls found applied");
        if (iterations >= 5)
        {
            // Coverage: with the padding every run that writes 64 KiB crosses the threshold.
            Assert.True(totals.Rewrites > 0, $"no child ran into a rewrite in {iterations} runs (QUASAR_CRASH_SEED={masterSeed})");
        }
    }

    /// <summary>
    /// A rewrite first creates table.log.tmp, then reads every live record (without the cache, one
    /// read per name), writes them, syncs, and renames. With 150,000 names live this takes long, so
    /// killing the child as soon as table.log.tmp appears (or, with <paramref name="whileWriting"/>,
    /// as soon as it has content: the write under way or done, the sync and rename not) lands inside
    /// the rewrite. The test proves it afterwards (the .tmp is still there, with content if asked,
    /// and the header's generation is still 0) and tries again, up to five times, if the kill came
    /// late. The old file must be complete, the .tmp removed on open, and the next rewrite must succeed.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_kill_right_after_the_first_rewrite_started_loses_nothing_and_the_next_rewrite_succeeds(bool whileWriting)
    {
        const int LiveNames = 150_000;
        const int Attempts = 5;
        for (int attempt = 1; attempt <= Attempts; attempt++)
        {
            string db = Path.Combine(temp.Path, $"rewrite-{attempt}");
            string file = Path.Combine(db, TableDirectoryName, "table.log");
            string temporary = file + ".tmp";
            var state = new Dictionary<string, ulong[]>(StringComparer.Ordinal);
            using (var database = Db.Open(db))
            using (var table = Table.Open(database, new TableOptions { Prefix = Prefix }))
            {
                for (int i = 0; i < LiveNames; i++)
                {
                    string name = string.Create(CultureInfo.InvariantCulture, $"live-{i}");
                    ulong[] value = [(ulong)i + 1];
                    table.Set(name, value);
                    state[name] = value;
                }
            }

            int seed = Random.Shared.Next();
            bool sawTemporary = false;
            string[] lines;
            using (CrashChild child = CrashChild.Start(CrashProtocol.TableArguments(db, Prefix, seed, bulk: true)))
            {
                try
                {
                    Assert.True(child.WaitReady(), "the child never reported it was ready");
                    var clock = Stopwatch.StartNew();
                    while (!child.HasExited && clock.Elapsed < CrashChild.StartTimeout)
                    {
                        if (whileWriting ? LengthOrMissing(temporary) > 0 : File.Exists(temporary))
                        {
                            sawTemporary = true;
                            break;
                        }

                        Thread.SpinWait(20);
                    }

                    child.Kill();
                    Assert.True(sawTemporary, $"no rewrite {(whileWriting ? "wrote table.log.tmp" : "started")} within {CrashChild.StartTimeout} (child exited: {child.ExitedBeforeKill})");
                    Assert.False(child.ExitedBeforeKill, $"the child exited on its own with code {child.ExitCode}");
                    Assert.Equal(137, child.ExitCode);
                    Assert.True(string.IsNullOrEmpty(child.Stderr), "the child wrote to stderr");
                    lines = child.Lines;
                    Assert.Equal(CrashProtocol.TableReady(LiveNames, LiveNames), lines[0]);
                }
                catch (Exception error)
                {
                    throw new XunitException($"attempt {attempt}, child seed {seed}: {error.GetType().Name}: {error.Message}\n{child.Describe(3)}", error);
                }
            }

            long temporaryLength = LengthOrMissing(temporary);
            bool inside = (whileWriting ? temporaryLength > 0 : temporaryLength >= 0) && Generation(file) == 0;
            if (!inside)
            {
                output.WriteLine($"attempt {attempt}: the kill missed (table.log.tmp {temporaryLength} bytes, -1 = gone; generation {Generation(file)}); trying again");
                Directory.Delete(db, recursive: true);
                continue;
            }

            output.WriteLine($"attempt {attempt}: killed inside the first rewrite: table.log {new FileInfo(file).Length} bytes (generation 0), table.log.tmp {temporaryLength} bytes");
            TableCrashReplay replay = TableCrashReplay.Run(state, lines.AsSpan(1));
            Assert.True(replay.Sets > 0, "the child was killed before its first set was acknowledged, yet a rewrite had started");
            Assert.NotNull(replay.Pending); // the set that triggered the rewrite has not returned

            var logger = new TestLogger();
            using (var database = Db.Open(db, new DbOptions { Logger = logger }))
            using (var table = Table.Open(database, new TableOptions { Prefix = Prefix }))
            {
                Assert.False(File.Exists(temporary), "table.log.tmp was not removed on open");
                Assert.Contains(logger.At(LogLevel.Warning), m => m.Message.Contains("table.log.tmp", StringComparison.Ordinal));
                bool applied = replay.Resolve(table.All(), state);
                output.WriteLine($"the set that triggered the rewrite was {(applied ? "found applied" : "not applied")}");

                // Writable, and the next rewrite goes through: the file is past the threshold already.
                ulong next = MaxPosition(state) + 1;
                ulong[] bulk = [.. Enumerable.Range(0, 100_000).Select(i => next + (ulong)i)];
                table.Set(CrashProtocol.BulkName, bulk);
                state[CrashProtocol.BulkName] = bulk;
                Assert.Equal(1UL, Generation(file));
                Assert.False(File.Exists(temporary));
                AssertSame(state, table.All());
            }

            using (var database = Db.Open(db))
            using (var table = Table.Open(database, new TableOptions { Prefix = Prefix, Cache = true }))
            {
                AssertSame(state, table.All());
                Assert.Equal(1UL, Generation(file));
            }

            return;
        }

        Assert.Fail($"none of {Attempts} attempts killed the child inside the rewrite (each kill came after the rename): the rewrite was too quick to catch");
    }

    /// <summary>Pads the file, then runs the hot child and kills it <paramref name="delay"/> ms after it is ready.</summary>
    private static CrashChild RunHotChild(string db, string file, int seed, int delay, int headroom, Dictionary<string, ulong[]> state, out long lengthBefore, out ulong generationBefore)
    {
        Pad(db, file, TableLog.MinRewriteBytes - headroom, state);
        lengthBefore = new FileInfo(file).Length;
        generationBefore = Generation(file);
        CrashChild child = CrashChild.Start(CrashProtocol.TableArguments(db, Prefix, seed, bulk: false));
        try
        {
            if (child.WaitReady())
            {
                Thread.Sleep(delay);
            }

            child.Kill();
            return child;
        }
        catch
        {
            child.Dispose();
            throw;
        }
    }

    /// <summary>Sets and deletes <see cref="PadName"/> until the file is close below <paramref name="target"/> bytes (never rewriting).</summary>
    private static void Pad(string db, string file, long target, Dictionary<string, ulong[]> state)
    {
        using var database = Db.Open(db, new DbOptions { SyncWrites = true });
        using var table = Table.Open(database, new TableOptions { Prefix = Prefix });
        ulong generation = Generation(file);
        long deleteLength = DeleteRecordLength(PadName);
        bool padded = false;
        while (true)
        {
            long room = target - new FileInfo(file).Length - deleteLength - SetRecordLength(PadName, 0);
            int count = (int)Math.Min(10_000, room / 8);
            if (count < 1)
            {
                break;
            }

            table.Set(PadName, [.. Enumerable.Range(1, count).Select(i => (ulong)i)]);
            padded = true;
        }

        if (padded)
        {
            table.Delete(PadName);
        }

        Assert.Equal(generation, Generation(file)); // padding stays below the threshold
        AssertSame(state, table.All());
    }

    /// <summary>
    /// Opens the table after a kill and checks it against what the child acknowledged (and the one
    /// call in flight), then checks that it is writable and that a reopen shows the same.
    /// </summary>
    private static void CheckAfterKill(string db, string file, int iteration, TableCrashReplay replay, Random random, Dictionary<string, ulong[]> state, TableCrashTotals totals)
    {
        // What the kill left is consistent before recovery touches it (a torn last record is a warning).
        StoreCheck.AssertNoErrors(db, "after the kill, before recovery");
        var logger = new TestLogger();
        using (var database = Db.Open(db, new DbOptions { SyncWrites = true, Logger = logger }))
        using (var table = Table.Open(database, new TableOptions { Prefix = Prefix, Cache = iteration % 2 == 0 }))
        {
            totals.RecoveryWarnings.AddRange(logger.At(LogLevel.Warning).Select(m => m.Message));
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(file)!, "*.tmp"));
            if (replay.Resolve(table.All(), state))
            {
                totals.InFlightApplied++;
            }

            AssertRange(state, table.Range());

            // Writable: delete one of the child's names now and then, and store a new largest position.
            string[] cold = [.. state.Keys.Where(n => n.StartsWith("name-", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
            if (cold.Length > 0 && random.Next(2) == 0)
            {
                string name = cold[random.Next(cold.Length)];
                table.Delete(name);
                state.Remove(name);
            }

            ulong[] probe = [Math.Max(MaxPosition(state), replay.LargestPosition) + 1];
            table.Set(ProbeName, probe);
            state[ProbeName] = probe;
            Assert.Equal(probe, table.Get(ProbeName));
            AssertSame(state, table.All());
        }

        using (var database = Db.Open(db, new DbOptions { SyncWrites = true }))
        using (var table = Table.Open(database, new TableOptions { Prefix = Prefix, Cache = iteration % 2 != 0 }))
        {
            AssertSame(state, table.All());
            AssertRange(state, table.Range());
        }
    }
}
