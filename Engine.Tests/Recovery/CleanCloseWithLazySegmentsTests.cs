using Quasar.Tests.OpenFiles;
using Quasar.Tests.Support;
using static Quasar.Tests.Recovery.LedgerFiles;

namespace Quasar.Tests.Recovery;

/// <summary>
/// The clean-close record together with lazily opened sealed segments (the reopen and growth
/// merge): the last segment opened by its record keeps its files outside the segment cache, its
/// slots are repaired by the same rebuild as a sealed index's, and sealing it without an append
/// hands it to the cache like any other sealed segment.
/// </summary>
public sealed class CleanCloseWithLazySegmentsTests : IDisposable
{
    private const long SegmentSize = 1 << 20;
    private const int OpenedByCleanCloseEvent = 17;
    private const int IndexRebuiltEvent = 12;

    private readonly TempDirectory temp = new();
    private readonly string db;

    public CleanCloseWithLazySegmentsTests() => db = Path.Combine(temp.Path, "db");

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Damaged_slots_of_a_cleanly_closed_segment_are_rebuilt_from_its_data_on_first_read()
    {
        using (OpenLedger open = OpenLedger.Open(db, SegmentSize))
        {
            open.Ledger.Write(Batch(1, 6));
            open.Ledger.Write(Batch(7, 6));
        }

        // A middle slot: the record's first and last slot checks pass, only the checksum sees it.
        FlipByte(IndexOf(Segments(db)[^1]), IndexHeaderSize + (IndexSlotSize * 5) + 1);
        var logger = new TestLogger();

        using (OpenLedger reopened = OpenLedger.Open(db, SegmentSize, logger: logger))
        {
            Assert.Single(logger.Messages, m => m.EventId.Id == OpenedByCleanCloseEvent);
            Assert.Equal(Batch(1, 12).Select(e => e.Sequence), reopened.Ledger.Read(1, 100).Select(e => e.Sequence));
            Assert.Single(logger.Messages, m => m.EventId.Id == IndexRebuiltEvent);
            reopened.Ledger.Write(Batch(13, 3));
        }

        using (OpenLedger again = OpenLedger.Open(db, SegmentSize))
        {
            Assert.Equal(Batch(1, 15).Select(e => e.Sequence), again.Ledger.Read(1, 100).Select(e => e.Sequence));
        }

        StoreCheck.AssertNoErrors(db);
    }

    [Fact]
    public void A_cleanly_closed_last_segment_sealed_by_a_roll_is_read_through_the_cache_after_reopening()
    {
        // Each batch fills a segment: the next write seals the segment opened by its record
        // without appending to it, and a bound of one evicts and reopens it while reading.
        using var store = new ManySegments(segments: 6, maxOpenSegments: 1);
        Entry[] next = TestEntries.Range(store.Entries[^1].Sequence + 1, ManySegments.PerSegment, extra: 100);
        store.Ledger.Write(next);
        Entry[] all = [.. store.Entries, .. next];

        foreach (Entry expected in all.Reverse())
        {
            TestEntries.AssertMatches([expected], store.Ledger.Read(expected.Sequence, 1));
        }

        store.ReopenAfter(() => { });
        TestEntries.AssertMatches(all, store.Ledger.Read(1, all.Length));
        Assert.Equal(7, store.SegmentFiles().Length);
    }
}
