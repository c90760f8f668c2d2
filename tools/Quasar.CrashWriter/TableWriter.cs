using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Quasar.CrashWriter;

/// <summary>
/// The table child of Engine.Tests' Recovery/TableCrashTests.cs (selected by the first argument
/// <c>table</c>). It opens the table with durable writes, prints <c>ready &lt;names&gt; &lt;max&gt;</c>
/// (the number of names it found and the largest position stored, 0 when empty), then sets and
/// deletes names until the test kills it with SIGKILL. Positions only grow: every set continues
/// after the largest position written so far, so every value it ever writes is new.
/// Before each call it prints what it is about to do, after the call returns what is now durable:
/// <list type="bullet">
/// <item><c>try &lt;name&gt; &lt;values&gt;</c> / <c>set &lt;name&gt; &lt;values&gt;</c> around <see cref="Table.Set"/>;</item>
/// <item><c>try-del &lt;name&gt;</c> / <c>del &lt;name&gt;</c> around <see cref="Table.Delete"/>.</item>
/// </list>
/// Values are comma-separated positions, or <c>&lt;first&gt;:&lt;count&gt;</c> for a run of consecutive
/// ones (the <c>bulk</c> workload). Every line is a single write() to the pipe.
/// Workloads: <c>hot</c> (default) sets a few names with 1..64 positions each over and over and
/// deletes some now and then, so the file crosses the rewrite threshold again and again;
/// <c>bulk</c> sets one name to 100,000 consecutive positions over and over, so that a table
/// holding many other names soon needs a rewrite that takes long (the test kills it during one).
/// </summary>
internal static class TableWriter
{
    public const string Usage = "Quasar.CrashWriter table <db directory> <prefix> <seed> [hot|bulk]";

    /// <summary>Names the hot workload sets most of the time and never deletes.</summary>
    private static readonly string[] HotNames = ["hot-0", "hot-1", "hot-2", "hot-3"];

    /// <summary>Names the hot workload sets now and then and deletes.</summary>
    private static readonly string[] ColdNames = [.. Enumerable.Range(0, 8).Select(i => string.Create(CultureInfo.InvariantCulture, $"name-{i}"))];

    /// <summary>The name the bulk workload sets.</summary>
    public const string BulkName = "bulk";

    /// <summary>How many positions each bulk set stores.</summary>
    public const int BulkCount = 100_000;

    public static int Run(ReadOnlySpan<string> args)
    {
        if (args.Length is < 3 or > 4
            || !int.TryParse(args[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed)
            || (args.Length == 4 && args[3] is not ("hot" or "bulk")))
        {
            Console.Error.WriteLine("usage: " + Usage);
            return 2;
        }

        bool bulk = args.Length == 4 && args[3] == "bulk";
        var random = new Random(seed);
        using Stream stdout = Console.OpenStandardOutput();
        using var db = Db.Open(args[0], new DbOptions { SyncWrites = true });
        // The bulk workload keeps no positions in memory, so a rewrite reads every record back from the file.
        using var table = Table.Open(db, new TableOptions { Prefix = args[1], Cache = !bulk && random.Next(2) == 0 });
        (_, ulong max, bool found) = table.Range();
        Emit(stdout, string.Create(CultureInfo.InvariantCulture, $"ready {table.All().Count} {(found ? max : 0)}"));
        ulong next = (found ? max : 0) + 1;

        // A safety net only: the test kills the child well within a minute of this point.
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromMinutes(1))
        {
            if (bulk)
            {
                string values = string.Create(CultureInfo.InvariantCulture, $"{next}:{BulkCount}");
                ulong[] run = [.. Enumerable.Range(0, BulkCount).Select(i => next + (ulong)i)];
                Emit(stdout, $"try {BulkName} {values}");
                table.Set(BulkName, run);
                Emit(stdout, $"set {BulkName} {values}");
                next += BulkCount;
                continue;
            }

            if (random.Next(10) == 0)
            {
                string deleted = ColdNames[random.Next(ColdNames.Length)];
                Emit(stdout, $"try-del {deleted}");
                table.Delete(deleted);
                Emit(stdout, $"del {deleted}");
                continue;
            }

            string name = random.Next(4) == 0 ? ColdNames[random.Next(ColdNames.Length)] : HotNames[random.Next(HotNames.Length)];
            var positions = new ulong[random.Next(1, 65)];
            for (int i = 0; i < positions.Length; i++)
            {
                positions[i] = next;
                next += (ulong)random.Next(1, 4);
            }

            string list = string.Join(',', positions.Select(p => p.ToString(CultureInfo.InvariantCulture)));
            Emit(stdout, $"try {name} {list}");
            table.Set(name, positions);
            Emit(stdout, $"set {name} {list}");
        }

        Console.Error.WriteLine("Quasar.CrashWriter table: not killed within a minute; exiting.");
        return 3;
    }

    private static void Emit(Stream stdout, string line)
    {
        stdout.Write(Encoding.ASCII.GetBytes(line + "\n"));
        stdout.Flush();
    }
}
