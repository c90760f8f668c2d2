using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Quasar;
using Quasar.Demo;

// The demo: a durable ledger in a directory, written, read, trimmed, closed and reopened.
// Usage: dotnet run --project tools/Quasar.Demo [-- <directory>]
string directory = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "quasar-demo-" + Environment.ProcessId);
bool temporary = args.Length == 0;
var options = new DbOptions { SyncWrites = true, SegmentSize = 256 * 1024, Logger = new ConsoleLogger(LogLevel.Information) };
const int batches = 100;
const int batchSize = 100;

Console.WriteLine($"Quasar demo in {directory}");
ulong firstSequence;
using (var db = Db.Open(directory, options))
using (var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "demo:events", Cache = 1000 }))
{
    var watch = Stopwatch.StartNew();
    var batch = new Entry[batchSize];
    firstSequence = 0;
    for (int b = 0; b < batches; b++)
    {
        ulong first = Sequence.Generate(batchSize);
        firstSequence = firstSequence == 0 ? first : firstSequence;
        for (int i = 0; i < batchSize; i++)
        {
            string text = $"{{\"order\":{(b * batchSize) + i},\"item\":\"widget\"}}";
            batch[i] = new Entry(first + (ulong)i, Encoding.UTF8.GetBytes(text));
        }

        ledger.Write(batch); // durable on return: one fdatasync per batch
    }

    Console.WriteLine($"Wrote {ledger.Length} entries in {batches} durable batches in {watch.ElapsedMilliseconds} ms.");
    (DateTimeOffset time, uint ordinal) = Sequence.Split(ledger.Head);
    Console.WriteLine($"Head {ledger.Head} = {time:u} ordinal {ordinal}; oldest {ledger.Index(0).Sequence}.");
    foreach (Entry entry in ledger.Read(firstSequence, 3))
    {
        Console.WriteLine($"  {entry.Sequence}: {Encoding.UTF8.GetString(entry.Payload.Span)}");
    }

    ulong middle = ledger.Index(ledger.Length / 2).Sequence;
    long deleted = ledger.Delete(middle - 1);
    Console.WriteLine($"Deleted {deleted} entries below {middle}: length {ledger.Length}, tail {ledger.Tail}.");
}

Console.WriteLine("Closed. Reopening:");
using (var db = Db.Open(directory, options))
using (var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "demo:events" }))
{
    Console.WriteLine($"After reopen: length {ledger.Length}, head {ledger.Head}, tail {ledger.Tail}.");
    IReadOnlyList<Entry> all = ledger.Read(0, int.MaxValue);
    bool ordered = all.Zip(all.Skip(1)).All(pair => pair.First.Sequence < pair.Second.Sequence);
    Console.WriteLine($"Read back {all.Count} entries, strictly ordered: {ordered}; first payload {Encoding.UTF8.GetString(all[0].Payload.Span)}");
    string ledgerDirectory = Directory.GetDirectories(directory, "ledger-*")[0];
    Console.WriteLine($"Files in {Path.GetFileName(ledgerDirectory)}:");
    foreach (string file in Directory.GetFiles(ledgerDirectory).Order(StringComparer.Ordinal))
    {
        Console.WriteLine($"  {Path.GetFileName(file),-28} {new FileInfo(file).Length,10:N0} bytes");
    }
}

if (temporary)
{
    Directory.Delete(directory, recursive: true);
}
