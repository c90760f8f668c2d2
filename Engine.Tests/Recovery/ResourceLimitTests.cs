using Quasar.Tests.Support;
using static Quasar.Tests.Recovery.LedgerFiles;

namespace Quasar.Tests.Recovery;

/// <summary>Storage review F17: limits that used to surface as leaks, overflows or huge allocations.</summary>
public sealed class ResourceLimitTests : IDisposable
{
    private const long SegmentSize = 300;

    private readonly TempDirectory temp = new();
    private readonly string db;

    public ResourceLimitTests() => db = Path.Combine(temp.Path, "db");

    public void Dispose() => temp.Dispose();

    // F17: a rebuild that failed left its temporary index (handle, mapping and file) behind, and
    // every later read rebuilt, failed and leaked again.
    [Fact]
    public void A_sealed_index_repair_that_fails_leaves_no_temporary_index_and_is_not_retried_on_every_read()
    {
        using (OpenLedger open = OpenLedger.Open(db, SegmentSize))
        {
            for (ulong b = 0; b < 6; b++)
            {
                WriteTracked(open.Ledger, db, Batch(1 + (b * 3), 3));
            }
        }

        string sealedSegment = Segments(db)[0];
        FlipByte(IndexOf(sealedSegment), IndexHeaderSize + IndexSlotSize + 12, 0x01); // a middle slot: the slot checksum fails on first read
        FlipByte(sealedSegment, SegmentHeaderSize + BatchHeaderSize + 20); // and the rebuild from the data fails

        using OpenLedger reopened = OpenLedger.Open(db, SegmentSize);
        CorruptionException first = Assert.Throws<CorruptionException>(() => reopened.Ledger.Read(2, 1));
        Assert.False(File.Exists(IndexOf(sealedSegment) + ".tmp"), "the failed rebuild's temporary index is still there");
        CorruptionException second = Assert.Throws<CorruptionException>(() => reopened.Ledger.Read(2, 1));
        Assert.Same(first, second);
    }

    // F17: recovery read a table file into one array sized by a checked cast, so a file past 2 GiB
    // failed with OverflowException.
    [Fact]
    public void A_table_file_too_large_to_replay_is_reported_as_CorruptionException_naming_it()
    {
        string tablePath = Path.Combine(db, "table-t", "table.log");
        using (var created = Db.Open(db))
        using (var table = Table.Open(created, new TableOptions { Prefix = "t" }))
        {
            table.Set("a", [1]);
        }

        using (var file = new FileStream(tablePath, FileMode.Open, FileAccess.Write))
        {
            file.SetLength(3L * 1024 * 1024 * 1024); // sparse
        }

        using var reopened = Db.Open(db);
        CorruptionException error = Assert.Throws<CorruptionException>(() => Table.Open(reopened, new TableOptions { Prefix = "t" }));
        Assert.Equal(tablePath, error.FilePath);
    }

    // F17: a SegmentSize near long.MaxValue overflowed the index arithmetic on the first write.
    [Theory]
    [InlineData(long.MaxValue)]
    [InlineData((64L * 1024 * 1024 * 1024) + 1)]
    public void Open_with_a_SegmentSize_above_64_GiB_throws_ArgumentOutOfRangeException(long segmentSize)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Db.Open(db, new DbOptions { SegmentSize = segmentSize }));
    }
}
