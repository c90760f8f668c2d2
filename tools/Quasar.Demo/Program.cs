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

// The queue: a producer batching into the ledger, a named consumer receiving and marking, a
// cleaner trimming what every consumer has marked. The consumer stops half way and a new one
// with the same name resumes after its last persisted position: nothing is lost.
Console.WriteLine("Queue: 100,000 messages from a producer to a named consumer that restarts half way.");
const int messages = 100_000;
using (var db = Db.Open(directory, options with { SyncWrites = false, Logger = new ConsoleLogger(LogLevel.Warning) }))
using (var queue = Queue.Open(db, new QueueOptions { Prefix = "demo-queue", LedgerCache = 10_000, TableCache = true, CleanInterval = TimeSpan.FromMilliseconds(200) }))
{
    var watch = Stopwatch.StartNew();
    Producer producer = queue.CreateProducer(new ProducerOptions { Batch = 1000, Timeout = TimeSpan.FromMilliseconds(1) });
    ulong first = Sequence.Generate(messages);
    var payloads = new byte[messages][];
    for (int i = 0; i < messages; i++)
    {
        payloads[i] = Encoding.UTF8.GetBytes($"message {i}");
        producer.Write(new Entry(first + (ulong)i, payloads[i]));
    }

    await producer.FlushAsync();
    var received = new HashSet<ulong>();
    var consumerOptions = new ConsumerOptions { Name = "demo-consumer", Batch = 500, Window = 1000, Skip = 100, Timeout = TimeSpan.FromMilliseconds(50) };
    foreach (int stopAfter in new[] { messages / 2, int.MaxValue })
    {
        Consumer consumer = queue.CreateConsumer(consumerOptions);
        int seen = 0;
        while (received.Count < messages && seen < stopAfter)
        {
            Entry entry = await consumer.Entries.ReadAsync();
            received.Add(entry.Sequence);
            consumer.Mark(entry.Sequence);
            seen++;
        }

        await consumer.DisposeAsync(); // persists the held marks
        Console.WriteLine($"  consumer lifetime: {seen} delivered, stored position {queue.Table.Get("demo-consumer")[0]}");
    }

    Console.WriteLine($"Received all {received.Count:N0} distinct messages in {watch.ElapsedMilliseconds} ms (at-least-once: restarts may redeliver).");
    Thread.Sleep(500); // let the cleaner run once more
    Console.WriteLine($"Cleaner kept {queue.Ledger.Length} entries (everything is marked), tail {queue.Ledger.Tail}.");
}

if (temporary)
{
    Directory.Delete(directory, recursive: true);
}
