using Quasar.Storage.Segments;
using Quasar.Tests.Support;
using static Quasar.Tests.Support.LedgerProbe;

namespace Quasar.Tests.Cleaners;

/// <summary>
/// CleanerOptions.MaxBytes (issue 14): a hard limit on the bytes the ledger's entries take. Each
/// entry here is written alone, so each takes <see cref="EntryBytes"/> (payload, framing, and its
/// batch header, which counts with the entry before it).
/// </summary>
public sealed class CleanerMaxBytesTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly Db db;
    private readonly Table table;

    public CleanerMaxBytesTests()
    {
        db = Db.Open(temp.Path, new DbOptions { SegmentSize = 1024 });
        table = Table.Open(db, new TableOptions { Prefix = "t" });
        table.Set("behind", 0); // a consumer that never marked: without the hard limit, nothing may go
    }

    public void Dispose()
    {
        db.Dispose();
        temp.Dispose();
    }

    private static long EntryBytes => SegmentLog.MeasureBatch([TestEntries.Make(1, extra: 100)]);

    [Fact]
    public void The_oldest_entries_are_deleted_until_the_rest_fit()
    {
        Ledger ledger = WriteAlone(10);
        using var cleaner = Cleaner(ledger, new CleanerOptions { MaxBytes = 3 * EntryBytes });

        Assert.Equal(7, cleaner.Clean());

        Assert.Equal([8UL, 9, 10], Live(ledger));
    }

    [Fact]
    public void A_ledger_within_MaxBytes_is_left_alone()
    {
        Ledger ledger = WriteAlone(3);
        using var cleaner = Cleaner(ledger, new CleanerOptions { MaxBytes = 3 * EntryBytes });

        Assert.Equal(0, cleaner.Clean());
    }

    [Fact]
    public void MaxBytes_deletes_past_the_lowest_stored_position()
    {
        Ledger ledger = WriteAlone(4);
        using var cleaner = Cleaner(ledger, new CleanerOptions { MaxBytes = EntryBytes });

        cleaner.Clean();

        Assert.Equal([4UL], Live(ledger));
    }

    [Fact]
    public void Retention_still_keeps_its_newest_entries_however_large()
    {
        Ledger ledger = WriteAlone(4);
        using var cleaner = Cleaner(ledger, new CleanerOptions { MaxBytes = EntryBytes, Retention = 2 });

        cleaner.Clean();

        Assert.Equal([3UL, 4], Live(ledger));
    }

    [Fact]
    public void Entries_in_one_large_batch_are_cut_inside_the_batch()
    {
        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "batch" });
        ledger.Write(TestEntries.Range(1, 10, extra: 100));
        long perEntry = (SegmentLog.MeasureBatch(TestEntries.Range(1, 10, extra: 100)) - SegmentLog.MeasureBatch(TestEntries.Range(1, 9, extra: 100)));
        using var cleaner = Cleaner(ledger, new CleanerOptions { MaxBytes = 2 * perEntry });

        cleaner.Clean();

        Assert.Equal([9UL, 10], Live(ledger));
    }

    [Fact]
    public void A_negative_MaxBytes_throws_ArgumentOutOfRangeException()
    {
        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "l" });

        Assert.Throws<ArgumentOutOfRangeException>(() => Cleaner(ledger, new CleanerOptions { MaxBytes = -1 }));
    }

    private Cleaner Cleaner(Ledger ledger, CleanerOptions options) => new(ledger, options with { Interval = TimeSpan.FromDays(1), Tables = [table] });

    /// <summary>A ledger holding entries 1..count, each written alone (its own batch); small segments, so they span several.</summary>
    private Ledger WriteAlone(int count)
    {
        var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "l" });
        foreach (Entry entry in TestEntries.Range(1, count, extra: 100))
        {
            ledger.Write(entry);
        }

        return ledger;
    }
}
