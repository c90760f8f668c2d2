using BenchmarkDotNet.Attributes;

namespace Quasar.Bench.Micro;

// One message through a Queue: producer WriteAsync (completes once Ledger.Write returned) ->
// the named consumer's Entries -> Mark. SyncWrites off; producer Batch 1 with no timeout;
// consumer Batch 1, Window 1000, Skip 100 (a table write every 101st mark), Timeout 100 ms.
// No cleaner: the ledger grows by about 130 bytes per round trip. Mean is per round trip.
[MemoryDiagnoser]
public class QueueRoundTripBenchmarks
{
    private readonly byte[] payload = new byte[Macro.BenchPayload.Length];
    private string directory = string.Empty;
    private Db? db;
    private Queue? queue;
    private Producer? producer;
    private Consumer? consumer;
    private ulong next = 1;

    [GlobalSetup]
    public void Setup()
    {
        Macro.BenchPayload.Write(payload, 1);
        directory = BenchDirectory.Create("queue");
        db = Db.Open(directory, new DbOptions { SyncWrites = false });
        queue = Queue.Open(db, new QueueOptions { Prefix = "bench", LedgerCache = 1000, TableCache = true });
        producer = queue.CreateProducer(new ProducerOptions { Batch = 1 });
        consumer = queue.CreateConsumer(new ConsumerOptions
        {
            Name = "bench",
            Batch = 1,
            Window = 1000,
            Skip = 100,
            Timeout = TimeSpan.FromMilliseconds(100),
        });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        queue?.Dispose();
        db?.Dispose();
        BenchDirectory.Delete(directory);
    }

    [Benchmark]
    public async Task<ulong> RoundTrip()
    {
        await producer!.WriteAsync(new Entry(next++, payload));
        Entry received = await consumer!.Entries.ReadAsync();
        if (!consumer.Mark(received.Sequence))
        {
            throw new InvalidOperationException("the consumer closed");
        }

        return received.Sequence;
    }
}
