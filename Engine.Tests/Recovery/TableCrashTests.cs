using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Quasar.Storage.Tables;
using Quasar.Tests.Support;
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

    /// <summary>The name the child's bulk workload sets (tools/Quasar.CrashWriter/TableWriter.cs).</summary>
    private const string BulkName = "bulk";

    private const int HeaderSize = 32;

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
        var totals = new Totals();
        var watch = Stopwatch.StartNew();

        for (int iteration = 0; iteration < iterations; iteration++)
        {
            int seed = random.Next();
            int delay = random.Next(50, 401);
            int headroom = random.Next(1024, 64 * 1024);
            string context = $"iteration {iteration} (QUASAR_CRASH_SEED={masterSeed}, child seed {seed}, killed {delay} ms after ready, padded to {headroom} bytes below the threshold)";
            LinesReplay replay;
            Kill kill;
            using (CrashChild child = RunHotChild(db, file, seed, delay, headroom, state, out long lengthBefore, out ulong generationBefore))
            {
                try
                {
                    Assert.True(child.IsReady, "the child never reported it was ready");
                    Assert.False(child.ExitedBeforeKill, $"the child exited on its own with code {child.ExitCode}");
                    Assert.Equal(137, child.ExitCode); // 128 + SIGKILL
                    Assert.True(string.IsNullOrEmpty(child.Stderr), "the child wrote to stderr");
                    string[] lines = child.Lines;
                    Assert.Equal($"ready {state.Count} {MaxPosition(state)}", lines[0]); // the child saw exactly what the test left
                    replay = LinesReplay.Run(state, lines.AsSpan(1));
                    kill = Kill.Inspect(file, lengthBefore, generationBefore);

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
            using (CrashChild child = CrashChild.Start("table", db, Prefix, seed.ToString(CultureInfo.InvariantCulture), "bulk"))
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
                    Assert.Equal($"ready {LiveNames} {LiveNames}", lines[0]);
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
            LinesReplay replay = LinesReplay.Run(state, lines.AsSpan(1));
            Assert.True(replay.Sets > 0, "the child was killed before its first set was acknowledged, yet a rewrite had started");
            Assert.NotNull(replay.Pending); // the set that triggered the rewrite has not returned

            var logger = new TestLogger();
            using (var database = Db.Open(db, new DbOptions { Logger = logger }))
            using (var table = Table.Open(database, new TableOptions { Prefix = Prefix }))
            {
                Assert.False(File.Exists(temporary), "table.log.tmp was not removed on open");
                Assert.Contains(logger.At(LogLevel.Warning), m => m.Message.Contains("table.log.tmp", StringComparison.Ordinal));
                bool applied = Resolve(table.All(), replay, state);
                output.WriteLine($"the set that triggered the rewrite was {(applied ? "found applied" : "not applied")}");

                // Writable, and the next rewrite goes through: the file is past the threshold already.
                ulong next = MaxPosition(state) + 1;
                ulong[] bulk = [.. Enumerable.Range(0, 100_000).Select(i => next + (ulong)i)];
                table.Set(BulkName, bulk);
                state[BulkName] = bulk;
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

    /// <summary>The length of <paramref name="path"/>, or -1 when it does not exist.</summary>
    private static long LengthOrMissing(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (FileNotFoundException)
        {
            return -1;
        }
    }

    /// <summary>Pads the file, then runs the hot child and kills it <paramref name="delay"/> ms after it is ready.</summary>
    private static CrashChild RunHotChild(string db, string file, int seed, int delay, int headroom, Dictionary<string, ulong[]> state, out long lengthBefore, out ulong generationBefore)
    {
        Pad(db, file, TableLog.MinRewriteBytes - headroom, state);
        lengthBefore = new FileInfo(file).Length;
        generationBefore = Generation(file);
        CrashChild child = CrashChild.Start("table", db, Prefix, seed.ToString(CultureInfo.InvariantCulture), "hot");
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
    private static void CheckAfterKill(string db, string file, int iteration, LinesReplay replay, Random random, Dictionary<string, ulong[]> state, Totals totals)
    {
        var logger = new TestLogger();
        using (var database = Db.Open(db, new DbOptions { SyncWrites = true, Logger = logger }))
        using (var table = Table.Open(database, new TableOptions { Prefix = Prefix, Cache = iteration % 2 == 0 }))
        {
            totals.RecoveryWarnings.AddRange(logger.At(LogLevel.Warning).Select(m => m.Message));
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(file)!, "*.tmp"));
            if (Resolve(table.All(), replay, state))
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

    /// <summary>
    /// Checks <paramref name="actual"/> against the acknowledged state of <paramref name="replay"/>,
    /// allowing the call in flight to have been applied, and makes <paramref name="state"/> what the
    /// table holds. Returns whether the call in flight was applied.
    /// </summary>
    private static bool Resolve(IReadOnlyDictionary<string, ulong[]> actual, LinesReplay replay, Dictionary<string, ulong[]> state)
    {
        Dictionary<string, ulong[]> acknowledged = replay.Acknowledged;
        bool applied = false;
        if (replay.Pending is { } pending)
        {
            ulong[]? before = acknowledged.GetValueOrDefault(pending.Name);
            ulong[]? found = actual.GetValueOrDefault(pending.Name);
            if (!SameValue(found, before))
            {
                Assert.True(
                    SameValue(found, pending.Value),
                    $"'{pending.Name}' holds {Show(found)}: neither its last acknowledged value {Show(before)} nor the value in flight {Show(pending.Value)}");
                applied = true;
                acknowledged = new Dictionary<string, ulong[]>(acknowledged, StringComparer.Ordinal);
                if (pending.Value is null)
                {
                    acknowledged.Remove(pending.Name);
                }
                else
                {
                    acknowledged[pending.Name] = pending.Value;
                }
            }
        }

        AssertSame(acknowledged, actual);
        state.Clear();
        foreach ((string name, ulong[] value) in acknowledged)
        {
            state[name] = value;
        }

        return applied;
    }

    private static bool SameValue(ulong[]? a, ulong[]? b) => a is null || b is null ? a is null && b is null : a.AsSpan().SequenceEqual(b);

    private static string Show(ulong[]? value) => value is null ? "nothing (absent)" : Describe(value);

    private static string Describe(ulong[] value) =>
        value.Length <= 8 ? $"[{string.Join(',', value)}]" : $"[{value[0]}, ... {value.Length} positions ..., {value[^1]}]";

    private static void AssertSame(IReadOnlyDictionary<string, ulong[]> expected, IReadOnlyDictionary<string, ulong[]> actual)
    {
        string[] missing = [.. expected.Keys.Where(n => !actual.ContainsKey(n)).Order(StringComparer.Ordinal).Take(5)];
        string[] extra = [.. actual.Keys.Where(n => !expected.ContainsKey(n)).Order(StringComparer.Ordinal).Take(5)];
        string[] different = [.. expected.Where(p => actual.TryGetValue(p.Key, out ulong[]? value) && !SameValue(p.Value, value))
            .Select(p => $"'{p.Key}': expected {Describe(p.Value)}, found {Describe(actual[p.Key])}").Take(5)];
        Assert.True(
            missing.Length == 0 && extra.Length == 0 && different.Length == 0,
            $"the table differs from what was acknowledged: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", extra)}], different [{string.Join("; ", different)}]");
    }

    private static void AssertRange(Dictionary<string, ulong[]> state, (ulong Min, ulong Max, bool Found) range)
    {
        Assert.Equal(
            state.Count == 0 ? (0UL, 0UL, false) : (state.Values.Min(v => v[0]), state.Values.Max(v => v[^1]), true),
            range);
    }

    /// <summary>The largest last position (what <see cref="Table.Range"/> reports as Max; 0 when empty).</summary>
    private static ulong MaxPosition(Dictionary<string, ulong[]> state) => state.Count == 0 ? 0 : state.Values.Max(v => v[^1]);

    /// <summary>The generation in the table file's header (FORMAT.md: bytes 16..23, little-endian).</summary>
    private static ulong Generation(string file)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            stream.ReadExactly(header);
        }

        Assert.Equal("QUASARTB", Encoding.ASCII.GetString(header[..8]));
        return BinaryPrimitives.ReadUInt64LittleEndian(header[16..]);
    }

    /// <summary>The size of a set record (FORMAT.md: 8-byte frame, kind, name length, name, count, positions).</summary>
    private static long SetRecordLength(string name, int positions) => 8 + 1 + 2 + Encoding.UTF8.GetByteCount(name) + 4 + (8L * positions);

    /// <summary>The size of a delete record: frame, kind, name length, name.</summary>
    private static long DeleteRecordLength(string name) => 8 + 1 + 2 + Encoding.UTF8.GetByteCount(name);

    /// <summary>A call the child announced with <c>try</c>/<c>try-del</c> and did not report done: Value null for a delete.</summary>
    private sealed record Call(string Name, ulong[]? Value)
    {
        public string Describe() => Value is null ? $"delete '{Name}'" : $"set '{Name}' to {TableCrashTests.Describe(Value)}";
    }

    /// <summary>The child's output replayed on the state it started from.</summary>
    private sealed class LinesReplay
    {
        private LinesReplay(Dictionary<string, ulong[]> acknowledged)
        {
            Acknowledged = acknowledged;
        }

        /// <summary>The state after every acknowledged call.</summary>
        public Dictionary<string, ulong[]> Acknowledged { get; }

        /// <summary>The call announced but not acknowledged when the child died (null: none).</summary>
        public Call? Pending { get; private set; }

        public int Sets { get; private set; }

        public int Deletes { get; private set; }

        /// <summary>The bytes the acknowledged calls appended (a delete of a missing name appends nothing).</summary>
        public long AcknowledgedBytes { get; private set; }

        /// <summary>The largest position the child announced, acknowledged or not.</summary>
        public ulong LargestPosition { get; private set; }

        public static LinesReplay Run(Dictionary<string, ulong[]> start, ReadOnlySpan<string> lines)
        {
            var replay = new LinesReplay(new Dictionary<string, ulong[]>(start, StringComparer.Ordinal));
            foreach (string line in lines)
            {
                replay.Apply(line);
            }

            return replay;
        }

        private void Apply(string line)
        {
            string[] fields = line.Split(' ');
            switch (fields)
            {
                case ["try", string name, string values]:
                    Assert.True(Pending is null, $"'{line}' while {Pending?.Describe()} was not done");
                    Pending = new Call(name, ParseValues(values));
                    LargestPosition = Math.Max(LargestPosition, Pending.Value![^1]);
                    break;
                case ["try-del", string name]:
                    Assert.True(Pending is null, $"'{line}' while {Pending?.Describe()} was not done");
                    Pending = new Call(name, null);
                    break;
                case ["set", string name, string values]:
                    Assert.True(Pending is { Value: not null } && Pending.Name == name && SameValue(Pending.Value, ParseValues(values)), $"'{line}' does not match the call announced: {Pending?.Describe()}");
                    Acknowledged[name] = Pending!.Value!;
                    AcknowledgedBytes += SetRecordLength(name, Pending.Value!.Length);
                    Sets++;
                    Pending = null;
                    break;
                case ["del", string name]:
                    Assert.True(Pending is { Value: null } && Pending.Name == name, $"'{line}' does not match the call announced: {Pending?.Describe()}");
                    if (Acknowledged.Remove(name))
                    {
                        AcknowledgedBytes += DeleteRecordLength(name);
                    }

                    Deletes++;
                    Pending = null;
                    break;
                default:
                    Assert.Fail($"unexpected line from the child: '{line}'");
                    break;
            }
        }

        /// <summary>"1,5,9" or "first:count" (a run of consecutive positions).</summary>
        private static ulong[] ParseValues(string text)
        {
            int colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                ulong first = ulong.Parse(text.AsSpan(0, colon), CultureInfo.InvariantCulture);
                int count = int.Parse(text.AsSpan(colon + 1), CultureInfo.InvariantCulture);
                return [.. Enumerable.Range(0, count).Select(i => first + (ulong)i)];
            }

            return [.. text.Split(',').Select(p => ulong.Parse(p, CultureInfo.InvariantCulture))];
        }
    }

    /// <summary>What the table file looked like right after a kill, before anything opened it.</summary>
    private sealed record Kill(long LengthBefore, ulong GenerationBefore, long Length, ulong Generation, bool TemporaryLeft, long TemporaryLength)
    {
        public static Kill Inspect(string file, long lengthBefore, ulong generationBefore)
        {
            string temporary = file + ".tmp";
            bool left = File.Exists(temporary);
            return new Kill(lengthBefore, generationBefore, new FileInfo(file).Length, TableCrashTests.Generation(file), left, left ? new FileInfo(temporary).Length : -1);
        }
    }

    /// <summary>Counts over all iterations.</summary>
    private sealed class Totals
    {
        public long Sets { get; private set; }

        public long Deletes { get; private set; }

        public ulong Rewrites { get; private set; }

        public int RunsWithRewrite { get; private set; }

        public int KillsInsideRewrite { get; private set; }

        public int InFlightApplied { get; set; }

        public List<string> RecoveryWarnings { get; } = [];

        public void Add(LinesReplay replay, Kill kill)
        {
            Sets += replay.Sets;
            Deletes += replay.Deletes;
            Rewrites += kill.Generation - kill.GenerationBefore;
            RunsWithRewrite += kill.Generation > kill.GenerationBefore ? 1 : 0;
            KillsInsideRewrite += kill.TemporaryLeft ? 1 : 0;
        }
    }
}
