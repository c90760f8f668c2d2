using Quasar.Diagnostics;
using Quasar.Tests.Support;

namespace Quasar.Tests.Diagnostics;

/// <summary>The consumer counters and DbOptions.MeterFactory (issue 14).</summary>
public sealed class ConsumerMetricsTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly TestMeterFactory factory = new();
    private readonly Db db;
    private readonly Ledger ledger;
    private readonly Table table;

    public ConsumerMetricsTests()
    {
        db = Db.Open(temp.Path, new DbOptions { MeterFactory = factory });
        ledger = Ledger.Open(db, new LedgerOptions { Prefix = "l" });
        table = Table.Open(db, new TableOptions { Prefix = "t" });
    }

    public void Dispose()
    {
        db.Dispose();
        factory.Dispose();
        temp.Dispose();
    }

    [Fact]
    public void A_Db_given_a_factory_creates_its_meter_named_Quasar_through_it()
    {
        Assert.Contains(QuasarMetrics.MeterName, factory.MeterNames);
    }

    [Fact]
    public async Task Delivered_entries_are_counted_per_consumer()
    {
        ledger.Write(TestEntries.Range(1, 3));
        await using var consumer = new Consumer(ledger, table, new ConsumerOptions { Name = "c", Start = 1, Window = 3 });

        await consumer.Entries.ReadAsync(3);

        await Bounded.Until(() => factory.Sum("quasar.consumer.delivered", "c") == 3, "three deliveries are counted");
    }

    [Fact]
    public async Task Applied_marks_are_counted_and_marks_of_undelivered_entries_are_not()
    {
        ledger.Write(TestEntries.Range(1, 2));
        await using var consumer = new Consumer(ledger, table, new ConsumerOptions { Name = "c", Start = 1, Window = 2 });
        await consumer.Entries.ReadAsync(2);

        await consumer.MarkAsync(1);
        await consumer.MarkAsync(2);
        await consumer.MarksProcessedAsync(); // a mark of an undelivered sequence

        Assert.Equal(2, factory.Sum("quasar.consumer.marked", "c"));
    }

    [Fact]
    public async Task Measurements_are_tagged_with_the_ledger_and_the_consumer()
    {
        ledger.Write(TestEntries.Range(1, 1));
        await using var consumer = new Consumer(ledger, table, new ConsumerOptions { Name = "c", Start = 1 });
        await consumer.Entries.ReadOneAsync();
        await Bounded.Until(() => factory.TagsOf("quasar.consumer.delivered").Length > 0, "the delivery is counted");

        Dictionary<string, object?> tags = factory.TagsOf("quasar.consumer.delivered")[0];

        Assert.Equal("l", tags["ledger"]);
        Assert.Equal("c", tags["consumer"]);
    }

    [Fact]
    public async Task Without_a_factory_the_counters_are_on_the_shared_meter()
    {
        using var recorder = new MetricsRecorder();
        using var other = new TempDirectory();
        using var shared = Db.Open(other.Path);
        string prefix = TestDb.UniquePrefix("shared");
        using var sharedLedger = Ledger.Open(shared, new LedgerOptions { Prefix = prefix });
        sharedLedger.Write(TestEntries.Range(1, 2));
        await using var consumer = new Consumer(sharedLedger, null, new ConsumerOptions { Start = 1, Batch = 2 });

        await consumer.Entries.ReadAsync(2);

        await Bounded.Until(() => recorder.Sum("quasar.consumer.delivered", prefix) == 2, "the deliveries are counted on the shared meter");
    }
}
