using Quasar.Diagnostics;
using Quasar.Tests.Support;

namespace Quasar.Tests.Diagnostics;

/// <summary>
/// The Quasar meter is process-wide and tests run in parallel: every test uses a ledger prefix of
/// its own and looks only at measurements tagged with it.
/// </summary>
public sealed class MetricsTests : IDisposable
{
    private readonly MetricsRecorder metrics = new();
    private readonly TestDb db = new();

    public void Dispose()
    {
        db.Dispose();
        metrics.Dispose();
    }

    [Fact]
    public void The_meter_is_named_Quasar()
    {
        Assert.Equal("Quasar", QuasarMetrics.MeterName);
        Assert.Equal(QuasarMetrics.MeterName, QuasarMetrics.Meter.Name);
    }

    [Fact]
    public void Ledger_writes_report_entries_written_tagged_with_the_prefix()
    {
        string prefix = TestDb.UniquePrefix("written");
        using Ledger ledger = db.Ledger(prefix);

        ledger.Write(TestEntries.Range(1, 3));
        ledger.Write(TestEntries.Make(4));

        Assert.Equal(4, metrics.Sum("quasar.ledger.entries_written", prefix));
    }

    [Fact]
    public void Ledger_writes_report_payload_bytes_written_tagged_with_the_prefix()
    {
        string prefix = TestDb.UniquePrefix("bytes");
        using Ledger ledger = db.Ledger(prefix);
        Entry[] entries = [TestEntries.Make(1), TestEntries.Make(2, extra: 100)];

        ledger.Write(entries);

        Assert.Equal(entries.Sum(e => e.Payload.Length), metrics.Sum("quasar.ledger.bytes_written", prefix));
    }

    [Fact]
    public void Each_ledger_write_reports_one_write_batch()
    {
        string prefix = TestDb.UniquePrefix("batches");
        using Ledger ledger = db.Ledger(prefix);

        ledger.Write(TestEntries.Range(1, 3));
        ledger.Write(TestEntries.Range(4, 2));

        Assert.Equal(2, metrics.Sum("quasar.ledger.write_batches", prefix));
    }

    [Fact]
    public void A_failed_ledger_write_reports_nothing()
    {
        string prefix = TestDb.UniquePrefix("failed");
        using Ledger ledger = db.Ledger(prefix);
        ledger.Write(TestEntries.Make(5));

        Assert.Throws<NotMonotonicException>(() => ledger.Write(TestEntries.Make(3)));

        Assert.Equal(1, metrics.Sum("quasar.ledger.entries_written", prefix));
        Assert.Equal(1, metrics.Sum("quasar.ledger.write_batches", prefix));
    }

    [Fact]
    public void Ledger_reads_report_entries_read_tagged_with_the_prefix()
    {
        string prefix = TestDb.UniquePrefix("read");
        using Ledger ledger = db.Ledger(prefix);
        ledger.Write(TestEntries.Range(1, 5));

        Assert.Equal(5, ledger.Read(0, 100).Count);
        Assert.Equal(2, ledger.Read(2, 2).Count);

        Assert.Equal(7, metrics.Sum("quasar.ledger.entries_read", prefix));
    }

    [Fact]
    public async Task A_producer_batch_reports_one_write_batch()
    {
        string prefix = TestDb.UniquePrefix("producer-batch");
        using Ledger ledger = db.Ledger(prefix);
        await using var producer = new Producer(ledger, new ProducerOptions { Batch = 4, Timeout = TimeSpan.FromHours(1) });

        for (ulong sequence = 1; sequence <= 4; sequence++)
        {
            Assert.True(producer.TryWrite(TestEntries.Make(sequence)));
        }

        await producer.FlushAsync().Within();

        Assert.Equal(1, metrics.Sum("quasar.ledger.write_batches", prefix));
        Assert.Equal(4, metrics.Sum("quasar.ledger.entries_written", prefix));
    }

    [Fact]
    public void SyncWrites_reports_fsync_durations()
    {
        // The histogram carries no ledger tag: other tests may add to it, so this checks only that
        // a synced write records at least one non-negative duration.
        using var synced = new TestDb(new DbOptions { SyncWrites = true });
        using Ledger ledger = synced.Ledger(TestDb.UniquePrefix("fsync"));
        int before = metrics.Of("quasar.storage.fsync.duration").Length;

        ledger.Write(TestEntries.Range(1, 3));

        double[] durations = metrics.Of("quasar.storage.fsync.duration");
        Assert.True(durations.Length > before, "a synced write records an fsync duration");
        Assert.All(durations, d => Assert.True(d >= 0));
    }

    [Fact]
    public void The_cleaner_reports_entries_deleted_tagged_with_the_prefix()
    {
        string prefix = TestDb.UniquePrefix("cleaner");
        using Ledger ledger = db.Ledger(prefix);
        ledger.Write(TestEntries.Range(1, 10));
        using var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = TimeSpan.FromHours(1), Retention = 3 });

        Assert.Equal(7, cleaner.Clean());
        Assert.Equal(0, cleaner.Clean());

        Assert.Equal(7, metrics.Sum("quasar.cleaner.entries_deleted", prefix));
    }

    [Fact]
    public async Task The_producer_queue_depth_counts_entries_in_and_back_to_zero_after_FlushAsync()
    {
        string prefix = TestDb.UniquePrefix("depth");
        using Ledger ledger = db.Ledger(prefix);
        await using var producer = new Producer(ledger, new ProducerOptions { Batch = 5, Timeout = TimeSpan.FromHours(1) });

        for (ulong sequence = 1; sequence <= 5; sequence++)
        {
            Assert.True(producer.TryWrite(TestEntries.Make(sequence)));
        }

        await producer.FlushAsync().Within();

        double[] changes = metrics.Of("quasar.producer.queue_depth", prefix);
        Assert.Equal(5, changes.Count(c => c == 1));
        Assert.Equal(0, changes.Sum());
    }

    [Fact]
    public async Task The_producer_queue_depth_returns_to_zero_when_queued_entries_fail_on_dispose()
    {
        string prefix = TestDb.UniquePrefix("depth-closed");
        using Ledger ledger = db.Ledger(prefix);
        var producer = new Producer(ledger, new ProducerOptions { Batch = 10, Timeout = TimeSpan.FromHours(1) });
        for (ulong sequence = 1; sequence <= 3; sequence++)
        {
            Assert.True(producer.TryWrite(TestEntries.Make(sequence)));
        }

        await producer.DisposeAsync().Within();

        double[] changes = metrics.Of("quasar.producer.queue_depth", prefix);
        Assert.Equal(3, changes.Count(c => c == 1));
        Assert.Equal(0, changes.Sum());
    }
}
