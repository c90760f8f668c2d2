using System.Diagnostics;
using System.Globalization;
using System.Text;
using Quasar;
using Quasar.CrashWriter;

// The child process of Engine.Tests' crash test (Recovery/CrashTests.cs). It opens the ledger with
// durable writes (unless the fourth argument is "nosync") and a tiny segment size, then writes batches of 1..50 entries, resuming after Head,
// and now and then deletes, until the test kills it with SIGKILL. After each Write returns it prints
// "ack <first> <last>", after each Delete returns "del <sequence>"; every line is a single write()
// to the pipe, so a kill never leaves half a line. Payloads name their batch (CrashPayload).
// Usage: Quasar.CrashWriter <db directory> <prefix> <seed> [sync|nosync]
// With the first argument "table" it writes a table instead (TableWriter.cs, for Recovery/TableCrashTests.cs):
//        Quasar.CrashWriter table <db directory> <prefix> <seed> [hot|bulk]
if (args.Length > 0 && args[0] == "table")
{
    return TableWriter.Run(args.AsSpan(1));
}

if (args.Length is < 3 or > 4
    || !int.TryParse(args[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed)
    || (args.Length == 4 && args[3] is not ("sync" or "nosync")))
{
    Console.Error.WriteLine("usage: Quasar.CrashWriter <db directory> <prefix> <seed> [sync|nosync]");
    return 2;
}

bool syncWrites = args.Length == 3 || args[3] == "sync";

using Stream stdout = Console.OpenStandardOutput();
var random = new Random(seed);
using var db = Db.Open(args[0], new DbOptions { SyncWrites = syncWrites, SegmentSize = CrashPayload.SegmentSize });
using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = args[1] });
Emit(stdout, $"ready {ledger.Head} {ledger.Tail} {ledger.Length}");

// A safety net only: the test kills the child within a second of this point.
var watch = Stopwatch.StartNew();
while (watch.Elapsed < TimeSpan.FromMinutes(1))
{
    if (random.Next(8) == 0 && ledger.Length > 0)
    {
        ulong head = ledger.Head;
        ulong tail = ledger.Tail;
        ulong target = random.Next(4) == 0 ? head : tail + 1 + (ulong)random.NextInt64((long)(head - tail));
        ledger.Delete(target);
        Emit(stdout, $"del {target}");
        continue;
    }

    int count = random.Next(1, CrashPayload.MaxBatch + 1);
    ulong first = ledger.Head + 1;
    var batch = new Entry[count];
    for (int i = 0; i < count; i++)
    {
        ulong sequence = first + (ulong)i;
        batch[i] = new Entry(sequence, CrashPayload.Encode(sequence, first, count));
    }

    ledger.Write(batch);
    Emit(stdout, $"ack {first} {first + (ulong)count - 1}");
}

Console.Error.WriteLine("Quasar.CrashWriter: not killed within a minute; exiting.");
return 3;

static void Emit(Stream stdout, string line)
{
    stdout.Write(Encoding.ASCII.GetBytes(line + "\n"));
    stdout.Flush();
}
