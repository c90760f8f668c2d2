using Quasar.Storage.Segments;
using Quasar.Tests.Support;

namespace Quasar.Tests.OpenFiles;

/// <summary>
/// DbOptions.MaxOpenSegments (issue 13, deliverable 5; storage review F17d): opening a ledger
/// leaves its sealed segments closed, reads open the ones they need, and the idle ones beyond the
/// bound close, so descriptors and mappings no longer grow with the number of segments.
/// </summary>
public sealed class OpenSegmentBoundTests
{
    private const int Segments = 40;

    // The active segment's data and index, and the tail file, are open outside the bound.
    private const int OutsideTheBound = 3;

    [LinuxFact]
    public void Opening_a_ledger_of_many_segments_leaves_its_sealed_segments_closed()
    {
        using var store = new ManySegments(Segments, maxOpenSegments: 8);

        Assert.InRange(LedgerFileHandles.Descriptors(store.Directory), 0, OutsideTheBound);
        Assert.InRange(LedgerFileHandles.MappedFiles(store.Directory), 0, 1);
        Assert.Equal(0, store.Db.SegmentCache.OpenCount);
        Assert.Equal(Segments * ManySegments.PerSegment, store.Ledger.Length);
    }

    [LinuxFact]
    public void Descriptors_and_mappings_stay_within_the_bound_after_every_segment_was_read()
    {
        const int bound = 2;
        using var store = new ManySegments(Segments, bound);

        for (int s = 0; s < Segments; s++)
        {
            Assert.Single(store.Ledger.Read(ManySegments.BaseOf(s), 1));
        }

        Assert.InRange(store.Db.SegmentCache.OpenCount, 0, bound);
        Assert.InRange(LedgerFileHandles.Descriptors(store.Directory), 0, (2 * bound) + OutsideTheBound);
        Assert.InRange(LedgerFileHandles.MappedFiles(store.Directory), 0, (2 * bound) + 1);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Every_entry_reads_back_whatever_the_order_with_a_bound_of(int bound)
    {
        using var store = new ManySegments(Segments, bound);
        var random = new Random(bound);

        foreach (Entry expected in store.Entries.OrderBy(_ => random.Next()))
        {
            TestEntries.AssertMatches([expected], store.Ledger.Read(expected.Sequence, 1));
        }

        TestEntries.AssertMatches(store.Entries, store.Ledger.Read(1, store.Entries.Length));
        Assert.Equal(store.Entries[^1].Sequence, store.Ledger.Head);
        Assert.Equal((store.Entries[17].Sequence, true), store.Ledger.Index(17));
    }

    [Fact]
    public void Concurrent_readers_across_many_segments_with_a_bound_of_one_read_only_correct_entries()
    {
        using var store = new ManySegments(Segments, maxOpenSegments: 1);
        Entry[] all = store.Entries;

        Parallel.For(0, 4, reader =>
        {
            var random = new Random(reader);
            for (int i = 0; i < 400; i++)
            {
                int at = random.Next(all.Length);
                int amount = 1 + random.Next(3 * ManySegments.PerSegment);
                TestEntries.AssertMatches(all.Skip(at).Take(amount), store.Ledger.Read(all[at].Sequence, amount));
            }
        });

        Assert.InRange(store.Db.SegmentCache.OpenCount, 0, 1);
    }

    [LinuxFact]
    public void A_delete_unlinks_closed_and_open_segments_alike_and_leaves_no_descriptor_on_them()
    {
        using var store = new ManySegments(Segments, maxOpenSegments: 1);
        store.Ledger.Read(ManySegments.BaseOf(5), 1); // segment 5 open in the cache, the rest closed
        ulong tail = ManySegments.BaseOf(20) - 1;

        store.Ledger.Delete(tail);

        Assert.Equal(Segments - 20, store.SegmentFiles().Length);
        Assert.False(File.Exists(store.DataFile(ManySegments.BaseOf(5))));
        Assert.Equal(0, store.Db.SegmentCache.OpenCount);
        Assert.InRange(LedgerFileHandles.Descriptors(store.Directory), 0, OutsideTheBound);
        TestEntries.AssertMatches(store.Entries[(int)tail..], store.Ledger.Read(1, store.Entries.Length));
    }

    [Fact]
    public void Measuring_the_cleaners_MaxBytes_opens_only_the_segment_where_the_cut_falls()
    {
        using var store = new ManySegments(Segments, maxOpenSegments: 8);
        long lastTen = store.SegmentFiles().Order(StringComparer.Ordinal).TakeLast(10).Sum(path => new FileInfo(path).Length - Segment.FirstEntryOffset);

        Assert.True(store.Ledger.TryGetLastToDropForBytes(lastTen, out ulong lastToDrop));

        Assert.Equal(ManySegments.BaseOf(Segments - 10) - 1, lastToDrop);
        Assert.Equal(1, store.Db.SegmentCache.OpenCount);
    }

    [Fact]
    public void A_damaged_entry_is_reported_naming_file_and_offset_when_a_read_first_opens_its_segment()
    {
        using var store = new ManySegments(Segments, maxOpenSegments: 1);
        ulong damagedBase = ManySegments.BaseOf(3);
        string damaged = store.DataFile(damagedBase);
        store.ReopenAfter(() => FlipByte(damaged, Segment.FirstEntryOffset + 20)); // first entry's payload: not checked on open

        CorruptionException error = Assert.Throws<CorruptionException>(() => store.Ledger.Read(damagedBase, 1));

        Assert.Equal(damaged, error.FilePath);
        Assert.Equal(Segment.FirstEntryOffset, error.Offset);
        TestEntries.AssertMatches(store.Entries[16..18], store.Ledger.Read(damagedBase + ManySegments.PerSegment, 2)); // the next segment
    }

    [Fact]
    public void A_sealed_index_removed_while_its_segment_was_closed_is_reported_when_a_read_reopens_it()
    {
        using var store = new ManySegments(Segments, maxOpenSegments: 1);
        string index = Path.ChangeExtension(store.DataFile(ManySegments.BaseOf(2)), ".idx");
        store.Ledger.Read(ManySegments.BaseOf(2), 1);
        store.Ledger.Read(ManySegments.BaseOf(7), 1); // closes segment 2 again
        File.Delete(index);

        CorruptionException error = Assert.Throws<CorruptionException>(() => store.Ledger.Read(ManySegments.BaseOf(2), 1));

        Assert.Equal(index, error.FilePath);
        TestEntries.AssertMatches(store.Entries[28..30], store.Ledger.Read(ManySegments.BaseOf(7), 2));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_bound_below_one_is_refused_by_Open(int bound)
    {
        using var temp = new TempDirectory();
        Assert.Throws<ArgumentOutOfRangeException>(() => Db.Open(temp.Path, new DbOptions { MaxOpenSegments = bound }));
    }

    private static void FlipByte(string path, long offset)
    {
        using FileStream file = File.Open(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        int value = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(value ^ 0xFF));
    }
}
