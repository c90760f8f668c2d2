using System.Diagnostics;
using System.Globalization;

namespace Quasar.CrashWriter;

/// <summary>
/// The table mode, the child of Engine.Tests' Recovery/TableCrashTests.cs (selected by the first
/// argument <see cref="CrashProtocol.TableMode"/>). It opens the table with durable writes, prints
/// <see cref="CrashProtocol.TableReady"/>, then sets and deletes names until the test kills it with
/// SIGKILL. Positions only grow: every set continues after the largest position written so far, so
/// every value it ever writes is new. Before each call it prints what it is about to do, after the
/// call returns what is now durable (the lines of <see cref="CrashProtocol"/>).
/// Workloads: <c>hot</c> (default) sets a few names with 1..64 positions each over and over and
/// deletes some now and then, so the file crosses the rewrite threshold again and again;
/// <c>bulk</c> sets one name to 100,000 consecutive positions over and over, so that a table
/// holding many other names soon needs a rewrite that takes long (the test kills it during one).
/// </summary>
internal static class TableWriter
{
    /// <summary>Names the hot workload sets most of the time and never deletes.</summary>
    private static readonly string[] HotNames = ["hot-0", "hot-1", "hot-2", "hot-3"];

    /// <summary>Names the hot workload sets now and then and deletes.</summary>
    private static readonly string[] ColdNames = [.. Enumerable.Range(0, 8).Select(i => string.Create(CultureInfo.InvariantCulture, $"name-{i}"))];

    /// <summary>Runs the mode with <c>&lt;db directory&gt; &lt;prefix&gt; &lt;seed&gt; [hot|bulk]</c>; returns the exit code.</summary>
    public static int Run(ReadOnlySpan<string> args)
    {
        if (args.Length is < 3 or > 4
            || !int.TryParse(args[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed)
            || (args.Length == 4 && args[3] is not (CrashProtocol.Hot or CrashProtocol.Bulk)))
        {
            Console.Error.WriteLine("usage: " + CrashProtocol.TableUsage);
            return 2;
        }

        bool bulk = args.Length == 4 && args[3] == CrashProtocol.Bulk;
        var random = new Random(seed);
        using Stream stdout = Console.OpenStandardOutput();
        using var db = Db.Open(args[0], new DbOptions { SyncWrites = true });
        // The bulk workload keeps no positions in memory, so a rewrite reads every record back from the file.
        using var table = Table.Open(db, new TableOptions { Prefix = args[1], Cache = !bulk && random.Next(2) == 0 });
        (_, ulong max, bool found) = table.Range();
        CrashProtocol.Emit(stdout, CrashProtocol.TableReady(table.All().Count, found ? max : 0));
        ulong next = (found ? max : 0) + 1;

        // A safety net only: the test kills the child well within a minute of this point.
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromMinutes(1))
        {
            if (bulk)
            {
                string values = CrashProtocol.RunValues(next, CrashProtocol.BulkCount);
                ulong[] run = [.. Enumerable.Range(0, CrashProtocol.BulkCount).Select(i => next + (ulong)i)];
                CrashProtocol.Emit(stdout, $"{CrashProtocol.TrySet} {CrashProtocol.BulkName} {values}");
                table.Set(CrashProtocol.BulkName, run);
                CrashProtocol.Emit(stdout, $"{CrashProtocol.SetDone} {CrashProtocol.BulkName} {values}");
                next += CrashProtocol.BulkCount;
                continue;
            }

            if (random.Next(10) == 0)
            {
                string deleted = ColdNames[random.Next(ColdNames.Length)];
                CrashProtocol.Emit(stdout, $"{CrashProtocol.TryDelete} {deleted}");
                table.Delete(deleted);
                CrashProtocol.Emit(stdout, $"{CrashProtocol.DeleteDone} {deleted}");
                continue;
            }

            string name = random.Next(4) == 0 ? ColdNames[random.Next(ColdNames.Length)] : HotNames[random.Next(HotNames.Length)];
            var positions = new ulong[random.Next(1, 65)];
            for (int i = 0; i < positions.Length; i++)
            {
                positions[i] = next;
                next += (ulong)random.Next(1, 4);
            }

            string list = CrashProtocol.Values(positions);
            CrashProtocol.Emit(stdout, $"{CrashProtocol.TrySet} {name} {list}");
            table.Set(name, positions);
            CrashProtocol.Emit(stdout, $"{CrashProtocol.SetDone} {name} {list}");
        }

        Console.Error.WriteLine("Quasar.CrashWriter table: not killed within a minute; exiting.");
        return 3;
    }
}
